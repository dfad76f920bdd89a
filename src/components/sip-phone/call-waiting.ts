import type { CallHandle, CallState } from '../shared/call-handle';
import type { Tone } from '../shared/tone-player';

/** A call the user is in: connected, or held (still theirs, and they may be talking on another). */
const up = (state: CallState) => state === 'connected' || state === 'held';

/**
 * Which tone the phone plays for its calls: a call ringing here rings (ringtone), unless another
 * call is up, when it is announced by the call-waiting tone instead so the user can keep talking;
 * else an outgoing call the far end rings plays ringback; else nothing.
 */
export function phoneTone(calls: readonly CallHandle[]): Tone | undefined {
  if (calls.some((call) => call.state === 'incoming'))
    return calls.some((call) => up(call.state)) ? 'call-waiting' : 'ringtone';
  return calls.some((call) => call.direction === 'outgoing' && call.state === 'ringing') ? 'ringback' : undefined;
}
