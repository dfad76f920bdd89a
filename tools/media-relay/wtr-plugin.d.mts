import type { TestRunnerPlugin } from '@web/test-runner';

/** Payload of executeServerCommand('plain-phone', payload) in a browser test (see wtr-plugin.mjs). */
export interface PlainPhoneCommand {
  action?: 'info' | 'command' | 'event' | 'events' | 'clear' | 'audio' | 'relayed';
  /** 'command': a baresip menu command line. */
  line?: string;
  /** 'event': the baresip event type to wait for, and how long. */
  type?: string;
  timeoutMs?: number;
  /** 'audio': the second of the call to measure from. */
  from?: number;
  /** 'relayed': the call's Call-ID. */
  callId?: string;
}

/** Starts rtpengine, Kamailio (WITH_RTPENGINE) and baresip per browser on first use. */
export declare function mediaRelayPlugin(): TestRunnerPlugin<PlainPhoneCommand>;
