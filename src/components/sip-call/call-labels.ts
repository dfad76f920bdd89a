import type { CallEndCause, CallState } from '../shared/events';
import type { callStrings } from './call-strings';
import type { PlainKeys } from '../i18n/strings';
import type { CallHandle } from '../shared/call-handle';

/**
 * The key of what the state line says (and the live region announces) in the call's table:
 * the state, or why the call ended.
 */
export function stateKey(
  state: CallState,
  call: CallHandle | undefined,
  endCause: CallEndCause | undefined,
): PlainKeys<typeof callStrings> {
  if (state === 'held' && call?.remoteHold && !call.localHold) return 'heldByPeer';
  if (state === 'ended' && endCause && endCause !== 'hangup') return `ended.${endCause}`;
  return state;
}

/** m:ss, or h:mm:ss past an hour. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  const minutes = Math.floor(s / 60) % 60;
  return `${s < 3600 ? minutes : `${Math.floor(s / 3600)}:${pad(minutes)}`}:${pad(s % 60)}`;
}
