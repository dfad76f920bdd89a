import type { TestRunnerPlugin } from '@web/test-runner';

/** Payload of executeServerCommand('sipp', payload) in a browser test (see wtr-plugin.mjs). */
export interface SippCommand {
  action?: 'info' | 'start' | 'result';
  /** 'start': a scenario file of tools/sipp/scenarios, the user it calls, its [keywords], its time limit. */
  scenario?: string;
  service?: string;
  keys?: Record<string, string>;
  timeoutMs?: number;
  /** 'result': the run `start` returned. */
  id?: number;
}

/** Starts rtpengine and Kamailio (WITH_RTPENGINE) per browser on first use; runs SIPp scenarios through them. */
export declare function sippPlugin(): TestRunnerPlugin<SippCommand>;
