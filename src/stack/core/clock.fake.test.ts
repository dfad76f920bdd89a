import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './clock.fake';
import { realClock } from './clock';

describe('FakeClock', () => {
  it('fires nothing until time is advanced, then fires at the due time', () => {
    const clock = new FakeClock(1000);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 500);
    assert.equal(clock.pending, 1);
    assert.equal(clock.advance(499), 0);
    assert.deepEqual(fired, []);
    assert.equal(clock.advance(1), 1);
    assert.deepEqual(fired, [1500]);
    assert.equal(clock.now(), 1500);
    assert.equal(clock.pending, 0);
  });

  it('fires in time order, and timers due at the same time in scheduling order', () => {
    const clock = new FakeClock();
    const order: string[] = [];
    clock.setTimeout(() => order.push('c@30'), 30);
    clock.setTimeout(() => order.push('a@10'), 10);
    clock.setTimeout(() => order.push('b1@20'), 20);
    clock.setTimeout(() => order.push('b2@20'), 20);
    clock.setTimeout(() => order.push('zero'), 0);
    clock.advance(100);
    assert.deepEqual(order, ['zero', 'a@10', 'b1@20', 'b2@20', 'c@30']);
    assert.equal(clock.now(), 100);
  });

  it('fires timers scheduled by timers within the same advance (RFC 3261 Timer A doubling to Timer B)', () => {
    const clock = new FakeClock();
    const T1 = 500;
    const retransmits: number[] = [];
    let timerA = T1;
    let timedOutAt: number | undefined;
    const handleA = { current: undefined as ReturnType<FakeClock['setTimeout']> | undefined };
    const scheduleA = (): void => {
      handleA.current = clock.setTimeout(() => {
        retransmits.push(clock.now());
        timerA *= 2;
        scheduleA();
      }, timerA);
    };
    scheduleA();
    clock.setTimeout(() => {
      timedOutAt = clock.now();
      clock.clearTimeout(handleA.current);
    }, 64 * T1);

    const started = performance.now();
    clock.advance(32_000);
    assert.ok(performance.now() - started < 250, '32 s of timers take a blink, not 32 s');

    assert.deepEqual(retransmits, [500, 1500, 3500, 7500, 15500, 31500]);
    assert.equal(timedOutAt, 32_000);
    assert.equal(clock.pending, 0);
  });

  it('clearTimeout cancels, ignores unknown, fired and undefined handles', () => {
    const clock = new FakeClock();
    let fired = 0;
    const a = clock.setTimeout(() => fired++, 10);
    const b = clock.setTimeout(() => fired++, 20);
    clock.clearTimeout(a);
    clock.clearTimeout(undefined);
    clock.advance(30);
    assert.equal(fired, 1);
    clock.clearTimeout(b);
    clock.clearTimeout(a);
    assert.equal(clock.pending, 0);
  });

  it('a timer may clear a later timer that is due in the same advance', () => {
    const clock = new FakeClock();
    const order: string[] = [];
    const later = clock.setTimeout(() => order.push('later'), 20);
    clock.setTimeout(() => {
      order.push('first');
      clock.clearTimeout(later);
    }, 10);
    clock.advance(50);
    assert.deepEqual(order, ['first']);
  });

  it('treats negative and NaN delays as zero', () => {
    const clock = new FakeClock(5);
    const at: number[] = [];
    clock.setTimeout(() => at.push(clock.now()), -10);
    clock.setTimeout(() => at.push(clock.now()), Number.NaN);
    clock.advance(0);
    assert.deepEqual(at, [5, 5]);
  });

  it('runNext() and nextTimerAt() step one timer at a time', () => {
    const clock = new FakeClock();
    clock.setTimeout(() => {}, 40);
    clock.setTimeout(() => {}, 15);
    assert.equal(clock.nextTimerAt(), 15);
    assert.equal(clock.runNext(), true);
    assert.equal(clock.now(), 15);
    assert.equal(clock.nextTimerAt(), 40);
    assert.equal(clock.runNext(), true);
    assert.equal(clock.runNext(), false);
    assert.equal(clock.nextTimerAt(), undefined);
  });

  it('runAll() drains chains of timers and refuses to spin forever on a periodic one', () => {
    const clock = new FakeClock();
    let count = 0;
    const chain = (): void => {
      if (++count < 5) clock.setTimeout(chain, 1000);
    };
    clock.setTimeout(chain, 1000);
    assert.equal(clock.runAll(), 5);
    assert.equal(clock.now(), 5000);

    const tick = (): void => void clock.setTimeout(tick, 10);
    tick();
    assert.throws(() => clock.runAll(100), /after 100 fired/);
  });

  it('propagates an error thrown by a timer callback', () => {
    const clock = new FakeClock();
    clock.setTimeout(() => {
      throw new Error('bug in a timer');
    }, 1);
    assert.throws(() => clock.advance(1), /bug in a timer/);
  });

  it('rejects a negative advance', () => {
    assert.throws(() => new FakeClock().advance(-1), RangeError);
  });
});

describe('realClock', () => {
  it('runs and cancels host timers', async () => {
    const fired: string[] = [];
    const cancelled = realClock.setTimeout(() => fired.push('cancelled'), 1);
    realClock.clearTimeout(cancelled);
    realClock.clearTimeout(undefined);
    const start = realClock.now();
    await new Promise<void>((resolve) => realClock.setTimeout(() => resolve(), 5));
    assert.ok(realClock.now() - start >= 4);
    assert.deepEqual(fired, []);
  });
});
