import type { TestRunnerPlugin } from '@web/test-runner';
import type { CoturnOptions, CoturnServer } from './coturn.mjs';

/** What executeServerCommand('coturn', { action: 'info' }) resolves to. */
export interface CoturnInfo {
  urls: CoturnServer['urls'];
  username: string;
  credential: string;
  realm: string;
}

export declare function coturnPlugin(options?: CoturnOptions): TestRunnerPlugin;
