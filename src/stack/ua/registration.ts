import type { TimerHandle } from '../core/clock';
import type { Emitter } from '../core/emitter';
import { SipUri, type NameAddr, type SipRequest, type SipResponse } from '../message/message';
import { unquote } from '../message/scanner';
import { parseUri } from '../message/uri';
import { type SendResult, type UaCore } from './ua-core';
import { isSuccess } from '../message/content';

export type RegistrationState = 'unregistered' | 'registering' | 'registered' | 'unregistering';

export interface RegistrationEvents {
  /** `flowTimer`: the registrar's Flow-Timer in seconds (RFC 5626 §4.4.1), for the flow's keep-alive. */
  registered: [info: { expires: number; response: SipResponse; flowTimer?: number }];
  unregistered: [info: { reason: string }];
  failed: [info: { status: number; reason: string; response: SipResponse }];
}

export interface RegistrationOptions {
  /** Requested binding lifetime in seconds. */
  expires: number;
  /** How long a REGISTER waits for the connection before it fails as a 503 (the UA's message wait). */
  connectWaitMs: number;
  /** The flow this registration is for (RFC 5626 §4.2.1): its REGISTERs go there, with it as reg-id (1). */
  flow?: number;
}

/**
 * Registration of one Contact at the registrar of the AOR's domain (RFC 3261 §10.2) with RFC 5626
 * outbound: one Call-ID and increasing CSeq for every REGISTER (§10.2.4), refresh before expiry,
 * 423 Interval Too Brief answered with the Min-Expires asked for (§10.2.8), and removal with
 * Expires 0 (§10.2.2).
 */
/** The shortest wait between REGISTERs this UA sends on its own (refresh or retry), in seconds. */
export const MIN_REFRESH_S = 30;
/** The longest delay setTimeout honours (2^31-1 ms, about 24.8 days). */
const MAX_TIMER_MS = 0x7fffffff;

export class Registration {
  readonly events: Emitter<RegistrationEvents>;
  readonly #core: UaCore;
  readonly #callId: string;
  readonly #fromTag: string;
  #seq = 0;
  #expires: number;
  #timer: TimerHandle | undefined;
  #state: RegistrationState = 'unregistered';
  /** Whether the application wants a binding: reconnects and failures register again only then. */
  #wanted = false;
  #inFlight: Promise<SendResult> | undefined;
  /** The last REGISTER timed out: it may have made a binding all the same. */
  #unsure = false;
  readonly #connectWaitMs: number;
  readonly flow: number;
  /** Ends a wait for the connection at once (the user agent is being disposed). */
  #stopWaiting: (() => void) | undefined;

  constructor(core: UaCore, options: RegistrationOptions) {
    this.events = core.emitter();
    this.#core = core;
    this.#callId = core.newCallId();
    this.#fromTag = core.newTag();
    this.#expires = options.expires;
    this.#connectWaitMs = options.connectWaitMs;
    this.flow = options.flow ?? 1;
  }

  get state(): RegistrationState {
    return this.#state;
  }

  get registered(): boolean {
    return this.#state === 'registered';
  }

