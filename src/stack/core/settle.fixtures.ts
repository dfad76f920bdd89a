/**
 * The one way the stack's tests let their fake world come to rest. A test drives the stack with a
 * FakeClock (timers, and the in-memory transport's deliveries, which are zero-delay timers) while
 * the stack's own continuations are promise jobs. So a round fires the timers due now, then waits
 * one macrotask (`setImmediate`): Node runs every queued promise job before any macrotask, so
 * every `await` chain those timers started has run as far as it can. Rounds repeat until one ends
 * with no timer due now: nothing is left to happen until time moves. Counting rounds instead (the
 * old `flush()`, `flush()`, `flush()`) left a longer exchange half done or waited for nothing.
 */
import type { FakeClock } from './clock.fake';

/** More rounds than this means timers that keep re-arming at the same instant: a bug, not a slow test. */
const ROUND_LIMIT = 1000;

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Fires due timers and drains promise jobs until nothing is due at the clock's present time. */
export async function settle(clock: FakeClock): Promise<void> {
  for (let round = 0; round < ROUND_LIMIT; round++) {
    clock.advance(0);
    await nextMacrotask();
    const next = clock.nextTimerAt();
    if (next === undefined || next > clock.now()) return;
  }
  throw new Error(`settle(): timers still due at ${clock.now()} ms after ${ROUND_LIMIT} rounds`);
}
