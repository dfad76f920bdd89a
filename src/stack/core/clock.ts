/**
 * Time, injected. Every timer in the stack (RFC 3261 §17 transaction timers, reconnect backoff,
 * RFC 5626 keep-alives) is scheduled through a Clock, so a test can swap in the FakeClock and
 * advance 32 seconds of Timer B in a millisecond (STYLE.md habit 4).
 */

declare const timerHandleBrand: unique symbol;

/** An opaque timer handle: only the clock that made it knows what it is. */
export type TimerHandle = { readonly [timerHandleBrand]: true };

export interface Clock {
  /** Milliseconds since an arbitrary origin; only differences are meaningful. */
  now(): number;
  /** Runs `callback` once, `delayMs` from now (negative or NaN delays mean 0). */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer; a handle that already fired, was cleared, or is undefined is ignored. */
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** The host's clock: globalThis timers (browser or Node) and Date.now(). */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs) as unknown as TimerHandle,
  clearTimeout: (handle) => {
    if (handle !== undefined) clearTimeout(handle);
  },
};
