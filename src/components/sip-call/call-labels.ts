import type { CallState } from '../shared/events';
import type { CallHandle } from '../shared/call-handle';

const STATE_TEXT: Record<CallState, string> = {
  calling: 'Calling…',
  ringing: 'Ringing…',
  incoming: 'Incoming call',
  early: 'Ringing (early media)',
  connected: 'Connected',
  held: 'On hold',
  ended: 'Call ended',
};

const END_TEXT: Record<string, string> = {
  'remote-hangup': 'The other party hung up',
  canceled: 'Call canceled',
  'remote-canceled': 'Missed call',
  'answered-elsewhere': 'Answered elsewhere',
  declined: 'Call declined',
  busy: 'Busy',
  rejected: 'Call rejected',
  'no-answer': 'No answer',
  transferred: 'Call transferred',
  replaced: 'Call replaced',
  'session-expired': 'Call lost (no session refresh)',
  failed: 'Call failed',
};

/** What the state line says (and the live region announces). */
export function stateText(state: CallState, call: CallHandle | undefined, endCause: string | undefined): string {
  if (state === 'held' && call?.remoteHold && !call.localHold) return 'Held by the other party';
  if (state === 'ended' && endCause) return END_TEXT[endCause] ?? STATE_TEXT.ended;
  return STATE_TEXT[state];
}

/** m:ss, or h:mm:ss past an hour. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  const minutes = Math.floor(s / 60) % 60;
  return `${s < 3600 ? minutes : `${Math.floor(s / 3600)}:${pad(minutes)}`}:${pad(s % 60)}`;
}
