/**
 * Reconnect delays: exponential backoff, capped, with jitter so that a thousand phones that lost
 * the same server do not all come back in the same millisecond. The jitter modes are the ones
 * compared in "Exponential Backoff And Jitter" (Marc Brooker, AWS Architecture Blog, 2015):
 *
 *   none          ceiling = min(max, initial * factor^n)
 *   full          uniform(0, ceiling)
 *   equal         ceiling/2 + uniform(0, ceiling/2)
 *   decorrelated  min(max, uniform(initial, previous * factor))
 */
import type { Random } from '../core/random';

export type BackoffJitter = 'none' | 'full' | 'equal' | 'decorrelated';

export interface BackoffOptions {
  /** First ceiling (none/full/equal) or floor (decorrelated), in ms. */
  readonly initialDelayMs: number;
  /** No delay is longer than this. */
  readonly maxDelayMs: number;
  /** Growth per attempt (≥ 1). */
  readonly factor: number;
  readonly jitter: BackoffJitter;
}

export class Backoff {
  readonly #options: BackoffOptions;
  readonly #random: Random;
  #attempt = 0;
  #previous: number;

  constructor(options: BackoffOptions, random: Random) {
    const { initialDelayMs, maxDelayMs, factor } = options;
    if (!(initialDelayMs > 0)) throw new RangeError(`initialDelayMs must be > 0, got ${initialDelayMs}`);
    if (!(maxDelayMs >= initialDelayMs)) throw new RangeError('maxDelayMs must be ≥ initialDelayMs');
    if (!(factor >= 1)) throw new RangeError(`factor must be ≥ 1, got ${factor}`);
    this.#options = options;
    this.#random = random;
    this.#previous = initialDelayMs;
  }

  /** How many delays were handed out since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt, in whole ms. */
  next(): number {
    const { initialDelayMs, maxDelayMs, factor, jitter } = this.#options;
    const ceiling = Math.min(maxDelayMs, initialDelayMs * factor ** this.#attempt);
    this.#attempt++;
    switch (jitter) {
      case 'none':
        return Math.round(ceiling);
      case 'full':
        return Math.round(this.#random.float() * ceiling);
      case 'equal':
        return Math.round(ceiling / 2 + (this.#random.float() * ceiling) / 2);
      case 'decorrelated': {
        const upper = Math.max(initialDelayMs, this.#previous * factor);
        this.#previous = Math.min(maxDelayMs, initialDelayMs + this.#random.float() * (upper - initialDelayMs));
        return Math.round(this.#previous);
      }
    }
  }

  /** After a stable connection: the next failure starts again from the initial delay. */
  reset(): void {
    this.#attempt = 0;
    this.#previous = this.#options.initialDelayMs;
  }
}
