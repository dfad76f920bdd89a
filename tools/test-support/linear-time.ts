/**
 * The size-scaling property of the denial-of-service tests: an input `factor` times larger may
 * take about `factor` times longer, not `factor`² times. A quadratic path fed 16x the input takes
 * 256x the time; a linear one about 16x, but up to 4x more when the larger input spills out of a
 * cache or the young generation of the heap (measured on these machines), and more again under
 * load. The limit (5x the linear ratio, 80x) sits far from both, so load on a shared machine does
 * not fail a linear path and a quadratic one cannot pass.
 *
 * Time is the process's CPU time (user + system), not the wall clock: on a loaded machine (CI, or
 * eight test processes on two cores) wall time also counts the time other processes held the CPU,
 * and the small input's runs and the large one's are not preempted alike, which failed linear
 * paths at load 15 to 23. What noise remains (caches, the collector) is handled by taking the
 * fastest of several runs of each size, interleaved so that a busy moment hits both sizes alike,
 * and by repeating a fast call until a few milliseconds have passed, so that the clock's
 * resolution does not decide a small input's time.
 */
import assert from 'node:assert/strict';

export interface LinearTimeOptions {
  /** The smaller input's size; the larger is `factor` times it. */
  readonly n: number;
  /** How many times larger the second input is (16). */
  readonly factor?: number;
  /** Runs of each size (5); the fastest counts. */
  readonly runs?: number;
  /** How many times the linear ratio the measured ratio may reach (5). */
  readonly slack?: number;
}

/** CPU time this process has used, in milliseconds (microsecond resolution). */
export function cpuTimeMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU milliseconds per call of `run`, repeating it until at least `minMs` have been used. */
function timePerCall(run: () => unknown, minMs: number): number {
  let calls = 0;
  const start = cpuTimeMs();
  let elapsed = 0;
  do {
    run();
    calls++;
    elapsed = cpuTimeMs() - start;
  } while (elapsed < minMs);
  return elapsed / calls;
}

/**
 * Measures `make(n)` against `make(factor * n)` and fails when the time grew more than `slack`
 * times faster than the input. `make` builds the input (not timed) and returns the work to time.
 * Returns the measured ratio, for the report.
 */
export function assertLinearTime(what: string, make: (n: number) => () => unknown, options: LinearTimeOptions): number {
  const { n, factor = 16, runs = 5, slack = 5 } = options;
  const small = make(n);
  const large = make(n * factor);
  small();
  large();
  let smallMs = Infinity;
  let largeMs = Infinity;
  for (let run = 0; run < runs; run++) {
    smallMs = Math.min(smallMs, timePerCall(small, 5));
    largeMs = Math.min(largeMs, timePerCall(large, 5));
  }
  const ratio = largeMs / smallMs;
  assert.ok(
    ratio < factor * slack,
    `${what}: ${factor}x the input took ${ratio.toFixed(1)}x the time (${smallMs.toFixed(2)} ms -> ${largeMs.toFixed(2)} ms); linear is about ${factor}x`,
  );
  return ratio;
}
