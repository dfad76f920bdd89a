/**
 * `import 'sip-elements'` defines <sip-phone>, <sip-call> and <sip-video> and exports their classes
 * and event types. The DOM-free stack is `sip-elements/sip`.
 */
export { SipPhone } from './components/sip-phone/sip-phone';
export { SipCall } from './components/sip-call/sip-call';
export { SipVideo } from './components/sip-video/sip-video';
export type { CallState, SipEvent, SipEventDetails, SipEventName } from './components/shared/events';
