/**
 * `import 'sip-elements'` defines <sip-phone>, <sip-call>, <sip-video> and <sip-presence> and exports their classes
 * and event types. The DOM-free stack is `sip-elements/sip`.
 */
export { SipPhone } from './components/sip-phone/sip-phone';
export { SipCall } from './components/sip-call/sip-call';
export { SipVideo } from './components/sip-video/sip-video';
export { SipPresence } from './components/sip-presence/sip-presence';
export type { CallOptions } from './components/sip-phone/sip-phone.component';
export type { TraceEntry } from './components/sip-phone/sip-trace';
export type { HistoryEntry } from './components/sip-phone/call-history';
export type { AnswerOptions } from './components/sip-call/sip-call.component';
export type { VideoSource } from './components/sip-video/video-binding';
export type { CallHandle } from './components/shared/call-handle';
export type { CallState, PresenceLampState, SipEvent, SipEventDetails, SipEventName } from './components/shared/events';
// The sip-error of a phone where calls cannot work (a page that is not secure, a browser without WebRTC).
export { CallsUnavailableError, type CallsUnavailableCode } from './media/capabilities';
// The WebRTC media the phone uses, for pages that drive a stack UserAgent (sip-elements/sip) themselves.
export { webRtcMediaSessionFactory } from './media/webrtc-media-session-factory';
export { WebRtcMediaSession } from './media/webrtc-media-session';
// Languages: English is built in; de, fr, es and ar load when an element meets them; a page adds others.
export { registerLanguage, loadLanguage } from './components/i18n/localize';
export type { Translation } from './components/i18n/translation';
export type { PhoneStrings } from './components/sip-phone/phone-strings';
export type { CallStrings } from './components/sip-call/call-strings';
export type { PresenceStrings } from './components/sip-presence/presence-strings';
export type { VideoStrings } from './components/sip-video/video-strings';
