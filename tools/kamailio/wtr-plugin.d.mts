import type { TestRunnerPlugin } from '@web/test-runner';
import type { KamailioOptions, KamailioServer } from './kamailio.mjs';

/** Payload of executeServerCommand('kamailio', payload) in a browser test. */
export interface KamailioCommand {
  /** Default 'info'. 'stop' and 'start' bracket an outage; 'restart' does both at once. */
  action?: 'info' | 'start' | 'stop' | 'restart';
  /** A named server instead of this browser's own; started on first use. */
  instance?: string;
}

/** What every kamailio command resolves to (JSON: no functions). */
export interface KamailioInfo extends Pick<
  KamailioServer,
  'wsUrl' | 'wssUrl' | 'udpPort' | 'domain' | 'users' | 'running'
> {
  /** The browser's name ('Chrome', 'Firefox') or the requested instance name. */
  instance: string;
}

/** Starts Kamailio per browser in serverStart, answers the 'kamailio' server command. */
export declare function kamailioPlugin(options?: KamailioOptions): TestRunnerPlugin<KamailioCommand>;
