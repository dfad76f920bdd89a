import type { TimerHandle } from '../core/clock';
import { Emitter } from '../core/emitter';
import { SipUri, type NameAddr, type SipRequest, type SipResponse, type Uri } from '../message/message';
import { unquote } from '../message/scanner';
import { parseUri } from '../message/uri';
import type { SendResult, UaCore } from './ua-core';

export type RegistrationState = 'unregistered' | 'registering' | 'registered' | 'unregistering';

export interface RegistrationEvents {
  registered: [info: { expires: number; response: SipResponse }];
  unregistered: [info: { reason: string }];
  failed: [info: { status: number; reason: string; response: SipResponse }];
}

export interface RegistrationOptions {
  /** Requested binding lifetime in seconds. */
  expires: number;
}

/** How long before expiry a binding is refreshed: the larger of half its life and its life less this margin. */
const REFRESH_MARGIN_S = 30;
/** After a 5xx or a timeout, try again after Retry-After or this long (a new flow retries at once). */
const RETRY_AFTER_FAILURE_S = 30;

/**
 * Registration of one Contact at the registrar of the AOR's domain (RFC 3261 §10.2) with RFC 5626
 * outbound: one Call-ID and increasing CSeq for every REGISTER (§10.2.4), refresh before expiry,
 * 423 Interval Too Brief answered with the Min-Expires asked for (§10.2.8), and removal with
 * Expires 0 (§10.2.2).
 */
export class Registration {
  readonly events = new Emitter<RegistrationEvents>((error) => this.core.logger.error('registration listener failed', error));
  private readonly callId: string;
  private readonly fromTag: string;
  private seq = 0;
  private expires: number;
  private refreshTimer: TimerHandle | undefined;
  private currentState: RegistrationState = 'unregistered';
  /** Whether the application wants a binding: reconnects and failures register again only then. */
  private wanted = false;
  private inFlight: Promise<SendResult> | undefined;

  constructor(
    private readonly core: UaCore,
    options: RegistrationOptions,
  ) {
    this.callId = core.newCallId();
    this.fromTag = core.newTag();
    this.expires = options.expires;
  }

  get state(): RegistrationState {
    return this.currentState;
  }

  get registered(): boolean {
    return this.currentState === 'registered';
  }

  /** Registers (or refreshes) now; resolves with the final response. */
  register(): Promise<SendResult> {
    this.wanted = true;
    this.inFlight ??= this.sendRegister(this.expires).finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Removes our binding (Expires 0) and stops refreshing. */
  async unregister(): Promise<SendResult | undefined> {
    this.wanted = false;
    this.core.clock.clearTimeout(this.refreshTimer);
    if (this.inFlight) await this.inFlight.catch(() => undefined);
    if (this.currentState === 'unregistered') return undefined;
    this.currentState = 'unregistering';
    const result = await this.core.send(this.createRegister(0), { nextSeq: () => ++this.seq });
    this.currentState = 'unregistered';
    this.events.emit('unregistered', { reason: result.response.status < 300 ? 'unregistered' : `${result.response.status} ${result.response.reason}` });
    return result;
  }

  /**
   * The flow under the binding is gone or new (RFC 5626 §4.2.1, §4.4.1): a wanted binding is
   * registered again at once over the new connection.
   */
  flowChanged(): void {
    if (this.wanted) void this.register();
  }

  /** The connection dropped: the registrar's binding points at a dead flow until we register again. */
  flowLost(reason: string): void {
    this.core.clock.clearTimeout(this.refreshTimer);
    if (this.currentState === 'registered' || this.currentState === 'registering') {
      this.currentState = 'unregistered';
      this.events.emit('unregistered', { reason });
    }
  }

  /** Stops timers without sending anything (the user agent is being disposed). */
  dispose(): void {
    this.wanted = false;
    this.core.clock.clearTimeout(this.refreshTimer);
    this.events.clear();
  }

  private createRegister(expires: number): SipRequest {
    const aor = this.core.aor;
    // §10.2: the Request-URI names the domain of the location service, no user part.
    const registrar = new SipUri({ scheme: aor.scheme, host: aor.host, port: aor.port });
    const request = this.core.createRequest('REGISTER', registrar, {
      to: this.core.localAddress(),
      callId: this.callId,
      fromTag: this.fromTag,
      seq: ++this.seq,
    });
    request.setHeader('Contact', this.core.contact(true));
    request.setHeader('Expires', expires);
    return request;
  }

  private async sendRegister(expires: number): Promise<SendResult> {
    this.core.clock.clearTimeout(this.refreshTimer);
    if (this.currentState !== 'registered') this.currentState = 'registering';
    const result = await this.core.send(this.createRegister(expires), { nextSeq: () => ++this.seq });
    const response = result.response;
    if (response.status >= 200 && response.status < 300) {
      const granted = this.grantedExpires(response) ?? expires;
      this.core.gruu = this.publicGruu(response);
      this.currentState = 'registered';
      this.scheduleRefresh(granted);
      const flowTimer = Number(response.header('Flow-Timer'));
      if (Number.isInteger(flowTimer) && flowTimer > 0) this.core.options.transport.setFlowTimer(flowTimer);
      this.events.emit('registered', { expires: granted, response });
      return result;
    }
    if (response.status === 423) {
      // §10.2.8: retry with the registrar's minimum, once; a second 423 is a failure.
      const minimum = Number(response.header('Min-Expires'));
      if (Number.isInteger(minimum) && minimum > expires) {
        this.expires = minimum;
        return this.sendRegister(minimum);
      }
    }
    this.currentState = 'unregistered';
    const reason = result.authProblem ?? response.reason;
    this.events.emit('failed', { status: response.status, reason, response });
    if (this.wanted && (response.status >= 500 || response.status === 408) && !result.error) {
      const retryAfter = Number.parseInt(response.header('Retry-After') ?? '', 10);
      this.scheduleRetry(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : RETRY_AFTER_FAILURE_S);
    }
    return result;
  }

  private ourBinding(response: SipResponse): NameAddr | undefined {
    return response.contact.find((entry): entry is NameAddr => entry !== '*' && this.core.isOurContact(entry.uri));
  }

  /** §10.2.4: the expiry the registrar granted: our Contact's `expires`, else the Expires header. */
  private grantedExpires(response: SipResponse): number | undefined {
    return this.ourBinding(response)?.expires ?? response.expires;
  }

  /** RFC 5627 §5.1: the registrar returns our public GRUU as the `pub-gruu` parameter of our binding. */
  private publicGruu(response: SipResponse): Uri | undefined {
    const value = this.ourBinding(response)?.params.get('pub-gruu');
    if (!value) return undefined;
    try {
      return parseUri(value.startsWith('"') ? unquote(value) : value);
    } catch {
      this.core.logger.warn('the registrar sent a pub-gruu that is not a URI; dialogs use the plain Contact');
      return undefined;
    }
  }

  private scheduleRefresh(expires: number): void {
    const seconds = Math.max(expires / 2, expires - REFRESH_MARGIN_S);
    this.refreshTimer = this.core.clock.setTimeout(() => void this.register(), seconds * 1000);
  }

  private scheduleRetry(seconds: number): void {
    this.refreshTimer = this.core.clock.setTimeout(() => void this.register(), seconds * 1000);
  }
}
