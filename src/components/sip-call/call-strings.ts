import type { StringsOf } from '../i18n/strings';

/**
 * Every text `<sip-call>` shows or gives to assistive technology, in English (built in): states,
 * end causes, controls. To add one: add its key here, use it with `this.#t.text('key')`, and
 * translate it in each of `src/components/i18n/*.ts` (the type check fails there until you do).
 */
export const callStrings = {
  noCall: 'No call',
  calling: 'Calling…',
  ringing: 'Ringing…',
  incoming: 'Incoming call',
  early: 'Ringing (early media)',
  connected: 'Connected',
  held: 'On hold',
  heldByPeer: 'Held by the other party',
  ended: 'Call ended',
  'ended.remote-hangup': 'The other party hung up',
  'ended.canceled': 'Call canceled',
  'ended.remote-canceled': 'Missed call',
  'ended.declined': 'Call declined',
  'ended.busy': 'Busy',
  'ended.rejected': 'Call rejected',
  'ended.no-answer': 'No answer',
  'ended.transferred': 'Call transferred',
  'ended.replaced': 'Call replaced',
  'ended.failed': 'Call failed',
  'ended.answered-elsewhere': 'Answered elsewhere',
  'ended.session-expired': 'Call lost (no session refresh)',
  shareScreen: 'Share screen',
  controls: 'Call controls',
  answer: 'Answer',
  answerVideo: 'Answer with video',
  decline: 'Decline',
  cancel: 'Cancel',
  mute: 'Mute',
  hold: 'Hold',
  video: 'Video',
  keypad: 'Keypad',
  transfer: 'Transfer',
  hangup: 'Hang up',
  dtmfKeypad: 'DTMF keypad',
  star: 'star',
  pound: 'pound',
  transferTo: 'Transfer to',
  transferRequested: 'Transfer requested: call {target}?',
  accept: 'Accept',
  acceptTransfer: 'Accept the transfer to {target}',
  declineTransfer: 'Decline the transfer',
  /** The quality indicator's accessible name, with the estimated MOS (1 to 4.5) in the language's digits. */
  'quality.good': 'Good line (MOS {mos})',
  'quality.fair': 'Fair line (MOS {mos})',
  'quality.poor': 'Poor line (MOS {mos})',
  micLevel: 'Microphone level',
} as const;

/** The type of `<sip-call>`'s table: what a translation gives and `strings` overrides. */
export type CallStrings = StringsOf<typeof callStrings>;
