// What the two stateful fuzz rigs (user-agent.fuzz.fixtures.ts, user-agent.pair-fuzz.fixtures.ts)
// share: driving the fake clock the way an event loop would, and picking among live things.
import type { FakeClock } from '../core/clock.fake';

/** Counting from the newest: small indexes (fast-check's favourites) land on live things. */
export function recent<T>(list: readonly T[], index: number): T | undefined {
  return list.length ? list[list.length - 1 - (index % list.length)] : undefined;
}

/** An error with its stack, or anything else as text, for a problem report. */
export function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}${value.stack ? `\n${value.stack}` : ''}`;
  return String(value);
}

/**
 * Moves a fake clock timer by timer, with promise jobs run between timers as between two tasks of
 * a real event loop. Whatever a timer throws escaped the stack (deliveries are timers too), and is
 * reported, not thrown.
 */
export class ClockDriver {
  constructor(
    readonly clock: FakeClock,
    readonly report: (problem: string) => void,
  ) {}

  /** Fires the timers due within `ms`. */
  tick(ms: number): void {
    try {
      this.clock.advance(ms);
    } catch (error) {
      this.report(`an error escaped the stack into a timer or the transport's receive path: ${describe(error)}`);
    }
  }

  /** Lets promise chains run, firing what becomes due now, a few rounds. */
  async settle(rounds = 6): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      this.tick(0);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Advances `ms`, one timer at a time. `between` runs before each timer and says whether it did
   * something (a network delivering), in which case the rounds go on before time moves. More than
   * `limit` rounds is reported: timers or messages that never stop.
   */
  async advance(ms: number, between?: () => Promise<boolean>, limit = 20_000): Promise<void> {
    const clock = this.clock;
    const target = clock.now() + ms;
    for (let rounds = 0; ; rounds++) {
      await this.settle(2);
      if (between && (await between())) continue;
      const next = clock.nextTimerAt();
      if (next === undefined || next > target) break;
      if (rounds > limit) return this.report(`no quiescence within ${ms} ms: more than ${limit} timers or deliveries`);
      this.tick(next - clock.now());
    }
    this.tick(target - clock.now());
    await this.settle();
  }
}
