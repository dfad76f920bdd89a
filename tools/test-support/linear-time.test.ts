// The size-scaling check itself: it must fail a quadratic path, pass a linear one, and count only
// the CPU the work used, so that time the process spends off the CPU (other processes running on
// a loaded machine) cannot fail a linear path.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertLinearTime, cpuTimeMs } from './linear-time';

/** Sum of 0..n-1, n times over: n² steps. */
const quadratic = (n: number) => () => {
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) total += j;
  return total;
};

/** One pass over n numbers. */
const linear = (n: number) => {
  const numbers = Array.from({ length: n }, (_, i) => i);
  return () => numbers.reduce((sum, value) => sum + value, 0);
};

describe('assertLinearTime', () => {
  it('fails a quadratic path', () => {
    assert.throws(() => assertLinearTime('quadratic', quadratic, { n: 300 }), /16x the input took/);
  });

  it('passes a linear path', () => {
    assert.ok(assertLinearTime('linear', linear, { n: 50_000 }) < 80);
  });

  it('counts CPU time, not time off the CPU', () => {
    // 30 ms asleep (as if preempted) uses next to no CPU; the wall clock would count all of it.
    const blocker = new Int32Array(new SharedArrayBuffer(4));
    const start = cpuTimeMs();
    Atomics.wait(blocker, 0, 0, 30);
    assert.ok(cpuTimeMs() - start < 10, `sleeping 30 ms counted ${(cpuTimeMs() - start).toFixed(1)} ms`);
  });
});
