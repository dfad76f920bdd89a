/** A Logger (the stack's interface) writing to the console with a prefix and a level threshold. */
import type { Logger } from '../../src/stack/core/logger';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export function isLogLevel(value: string | undefined): value is LogLevel {
  return ORDER.includes(value as LogLevel);
}

export function consoleLogger(level: LogLevel = 'info', prefix = '[sip]'): Logger {
  const threshold = ORDER.indexOf(level);
  const at =
    (name: Exclude<LogLevel, 'silent'>) =>
    (message: string, ...data: unknown[]): void => {
      if (ORDER.indexOf(name) < threshold) return;
      const write = name === 'error' ? console.error : name === 'warn' ? console.warn : console.log;
      write(`${prefix} ${message}`, ...data);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
