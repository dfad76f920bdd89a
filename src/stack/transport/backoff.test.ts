import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff';
import type { BackoffJitter } from './backoff';
import { seededRandom } from '../core/seeded-random.fake';

const options = (jitter: BackoffJitter) => ({ initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter });
const draw = (backoff: Backoff, count: number): number[] => Array.from({ length: count }, () => backoff.next());

describe('Backoff', () => {
  it('without jitter doubles from the initial delay up to the cap', () => {
    const backoff = new Backoff(options('none'), seededRandom(1));
    assert.deepEqual(draw(backoff, 7), [100, 200, 400, 800, 1000, 1000, 1000]);
    assert.equal(backoff.attempt, 7);
  });

  it('full jitter stays within [0, ceiling] and under the cap, and is repeatable with a seed', () => {
    const ceilings = [100, 200, 400, 800, 1000, 1000, 1000, 1000];
    const first = draw(new Backoff(options('full'), seededRandom(99)), ceilings.length);
    first.forEach((delay, n) => assert.ok(delay >= 0 && delay <= ceilings[n]!, `delay ${n} = ${delay}`));
    assert.deepEqual(draw(new Backoff(options('full'), seededRandom(99)), ceilings.length), first);
    assert.notDeepEqual(draw(new Backoff(options('full'), seededRandom(100)), ceilings.length), first);
  });

  it('equal jitter stays within [ceiling/2, ceiling]', () => {
    const backoff = new Backoff(options('equal'), seededRandom(5));
    const ceilings = [100, 200, 400, 800, 1000, 1000];
    draw(backoff, ceilings.length).forEach((delay, n) => {
      assert.ok(delay >= ceilings[n]! / 2 && delay <= ceilings[n]!, `delay ${n} = ${delay}`);
    });
  });

  it('decorrelated jitter stays within [initial, 2 × previous] and under the cap', () => {
    const backoff = new Backoff(options('decorrelated'), seededRandom(11));
    let previous = 100;
    for (const delay of draw(backoff, 40)) {
      assert.ok(delay >= 100 && delay <= Math.min(1000, Math.round(previous * 2)), `${delay} after ${previous}`);
      previous = delay;
    }
  });

  it('spreads full-jitter delays instead of bunching them', () => {
    const random = seededRandom(3);
    const delays = Array.from({ length: 1000 }, () => new Backoff(options('full'), random).next());
    const low = delays.filter((d) => d < 50).length;
    assert.ok(low > 400 && low < 600, `${low} of 1000 first delays in the lower half`);
  });

  it('reset() starts again from the initial delay', () => {
    for (const jitter of ['none', 'full', 'equal', 'decorrelated'] as const) {
      const backoff = new Backoff(options(jitter), seededRandom(8));
      draw(backoff, 6);
      backoff.reset();
      assert.equal(backoff.attempt, 0);
      const delay = backoff.next();
      assert.ok(delay <= 200 && delay >= 0, `${jitter}: first delay after reset ${delay}`);
      if (jitter === 'none') assert.equal(delay, 100);
    }
  });

  it('rejects nonsensical options (a programming error)', () => {
    const random = seededRandom(1);
    assert.throws(() => new Backoff({ ...options('none'), initialDelayMs: 0 }, random), RangeError);
    assert.throws(() => new Backoff({ ...options('none'), maxDelayMs: 50 }, random), RangeError);
    assert.throws(() => new Backoff({ ...options('none'), factor: 0.5 }, random), RangeError);
  });
});
