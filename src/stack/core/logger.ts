/**
 * Logging, injected: the stack never touches `console` (it runs in pages and in Node tools, and a
 * library should not write where its host did not ask). `console` itself satisfies Logger.
 */
export interface Logger {
  debug(message: string, ...data: unknown[]): void;
  info(message: string, ...data: unknown[]): void;
  warn(message: string, ...data: unknown[]): void;
  error(message: string, ...data: unknown[]): void;
}

const ignore = (): void => {};

/** The default: says nothing. */
export const noopLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
