import type { TestRunnerPlugin } from '@web/test-runner';
import type { SipdOptions, SipdServer } from './sipd.mjs';

/** Payload of executeServerCommand('sipd', payload) in a browser test. */
export interface SipdCommand {
  /** Default 'info', which fails if the server died. 'restart' brings a dead one back. */
  action?: 'info' | 'start' | 'stop' | 'restart';
  /** A named server instead of this browser's own; started on first use. */
  instance?: string;
}

/** What every sipd command resolves to (JSON: no functions). */
export interface SipdInfo extends Pick<SipdServer, 'wsUrl' | 'domain' | 'running'> {
  /** The browser's name ('Chrome', 'Firefox') or the requested instance name. */
  instance: string;
}

/** Starts sipd.py per browser on its first command, answers the 'sipd' server command. */
export declare function sipdPlugin(options?: SipdOptions): TestRunnerPlugin<SipdCommand>;
