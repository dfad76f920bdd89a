import type { DigestAttempt, DigestAuthenticator } from '../auth';
import type { Clock } from '../core/clock';
import type { SipStackError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Random } from '../core/random';
import { CSeq, NameAddr, SipRequest, SipUri, Via, type SipResponse, type Uri } from '../message/message';
import type { ClientTransaction, TransactionLayer } from '../transaction/transaction-layer';
import { parseUri } from '../message/uri';
import { responseTo } from '../transaction/requests';
import type { Transport } from '../transport/transport';
import { outboundContactParams } from '../transport/outbound';
import { ALLOWED_METHODS, SUPPORTED_EXTENSIONS } from './capabilities';
import { RequestFailedError } from './request-failed-error';

/** The outcome of a request: its final response (a local 408/503 when none came) and what was sent last. */
export interface SendResult {
  readonly response: SipResponse;
  /** The request as finally sent (after authentication retries it has a new CSeq and credentials). */
  readonly request: SipRequest;
  /** Set when the response was made up locally: the timeout (408) or transport failure (503) behind it. */
  readonly error?: SipStackError;
  /** Set when a 401/407 could not be answered: a readable reason, never a credential. */
  readonly authProblem?: string;
}

export interface SendOptions {
  /** Provisional responses, in order (INVITE). */
  onProvisional?(response: SipResponse): void;
  /**
   * A 2xx that arrives after the first final response: a retransmission, or the answer of another
   * fork with another To tag (RFC 6026 §8.4). The caller ACKs it again, or ACKs and ends that fork.
   */
  onLaterSuccess?(response: SipResponse): void;
  /** Each client transaction as it starts: a CANCEL must follow the latest INVITE (§9.1). */
  onTransaction?(transaction: ClientTransaction, request: SipRequest): void;
  /** The CSeq number for a request resent with credentials (§22.2: one more than before by default). */
  nextSeq?(previous: number): number;
}

export interface UaCoreOptions {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly aor: SipUri;
  readonly displayName?: string;
  readonly instanceId: string;
  readonly userAgent?: string;
  readonly authenticator?: DigestAuthenticator;
}

/**
 * The plumbing every part of the user agent shares: identity (From, Contact), request building
 * (RFC 3261 §8.1.1), the Via of each new client transaction, and the authentication retry of
 * §22.2 around a transaction. Registration, MESSAGE and calls are built on it.
 */
export class UaCore {
  /** The user part of our Contact URI: random, so it says nothing about the user (RFC 7118 §5). */
  private readonly contactUser: string;
  /**
   * Our public GRUU (RFC 5627 §3.2), once a registrar gave one. It names this instance for as long
   * as it is registered, whichever connection it registered over: a dialog whose Contact is the
   * GRUU can be reached again after a reconnect and re-registration.
   */
  gruu: Uri | undefined;

  constructor(
    readonly options: UaCoreOptions,
    readonly transactions: TransactionLayer,
  ) {
    this.contactUser = options.random.token(8).toLowerCase();
  }

  get clock(): Clock {
    return this.options.clock;
  }

  get logger(): Logger {
    return this.options.logger;
  }

  get aor(): SipUri {
    return this.options.aor;
  }

  /** A From or To tag (§19.3: at least 32 bits of randomness). */
  newTag(): string {
    return this.options.random.token(10);
  }

  /** A Call-ID (§8.1.1.4: globally unique; random is enough, no host needed). */
  newCallId(): string {
    return this.options.random.token(22);
  }

