/**
 * A deterministic Clock for tests: time moves only when the test says so. Timers fire in time
 * order (ties in the order they were scheduled), and a timer scheduled by a firing timer fires in
 * the same advance() if it falls due within it, so a test walks through RFC 3261 Timer A doubling
 * up to Timer B (64*T1 = 32 s) in a millisecond of real time.
 */
import type { Clock, TimerHandle } from './clock';

interface ScheduledTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  /** Sorted by `at`, then by id (= scheduling order). */
  #timers: ScheduledTimer[] = [];

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const timer: ScheduledTimer = { id: this.#nextId++, at: this.#now + delay, callback };
    // Insert after every timer due at or before this one: equal times keep scheduling order.
    let index = this.#timers.length;
    while (index > 0 && this.#timers[index - 1]!.at > timer.at) index--;
    this.#timers.splice(index, 0, timer);
    return timer.id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    const id = handle as unknown as number | undefined;
    const index = this.#timers.findIndex((timer) => timer.id === id);
    if (index >= 0) this.#timers.splice(index, 1);
  }

  /** How many timers are scheduled and not yet fired. */
  get pending(): number {
    return this.#timers.length;
  }

  /** When the next timer falls due, or undefined when none is scheduled. */
  nextTimerAt(): number | undefined {
    return this.#timers[0]?.at;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, each at its own
   * time (now() inside a callback reads the timer's due time). Returns how many fired.
   */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`advance() needs a non-negative duration, got ${ms}`);
    const target = this.#now + ms;
    let fired = 0;
    while (this.#timers.length > 0 && this.#timers[0]!.at <= target) {
      this.#fireNext();
      fired++;
    }
    this.#now = target;
    return fired;
  }

  /** Fires the next timer, moving time to it; returns false when none is scheduled. */
  runNext(): boolean {
    if (this.#timers.length === 0) return false;
    this.#fireNext();
    return true;
  }

  /**
   * Fires timers until none is left, moving time along. A periodic timer (a keep-alive) never
   * runs out, so past `limit` timers this throws instead of spinning forever.
   */
  runAll(limit = 10_000): number {
    let fired = 0;
    while (this.#timers.length > 0) {
      if (fired >= limit) {
        throw new Error(`FakeClock.runAll(): still ${this.#timers.length} timer(s) after ${limit} fired`);
      }
      this.#fireNext();
      fired++;
    }
    return fired;
  }

  #fireNext(): void {
    const timer = this.#timers.shift()!;
    this.#now = Math.max(this.#now, timer.at);
    timer.callback();
  }
}