  /** Registers (or refreshes) now; resolves with the final response. */
  register(): Promise<SendResult> {
    this.#wanted = true;
    return (this.#inFlight ??= this.#register(this.#expires).finally(() => (this.#inFlight = undefined)));
  }

  /** Removes our binding (Expires 0) and stops refreshing. */
  async unregister(): Promise<SendResult | undefined> {
    this.#wanted = false;
    this.#core.clock.clearTimeout(this.#timer);
    // A REGISTER still waiting for its flow to connect goes now (and fails at once if the flow is
    // down): removing the binding must not wait for a server that is away (RFC 5626 §4.2: a phone
    // with several flows unregisters while one of them is down).
    this.#stopWaiting?.();
    await this.#inFlight?.catch(() => undefined);
    // §10.2.2: a REGISTER that timed out may have reached the registrar; Expires 0 removes its binding.
    if (this.#state === 'unregistered' && !this.#unsure) return undefined;
    this.#state = 'unregistering';
    const result = await this.#send(0);
    const { status, reason } = result.response;
    this.#unsure = result.error?.name === 'TimeoutError';
    this.#state = 'unregistered';
    this.events.emit('unregistered', { reason: status < 300 ? 'unregistered' : `${status} ${reason}` });
    return result;
  }

  /**
   * The flow under the binding is gone or new (RFC 5626 §4.2.1, §4.4.1): a wanted binding is
   * registered again at once over the new connection.
   */
  flowChanged(): void {
    if (this.#wanted) void this.register();
  }

  /** The connection dropped: the registrar's binding points at a dead flow until we register again. */
  flowLost(reason: string): void {
    this.#core.clock.clearTimeout(this.#timer);
    if (this.#state === 'registered' || this.#state === 'registering') {
      this.#state = 'unregistered';
      this.events.emit('unregistered', { reason });
    }
  }

  /** Stops timers without sending anything (the user agent is being disposed). */
  dispose(): void {
    this.#wanted = false;
    this.#core.clock.clearTimeout(this.#timer);
    this.#stopWaiting?.();
    this.events.clear();
  }

  /** A REGISTER (same Call-ID and From tag, next CSeq) asking for `expires`, sent. */
  #send(expires: number): Promise<SendResult> {
    const core = this.#core;
    const aor = core.aor;
    // §10.2: the Request-URI names the domain of the location service, no user part.
    const registrar = new SipUri({ scheme: aor.scheme, host: aor.host, port: aor.port });
    const request = core.createRequest('REGISTER', registrar, {
      to: core.localAddress(),
      callId: this.#callId,
      fromTag: this.#fromTag,
      seq: ++this.#seq,
    });
    request.setHeader('Contact', core.contact(true, this.flow));
    request.setHeader('Expires', expires);
    return core.send(request, { nextSeq: () => ++this.#seq, flow: this.flow });
  }

  async #register(expires: number): Promise<SendResult> {
    const core = this.#core;
    core.clock.clearTimeout(this.#timer);
    if (this.#state !== 'registered') this.#state = 'registering';
    await this.#connection();
    const result = await this.#send(expires);
    const response = result.response;
    const status = response.status;
    this.#unsure = result.error?.name === 'TimeoutError';
    const header = (name: string) => Number(response.header(name));
    if (isSuccess(status)) {
      // §10.2.4: the expiry granted is our Contact's `expires`, else the Expires header.
      const binding = response.contact.find(
        (entry): entry is NameAddr => entry !== '*' && core.isOurContact(entry.uri),
      );
      const granted = binding?.expires ?? response.expires ?? expires;
      // RFC 5627 §5.1: the registrar returns our public GRUU as the `pub-gruu` parameter of our binding.
      const gruu = binding?.params.get('pub-gruu');
      try {
        core.gruu = gruu ? parseUri(gruu.startsWith('"') ? unquote(gruu) : gruu) : undefined;
      } catch {
        core.gruu = undefined;
        core.logger.warn('pub-gruu is not a URI; dialogs use the plain Contact');
      }
      if (core.useRegisteredContact) core.registeredContact = registeredBinding(response, result.request)?.uri;
      this.#state = 'registered';
      // Refreshed at the larger of half its life and its life less 30 s.
      this.#retry(Math.max(granted / 2, granted - 30));
      const flowTimer = header('Flow-Timer');
      const timer = flowTimer > 0 && Number.isInteger(flowTimer) ? flowTimer : undefined;
      this.events.emit('registered', { expires: granted, response, flowTimer: timer });
      return result;
    }
    // §10.2.8: retry with the registrar's minimum, once; a second 423 is a failure.
    const minimum = header('Min-Expires');
    if (status === 423 && Number.isInteger(minimum) && minimum > expires)
      return this.#register((this.#expires = minimum));
    this.#state = 'unregistered';
    this.events.emit('failed', { status, reason: result.authProblem ?? response.reason, response });
    // After a 5xx or a timeout (a 408 received, or Timer F, §17.1.2.2), try again after
    // Retry-After or 30 s. A lost connection is not retried here: the new flow registers at once.
    if (this.#wanted && (status > 499 || status === 408) && result.error?.name !== 'TransportError') {
      const retryAfter = Number.parseInt(response.header('Retry-After') ?? '', 10);
      this.#retry(retryAfter > 0 ? retryAfter : 30);
    }
    return result;
  }

  /**
   * Waits for the connection, as a MESSAGE does: a page calls register() right after making the
   * user agent, while the WebSocket is still opening. A REGISTER sent then fails at once as a 503
   * (§8.1.3.1, a transport failure); after the wait it is sent anyway and fails the same way.
   */
  #connection(): Promise<void> {
    const core = this.#core;
    const flow = this.flow;
    if (core.transport.flowState(flow) === 'connected') return Promise.resolve();
    return new Promise((resolve) => {
      // Ended by the connection, the wait's end or dispose(), whichever comes first; each clears
      // the others, so a stopped user agent keeps no timer running.
      const done = (): void => {
        core.clock.clearTimeout(timer);
        off();
        this.#stopWaiting = undefined;
        resolve();
      };
      const timer = core.clock.setTimeout(done, this.#connectWaitMs);
      const off = core.transport.onFlowChange((changed, state) => changed === flow && state === 'connected' && done());
      this.#stopWaiting = done;
    });
  }

  /**
   * Schedules the next REGISTER, never sooner than MIN_REFRESH_S: a registrar (or whoever answers
   * for it) granting Expires 0 or 1, or asking Retry-After: 1, would otherwise have us send a
   * REGISTER as fast as it answers (issue 15). Never later than a timer can wait, either: a
   * browser fires a delay beyond 2^31-1 ms at once, which Expires 4294967295 would reach.
   */
  #retry(seconds: number): void {
    const ms = Math.min(Math.max(seconds, MIN_REFRESH_S) * 1000, MAX_TIMER_MS);
    this.#timer = this.#core.clock.setTimeout(() => void this.register(), ms);
  }
}

/**
 * Our binding in a 2xx to REGISTER, found by the `+sip.instance` and `reg-id` we registered with
 * (together they name a binding, RFC 5626 §6): a registrar may store a URI other than the one we
 * sent. sipd.py stores the address the REGISTER came from (Via `received` and `rport`) under our
 * user part, and routes requests for that URI over our connection.
 */
function registeredBinding(response: SipResponse, request: SipRequest): NameAddr | undefined {
  const sent = request.contact[0];
  if (!sent || sent === '*') return undefined;
  const instance = sent.params.get('+sip.instance');
  const regId = sent.params.get('reg-id');
  if (!instance) return undefined;
  return response.contact.find(
    (entry): entry is NameAddr =>
      entry !== '*' && entry.params.get('+sip.instance') === instance && entry.params.get('reg-id') === regId,
  );
}