  /**
   * Resolves once the transport is connected (at once when it is); rejects with a 503 after
   * `timeoutMs`. What must not be lost while the connection is down (a MESSAGE, a BYE) waits here.
   */
  whenConnected(timeoutMs: number): Promise<void> {
    const transport = this.options.transport;
    if (transport.state === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        off();
        reject(new RequestFailedError(503, `not connected to the server within ${timeoutMs} ms`));
      }, Math.max(0, timeoutMs));
      const off = transport.onStateChange((state) => {
        if (state !== 'connected') return;
        this.clock.clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  /** A target as a user types it: `bob`, `bob@example.com`, `sip:bob@example.com`, `tel:+1…`. */
  targetUri(target: string | Uri): Uri {
    if (typeof target !== 'string') return target;
    const text = target.trim();
    if (/^(sips?|tel):/i.test(text)) return parseUri(text);
    return parseUri(`sip:${text.includes('@') ? text : `${text}@${this.options.aor.host}`}`);
  }

  /** Our address with the display name, as From of our requests. */
  localAddress(tag?: string): NameAddr {
    const address = new NameAddr(this.options.aor, { displayName: this.options.displayName || undefined });
    return tag ? address.withTag(tag) : address;
  }

  /**
   * Our Contact: `sip:<random>@<host>.invalid;transport=ws;ob` (RFC 7118 §5, RFC 5626 §5.4: `ob`
   * asks the proxy to route in-dialog requests over this flow). For REGISTER it also carries
   * `reg-id` and `+sip.instance` (RFC 5626 §4.2.1).
   */
  contact(forRegister = false): NameAddr {
    // RFC 5627 §4.3: dialog-forming requests and responses carry the GRUU as Contact.
    if (!forRegister && this.gruu) return new NameAddr(this.gruu);
    const outbound = outboundContactParams({ instanceId: this.options.instanceId });
    const uri = new SipUri({ user: this.contactUser, host: this.options.transport.viaHost, params: outbound.uriParams });
    return new NameAddr(uri, { params: forRegister ? outbound.headerParams : undefined });
  }

  /** Whether a Contact URI is ours: the registrar echoes every binding of the AOR. */
  isOurContact(uri: Uri): boolean {
    return uri instanceof SipUri && uri.user === this.contactUser && uri.host === this.options.transport.viaHost;
  }

  /** An out-of-dialog request (§8.1.1): To is the target, From is us with a new tag, a new Call-ID. */
  createRequest(method: string, target: Uri, init: { to?: NameAddr; callId?: string; seq?: number; fromTag?: string } = {}): SipRequest {
    const request = new SipRequest(method, target);
    request.setHeader('Max-Forwards', 70);
    request.setHeader('To', init.to ?? new NameAddr(target));
    request.setHeader('From', this.localAddress(init.fromTag ?? this.newTag()));
    request.setHeader('Call-ID', init.callId ?? this.newCallId());
    request.setHeader('CSeq', new CSeq(init.seq ?? 1, method));
    this.addCommonHeaders(request);
    return request;
  }

  /** Headers every request we originate carries: Allow and Supported (§20.5, §20.37), User-Agent. */
  addCommonHeaders(request: SipRequest): void {
    if (request.method !== 'ACK' && request.method !== 'CANCEL') {
      request.setHeader('Allow', ALLOWED_METHODS.join(', '));
      request.setHeader('Supported', SUPPORTED_EXTENSIONS.join(', '));
    }
    if (this.options.userAgent) request.setHeader('User-Agent', this.options.userAgent);
  }

  /** Puts a new top Via with a fresh branch on a request about to start a client transaction (§8.1.1.7). */
  stampVia(request: SipRequest): void {
    request.removeHeader('Via');
    request.setHeader(
      'Via',
      new Via({ transport: this.options.transport.protocol, host: this.options.transport.viaHost, branch: this.transactions.newBranch() }),
    );
  }

  /** Sends an ACK for a 2xx: no transaction, a Via of its own (§13.2.2.4, §17.1.1.3). */
  sendAck(ack: SipRequest): void {
    this.stampVia(ack);
    try {
      this.transactions.sendStateless(ack);
    } catch (error) {
      this.logger.warn(`could not send ACK: ${(error as Error).message}`);
    }
  }

  /**
   * Sends a request in a client transaction and resolves with its final response. A 401 or 407 is
   * answered with credentials once per challenge and the request resent with the next CSeq and a
   * new branch (§22.2, §8.1.3.5); a timeout or transport failure resolves as a local 408 or 503
   * (§8.1.3.1), so callers handle one shape of result.
   */
  async send(request: SipRequest, options: SendOptions = {}): Promise<SendResult> {
    let current = request;
    let attempt = this.preauthorize(request);
    for (;;) {
      const result = await this.sendOnce(current, options);
      const status = result.response.status;
      const authenticator = this.options.authenticator;
      if ((status !== 401 && status !== 407) || !authenticator) return result;
      const outcome = authenticator.authorize(
        {
          wwwAuthenticate: result.response.headers('WWW-Authenticate'),
          proxyAuthenticate: result.response.headers('Proxy-Authenticate'),
        },
        { method: current.method, uri: current.uri.toString(), body: current.bodyBytes },
        attempt,
      );
      if (!outcome.ok) return { ...result, authProblem: outcome.message };
      const next = current.clone();
      next.removeHeader('Authorization');
      next.removeHeader('Proxy-Authorization');
      for (const header of outcome.headers) next.addHeader(header.name, header.value);
      const seq = options.nextSeq ? options.nextSeq(current.cseq.seq) : current.cseq.seq + 1;
      next.setHeader('CSeq', new CSeq(seq, current.method));
      attempt = outcome.attempt;
      current = next;
    }
  }

  /**
   * RFC 3261 §22.3: credentials accepted once may be sent with later requests to the same realm,
   * with the next nonce count (RFC 7616 §3.4), saving the 401/407 round trip each time. A stale or
   * refused nonce is simply challenged again.
   */
  private preauthorize(request: SipRequest): DigestAttempt | undefined {
    const authenticator = this.options.authenticator;
    if (!authenticator || request.method === 'ACK' || request.method === 'CANCEL') return undefined;
    const { headers, attempt } = authenticator.preauthorize({ method: request.method, uri: request.uri.toString(), body: request.bodyBytes });
    if (headers.length === 0) return undefined;
    for (const header of headers) request.addHeader(header.name, header.value);
    return attempt;
  }

  private sendOnce(request: SipRequest, options: SendOptions): Promise<SendResult> {
    this.stampVia(request);
    return new Promise((resolve) => {
      let finished = false;
      const transaction = this.transactions.sendRequest(request, {
        onResponse: (response) => {
          if (response.status < 200) {
            options.onProvisional?.(response);
          } else if (!finished) {
            finished = true;
            resolve({ response, request });
          } else if (response.status < 300) {
            options.onLaterSuccess?.(response);
          }
        },
        onFailure: (error) => resolve({ response: responseTo(request, error.status, error.message.slice(0, 100)), request, error }),
      });
      options.onTransaction?.(transaction, request);
    });
  }
}
