import { CALLS_UNAVAILABLE_TEXT } from '../../media/capabilities';
import type { StringsOf } from '../i18n/strings';

/**
 * Every text `<sip-phone>` shows or gives to assistive technology, in English (built in). To add
 * one: add its key here, use it with `this.#t.text('key')` (values for `{placeholders}` as the
 * second argument), and translate it in each of `src/components/i18n/*.ts` (the type check fails
 * there until you do). A page changes any of them with the phone's `strings` property.
 */
export const phoneStrings = {
  title: 'SIP phone',
  notConfigured: 'Not configured: set {settings}',
  connecting: 'Connecting to {server}…',
  notConnected: 'Not connected',
  notConnectedBecause: 'Not connected: {problem}',
  retrying: '{reason} (retrying in {seconds} s)',
  registered: 'Registered',
  connectedNotRegistered: 'Connected, not registered',
  registrationFailed: 'Registration failed: {status} {reason}',
  register: 'Register',
  unregister: 'Unregister',
  target: 'Number or SIP address',
  dialPad: 'Dial pad',
  star: 'star',
  pound: 'pound',
  call: 'Call',
  videoCall: 'Video call',
  calls: 'Calls',
  incomingFrom: 'Incoming call from {name}',
  insecureContext: CALLS_UNAVAILABLE_TEXT.insecureContext,
  noWebRtc: CALLS_UNAVAILABLE_TEXT.noWebRtc,
  voicemail: 'Voicemail: {new} new, {old} old',
  listen: 'Listen',
  devices: 'Devices',
  microphone: 'Microphone',
  camera: 'Camera',
  speaker: 'Speaker',
  defaultDevice: 'Default',
  chooseSpeaker: 'Choose speaker…',
  noSpeakerChoice: "This browser cannot choose the speaker: calls play on the system's default.",
  trace: 'SIP trace ({count})',
  clearTrace: 'Clear trace',
  traceMessages: 'SIP messages',
  sent: 'Sent',
  received: 'Received',
  dnd: 'Do not disturb',
  history: 'History',
  /** The missed-call badge's accessible name (its visible text is the count). */
  missedCount: 'Missed calls: {count}',
  recentCalls: 'Recent calls',
  noHistory: 'No calls yet',
  clearHistory: 'Clear history',
  callBack: 'Call back',
  /** The call-back button's accessible name: its visible text first (WCAG 2.5.3), then the party. */
  callBackTo: 'Call back: {party}',
  'history.incoming': 'Incoming',
  'history.outgoing': 'Outgoing',
  'history.missed': 'Missed',
  'history.missedDnd': 'Missed (do not disturb)',
} as const;

/** The type of `<sip-phone>`'s table: what a translation gives and `strings` overrides. */
export type PhoneStrings = StringsOf<typeof phoneStrings>;
