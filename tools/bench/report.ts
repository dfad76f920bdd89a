/**
 * Small shared pieces of the benchmark sections: order statistics and Markdown tables, so every
 * section prints figures the same way and BENCHMARKS.md can take them as they are.
 */

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p90 of 10 values is the 9th smallest): no interpolation between samples. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  if (p === 50 && sorted.length % 2 === 0) return (sorted[rank - 1] + sorted[rank]) / 2;
  return sorted[rank - 1];
}

/** `a ÷ b` as `0.42x`, or a dash when either is missing. */
export function ratio(a: number, b: number, digits = 2): string {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(digits)}x` : '–';
}

export const integer = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
export const fixed = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
export const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

/** Prints a Markdown table; columns whose header starts with '>' are right-aligned. */
export function printTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const right = headers.map((h) => h.startsWith('>'));
  console.log(`| ${headers.map((h) => h.replace(/^>/, '')).join(' | ')} |`);
  console.log(`| ${right.map((r) => (r ? '---:' : '---')).join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

/** Rejects with a readable error when `promise` takes longer than `ms`. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
