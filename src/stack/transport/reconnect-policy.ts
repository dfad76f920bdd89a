/**
 * When a lost connection is tried again: the backoff policy (one quick retry, then jittered over
 * the whole window) and the one pending retry of a connection. A connection that lasts resets it.
 */
import type { Clock, TimerHandle } from '../core/clock';
import type { Random } from '../core/random';
import { Backoff } from './backoff';
import type { BackoffOptions } from './backoff';

export interface ReconnectOptions extends BackoffOptions {
  /** A connection that stays up this long resets the backoff to its first delay. */
  readonly stableAfterMs: number;
}

/**
 * The first retry comes within 250 ms: a connection that one phone lost alone (an idle proxy, a
 * blip) is back at once. When that retry fails too, the server itself is likely down, and so are
 * all its phones' connections: each later retry is then drawn from the whole of the next 25 s
 * (the factor jumps the ceiling from 250 ms to the cap), so that thousands of phones coming back
 * to a restarted server spread over 25 s instead of arriving in the same second. RFC 5626 §4.5
 * spreads flow recovery the same way (30 s base, 50-100 % of it); `npm run bench -- scale`
 * measures the spread: with a uniform draw over c seconds, at most 2/c of the phones (8 %) come
 * back in any one second after a long outage, and 99 % within 0.9c (22.5 s).
 */
export const DEFAULT_RECONNECT: ReconnectOptions = {
  initialDelayMs: 250,
  maxDelayMs: 25_000,
  factor: 100,
  jitter: 'full',
  stableAfterMs: 10_000,
};

/** One connection's reconnect schedule. */
export class Reconnector {
  readonly #backoff: Backoff;
  readonly #stableAfterMs: number;
  readonly #clock: Clock;
  #retry: TimerHandle | undefined;
  #stable: TimerHandle | undefined;

  constructor(options: Partial<ReconnectOptions>, clock: Clock, random: Random) {
    const merged = { ...DEFAULT_RECONNECT, ...options };
    this.#backoff = new Backoff(merged, random);
    this.#stableAfterMs = merged.stableAfterMs;
    this.#clock = clock;
  }

  /** Whether a retry is waiting. */
  get pending(): boolean {
    return this.#retry !== undefined;
  }

  /** Schedules `retry` after the next backoff delay; returns the delay. */
  schedule(retry: () => void): number {
    const delay = this.#backoff.next();
    this.#retry = this.#clock.setTimeout(() => {
      this.#retry = undefined;
      retry();
    }, delay);
    return delay;
  }

  /** Cancels a waiting retry; says whether one was waiting. */
  cancel(): boolean {
    if (this.#retry === undefined) return false;
    this.#clock.clearTimeout(this.#retry);
    this.#retry = undefined;
    return true;
  }

  /**
   * The connection is up. Only one that lasts resets the backoff: a server that accepts and at
   * once drops every connection must still see the delays grow.
   */
  connected(): void {
    this.#stable = this.#clock.setTimeout(() => this.#backoff.reset(), this.#stableAfterMs);
  }

  /** The connection went away (before it counted as stable, the backoff goes on growing). */
  lost(): void {
    this.#clock.clearTimeout(this.#stable);
    this.#stable = undefined;
  }

  /** Starts again from the first delay (a user's "retry now", a network change). */
  reset(): void {
    this.#backoff.reset();
  }
}
