/**
 * RFC 5626 §4.2: one registration per flow. Each flow's REGISTERs carry the same
 * `+sip.instance` and the flow's number as `reg-id`, have their own Call-ID and CSeq, go out on
 * that flow only (its edge proxy adds its own Path, RFC 3327, so the registrar routes back over
 * it), and follow that flow: registered again at once over a new connection (§4.2.1), marked lost
 * when it drops (§4.4). The user agent counts as registered while at least one flow is.
 */
import type { Emitter } from '../core/emitter';
import { isSuccess } from '../message/content';
import type { ConnectionControl, TransportState, TransportStateInfo } from '../transport/transport';
import { Registration, type RegistrationOptions } from './registration';
import type { SendResult, UaCore } from './ua-core';

export interface FlowRegistrationEvents {
  /** A flow registered (or refreshed): `flow` is its number and reg-id. */
  registered: [info: { expires: number; flow: number }];
  /** The last registered flow's binding went away. */
  unregistered: [info: { reason: string; flow: number }];
  /** A REGISTER failed while no flow was registered. */
  'registration-failed': [info: { status: number; reason: string; flow: number }];
}

export class FlowRegistrations {
  readonly events: Emitter<FlowRegistrationEvents>;
  readonly all: readonly Registration[];
  /** The connection id each flow last registered over. */
  readonly #flowIds: Array<string | undefined>;

  constructor(core: UaCore, connection: ConnectionControl, options: RegistrationOptions) {
    const events = (this.events = core.emitter());
    const count = core.transport.flowCount;
    this.#flowIds = new Array<string | undefined>(count).fill(undefined);
    this.all = Array.from({ length: count }, (_, index) => {
      const registration = new Registration(core, { ...options, flow: index + 1 });
      const flow = registration.flow;
      registration.events.on('registered', ({ expires, flowTimer }) => {
        // RFC 5626 §4.4.1: the registrar's Flow-Timer paces this flow's keep-alive.
        if (flowTimer) connection.setFlowTimer(flowTimer, flow);
        events.emit('registered', { expires, flow });
      });
      registration.events.on(
        'unregistered',
        ({ reason }) => this.registered || events.emit('unregistered', { reason, flow }),
      );
      registration.events.on(
        'failed',
        ({ status, reason }) => this.registered || events.emit('registration-failed', { status, reason, flow }),
      );
      return registration;
    });
  }

  /** Whether at least one flow is registered. */
  get registered(): boolean {
    return this.all.some((registration) => registration.registered);
  }

  /**
   * Registers every flow; resolves with the first success, or when none succeeded, with the
   * first flow's result (a flow to a dead server does not hold up the answer of a live one).
   */
  register(): Promise<SendResult> {
    return firstSuccess(this.all.map((registration) => registration.register()));
  }

  /** Removes every flow's binding; resolves with the first flow's result. */
  async unregister(): Promise<SendResult | undefined> {
    const results = await Promise.all(this.all.map((registration) => registration.unregister()));
    return results[0];
  }

  /** A flow's connection changed (RFC 5626 §4.2.1 on a new one, §4.4 on a lost one). */
  flowChanged(flow: number, state: TransportState, info: TransportStateInfo): void {
    const registration = this.all[flow - 1];
    if (!registration) return;
    if (state === 'connected' && info.flowId !== this.#flowIds[flow - 1]) {
      this.#flowIds[flow - 1] = info.flowId;
      registration.flowChanged();
    } else if (state === 'disconnected' && info.previous === 'connected') {
      registration.flowLost(`connection lost: ${info.reason}`);
    }
  }

  dispose(): void {
    for (const registration of this.all) registration.dispose();
  }
}

function firstSuccess(pending: ReadonlyArray<Promise<SendResult>>): Promise<SendResult> {
  return new Promise((resolve, reject) => {
    let left = pending.length;
    for (const result of pending) {
      result.then((settled) => {
        if (isSuccess(settled.response.status)) resolve(settled);
        else if (--left === 0) void pending[0]!.then(resolve);
      }, reject);
    }
  });
}
