/**
 * The shared frame of the stateful fuzz tests: a seeded fast-check run whose settings come from
 * environment variables named by a prefix (`<PREFIX>_SEED`, `<PREFIX>_RUNS`, `<PREFIX>_PATH`), and
 * whose failure says how to replay it, with the shrunk counterexample's own message.
 */
import fc from 'fast-check';

export interface FuzzSettings {
  readonly seed: number;
  readonly runs: number;
  /** fast-check's path of one counterexample: replays only it. */
  readonly path: string | undefined;
}

export function fuzzSettings(prefix: string, defaults: { seed: number; runs: number }): FuzzSettings {
  const env = process.env;
  return {
    seed: Number(env[`${prefix}_SEED`] ?? defaults.seed),
    runs: Number(env[`${prefix}_RUNS`] ?? defaults.runs),
    path: env[`${prefix}_PATH`],
  };
}

/**
 * Runs the property; on failure throws an error that starts with the line replaying it
 * (`<PREFIX>_SEED=… <PREFIX>_PATH=…`, plus `extra` settings the test reads).
 */
export async function assertReplayable<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncPropertyWithHooks<Ts>,
  prefix: string,
  settings: FuzzSettings,
  extra = '',
): Promise<void> {
  try {
    await fc.assert(property, {
      seed: settings.seed,
      numRuns: settings.runs,
      ...(settings.path ? { path: settings.path } : {}),
    });
  } catch (error) {
    // fast-check's message carries the seed and path of the shrunk counterexample.
    const text = (error as Error).message;
    const [, seed, path] = /seed: (-?\d+), path: "([^"]*)"/.exec(text) ?? [];
    const cause = (error as Error).cause;
    const why = cause instanceof Error ? cause.message : String(cause);
    const replay = [`${prefix}_SEED=${seed ?? settings.seed}`, extra, `${prefix}_PATH=${path ?? ''}`]
      .filter(Boolean)
      .join(' ');
    throw new Error(`replay: ${replay}\n${text}\n${why}`, { cause: error });
  }
}
