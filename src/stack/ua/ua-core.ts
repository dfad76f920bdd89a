import { DigestAuthenticator } from '../auth';
import { realClock, type Clock } from '../core/clock';
import { Emitter } from '../core/emitter';
import type { SipStackError } from '../core/errors';
import { noopLogger, type Logger } from '../core/logger';
import { cryptoRandom, type Random } from '../core/random';
import {
  CSeq,
  NameAddr,
  SipRequest,
  SipUri,
  Via,
  type SipMessage,
  type SipResponse,
  type Uri,
} from '../message/message';
import {
  TransactionLayer,
  type ClientTransaction,
  type ServerTransaction,
  type TransactionLayerOptions,
} from '../transaction/transaction-layer';
import type { TimerSettings } from '../transaction/timers';
import { parseUri } from '../message/uri';
import { responseTo } from '../transaction/requests';
import type { MessageChannel } from '../transport/transport';
import { ensureInstanceId, outboundContactParams } from '../transport/outbound';
import { ALLOW, MESSAGE_TYPES, MESSAGE_TYPES_WITH_HTML, SUPPORTED } from './capabilities';
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
  nextSeq?(): number;
  /** The flow to send on (a REGISTER's own, RFC 5626 §4.2.1); by default the live flow. */
  flow?: number;
}

/** What the user agent is made of: identity, credentials, transport, and the injected clock, randomness and logger. */
export interface UaCoreOptions {
  /** The address of record, `sip:alice@example.com`. */
  aor: string | SipUri;
  displayName?: string;
  /** The digest user name when it differs from the AOR's user. */
  authUser?: string;
  /** The digest password; kept inside the authenticator, never logged. */
  password?: string;
  /**
   * Digest realms answered besides the one that challenges our REGISTER (the registrar's), e.g.
   * an edge proxy that challenges only calls. A 401/407 for any other realm is not answered: a far
   * end could otherwise have the password hashed for a nonce of its choosing (issue 15).
   */
  authRealms?: readonly string[];
  /**
   * Leave MD5 digest challenges unanswered (off by default: Kamailio 5.6 offers only one algorithm, MD5 unless told).
   */
  refuseMd5?: boolean;
  /** Leave digest challenges without qop (RFC 2069 form, replayable) unanswered; off by default. */
  requireQop?: boolean;
  /** The narrow half of the Transport seam; the user agent takes the whole Transport. */
  transport: MessageChannel;
  clock?: Clock;
  random?: Random;
  logger?: Logger;
  /** RFC 5626 instance id (`<urn:uuid:…>`); persist it across page loads. A new one by default. */
  instanceId?: string;
  /** User-Agent header value; none by default (it tells attackers what to try). */
  userAgent?: string;
  timers?: Partial<TimerSettings>;
  /**
   * Make dialogs with the Contact URI the registrar stored for this instance (our binding in its
   * 2xx to REGISTER) instead of a GRUU or our own `.invalid` URI. For registrars that rewrite the
   * binding to the connection's address but route neither RFC 5626 flows nor GRUUs (39peers sipd.py).
   */
  registeredContact?: boolean;
  /**
   * Accept text/html MESSAGE bodies as well as text/plain (false: 415 with Accept: text/plain), in and out of calls.
   */
  acceptHtmlMessages?: boolean;
}

/**
 * Throws a RequestFailedError for a final non-2xx response: `what` (e.g. "transfer refused")
 * comes first in its message, then the status and reason.
 */
export function requireSuccess(response: SipResponse, what: string): void {
  const { status, reason } = response;
  if (status > 299) throw new RequestFailedError(status, reason, `${what}: ${status} ${reason}`);
}

/**
 * The plumbing every part of the user agent shares: identity (From, Contact), request building
 * (RFC 3261 §8.1.1), the Via of each new client transaction, and the authentication retry of
 * §22.2 around a transaction. Registration, MESSAGE and calls are built on it.
 */
export class UaCore {
  /** The user part of our Contact URI: random, so it says nothing about the user (RFC 7118 §5). */
  readonly #contactUser: string;
  readonly #displayName: string | undefined;
  readonly #userAgent: string | undefined;
  readonly #instanceId: string;
  readonly #authenticator: DigestAuthenticator | undefined;
  /**
   * Our public GRUU (RFC 5627 §3.2), once a registrar gave one. It names this instance for as long
   * as it is registered, whichever connection it registered over: a dialog whose Contact is the
   * GRUU can be reached again after a reconnect and re-registration.
   */
  gruu: Uri | undefined;
  /** With the registeredContact option: our binding's URI as the registrar last returned it. */
  registeredContact: Uri | undefined;
  readonly useRegisteredContact: boolean;
  /** The MESSAGE types shown to the user (RFC 3428 §7), as the Accept of a 415. */
  readonly messageTypes: string;
  readonly transport: MessageChannel;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly aor: SipUri;
  readonly transactions: TransactionLayer;

  /** Requests that made a server transaction, and ACKs for 2xx (no transaction), go to the handlers. */
  constructor(
    options: UaCoreOptions,
    onRequest: TransactionLayerOptions['onRequest'],
    onAck: TransactionLayerOptions['onAck'],
  ) {
    const { transport, clock = realClock, random = cryptoRandom, logger = noopLogger, password } = options;
    const aor = typeof options.aor === 'string' ? parseUri(options.aor) : options.aor;
    if (!(aor instanceof SipUri) || !aor.user)
      throw new TypeError(`the AOR must be a sip: URI with a user: ${String(options.aor)}`);
    this.transport = transport;
    this.clock = clock;
    this.random = random;
    this.logger = logger;
    this.aor = aor;
    // RFC 3261 §25.1: a quoted-string can escape any character but CR and LF; refused here rather
    // than at the first request, so the configuration error comes when the configuration is given.
    if (/[\r\n]/.test(options.displayName ?? ''))
      throw new RangeError('the display name cannot hold a line break (CR or LF)');
    this.#displayName = options.displayName || undefined;
    this.#userAgent = options.userAgent;
    this.useRegisteredContact = options.registeredContact ?? false;
    this.messageTypes = options.acceptHtmlMessages ? MESSAGE_TYPES_WITH_HTML : MESSAGE_TYPES;
    this.#instanceId = ensureInstanceId(options.instanceId, random);
    this.#contactUser = random.token(8).toLowerCase();
    this.#authenticator = password
      ? new DigestAuthenticator({
          username: aor.user,
          password,
          authUser: options.authUser || undefined,
          random: () => random.token(24),
          realms: options.authRealms,
          refuseMd5: options.refuseMd5,
          requireQop: options.requireQop,
        })
      : undefined;
    this.transactions = new TransactionLayer({
      transport,
      clock,
      random,
      logger,
      timers: options.timers,
      onRequest,
      onAck,
      onStrayResponse: (response) => logger.debug(`stray ${response.status} for ${response.cseq.method} dropped`),
    });
  }

  /** An event emitter whose failing listeners are logged, not thrown into the stack. */
  emitter<Events extends { [Name in keyof Events]: unknown[] }>(): Emitter<Events> {
    return new Emitter((error, event) => this.logger.error(`a "${String(event)}" listener failed`, error));
  }

  /** Answers a request in its server transaction (§8.2.6), with a To tag on anything but 100. */
  respond(
    transaction: ServerTransaction,
    status: number,
    reason?: string,
    headers: ReadonlyArray<readonly [string, string]> = [],
  ): SipResponse {
    const response = responseTo(transaction.request, status, reason, status > 100 ? this.newTag() : undefined);
    for (const [name, value] of headers) response.addHeader(name, value);
    transaction.respond(response);
    return response;
  }

  /** A From or To tag (§19.3: at least 32 bits of randomness). */
  newTag(): string {
    return this.random.token(10);
  }

  /** A Call-ID (§8.1.1.4: globally unique; random is enough, no host needed). */
  newCallId(): string {
    return this.random.token(22);
  }

  /** Whether the transport is connected now. */
  get connected(): boolean {
    return this.transport.state === 'connected';
  }

  /** Resolves after `ms` milliseconds of the injected clock. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }

  /**
   * Resolves once the transport is connected (at once when it is); rejects with a 503 after
   * `timeoutMs`. What must not be lost while the connection is down (a MESSAGE, a BYE) waits here.
   */
  whenConnected(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.connected) return resolve();
      const timer = this.clock.setTimeout(
        () => {
          off();
          reject(new RequestFailedError(503, `not connected within ${timeoutMs} ms`));
        },
        Math.max(0, timeoutMs),
      );
      const off = this.transport.onStateChange((state) => {
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
    return parseUri(
      /^(sips?|tel):/i.test(text) ? text : `sip:${text.includes('@') ? text : `${text}@${this.aor.host}`}`,
    );
  }

  /** Our address with the display name, as From of our requests. */
  localAddress(tag?: string): NameAddr {
    const address = new NameAddr(this.aor, { displayName: this.#displayName });
    return tag ? address.withTag(tag) : address;
  }

  /**
   * Our Contact: `sip:<random>@<host>.invalid;transport=ws;ob` (RFC 7118 §5, RFC 5626 §5.4: `ob`
   * asks the proxy to route in-dialog requests over this flow). For REGISTER it also carries
   * `reg-id` (the flow's number) and `+sip.instance` (RFC 5626 §4.2.1): one URI on every flow.
   */
  contact(forRegister = false, regId?: number): NameAddr {
    // RFC 5627 §4.3: dialog-forming requests and responses carry the GRUU as Contact.
    const dialogContact = this.useRegisteredContact ? this.registeredContact : this.gruu;
    if (!forRegister && dialogContact) return new NameAddr(dialogContact);
    const outbound = outboundContactParams({ instanceId: this.#instanceId, regId });
    const uri = new SipUri({ user: this.#contactUser, host: this.transport.viaHost, params: outbound.uriParams });
    return new NameAddr(uri, { params: forRegister ? outbound.headerParams : undefined });
  }

  /** Whether a Contact URI is ours: the registrar echoes every binding of the AOR. */
  isOurContact(uri: Uri): boolean {
    return uri instanceof SipUri && uri.user === this.#contactUser && uri.host === this.transport.viaHost;
  }

  /**
   * Puts our Contact and an SDP body on a message: an INVITE or re-INVITE with its offer, a 2xx
   * with its answer (RFC 3261 §13.2.1, §13.3.1.4: a dialog-forming message carries Contact).
   */
  withSdp<M extends SipMessage>(message: M, sdp: string): M {
    message.setHeader('Contact', this.contact());
    message.setHeader('Content-Type', 'application/sdp');
    message.body = sdp;
    return message;
  }

  /** An out-of-dialog request (§8.1.1): To is the target, From is us with a new tag, a new Call-ID. */
  createRequest(
    method: string,
    target: Uri,
    init: { to?: NameAddr; callId?: string; seq?: number; fromTag?: string } = {},
  ): SipRequest {
    const request = new SipRequest(method, target);
    request.setHeader('Max-Forwards', 70);
    request.setHeader('To', init.to ?? new NameAddr(target));
    request.setHeader('From', this.localAddress(init.fromTag ?? this.newTag()));
    request.setHeader('Call-ID', init.callId ?? this.newCallId());
    request.setHeader('CSeq', new CSeq(init.seq ?? 1, method));
    return request;
  }

  /**
   * Puts a new top Via with a fresh branch on a request about to start a client transaction (§8.1.1.7).
   * An empty `rport` asks the server to answer to the address and port the request came from (RFC 3581
   * §3): our sent-by is a `.invalid` name (RFC 7118 §5) that no one can send to, and a server that
   * follows RFC 3261 §18.2.2 alone (39peers sipd.py) would otherwise answer to port 5060.
   */
  #stampVia(request: SipRequest): void {
    const transport = this.transport;
    const branch = this.transactions.newBranch();
    request.setHeader(
      'Via',
      new Via({ transport: transport.protocol, host: transport.viaHost, params: { rport: null }, branch }),
    );
  }

  /** Sends an ACK for a 2xx: no transaction, a Via of its own (§13.2.2.4, §17.1.1.3). */
  sendAck(ack: SipRequest): void {
    this.#stampVia(ack);
    this.resendAck(ack);
  }

  /**
   * Sends the same ACK again for a retransmitted 2xx (§13.2.2.4). A failed send is only logged:
   * the 2xx comes again until an ACK gets through (§13.3.1.4).
   */
  resendAck(ack: SipRequest): void {
    try {
      this.transactions.sendStateless(ack);
    } catch (error) {
      this.logger.warn(`ACK not sent: ${(error as Error).message}`);
    }
  }

  /** Headers every request we originate carries: Allow and Supported (§20.5, §20.37), User-Agent. */
  #addCommonHeaders(request: SipRequest): void {
    if (request.method !== 'ACK' && request.method !== 'CANCEL') {
      request.setHeader('Allow', ALLOW);
      request.setHeader('Supported', SUPPORTED);
    }
    if (this.#userAgent) request.setHeader('User-Agent', this.#userAgent);
  }

  /**
   * Sends a request in a client transaction and resolves with its final response. A 401 or 407 is
   * answered with credentials once per challenge and the request resent with the next CSeq and a
   * new branch (§22.2, §8.1.3.5); a timeout or transport failure resolves as a local 408 or 503
   * (§8.1.3.1), so callers handle one shape of result. Every request carries Allow, Supported and
   * User-Agent (in a dialog too).
   */
  async send(request: SipRequest, options: SendOptions = {}): Promise<SendResult> {
    const authenticator = this.#authenticator;
    const digestRequest = () => ({ method: request.method, uri: request.uri.toString(), body: request.bodyBytes });
    this.#addCommonHeaders(request);
    // RFC 3261 §22.3: credentials accepted once may be sent with later requests to the same realm,
    // with the next nonce count (RFC 7616 §3.4), saving the 401/407 round trip each time. A stale
    // or refused nonce is simply challenged again.
    const pre = authenticator && request.method !== 'CANCEL' ? authenticator.preauthorize(digestRequest()) : undefined;
    let attempt = pre?.headers[0] ? pre.attempt : undefined;
    let headers = pre?.headers ?? [];
    for (;;) {
      for (const header of headers) request.addHeader(header.name, header.value);
      const result = await this.#sendOnce(request, options);
      const response = result.response;
      if ((response.status !== 401 && response.status !== 407) || !authenticator) return result;
      const outcome = authenticator.authorize(
        {
          wwwAuthenticate: response.headers('WWW-Authenticate'),
          proxyAuthenticate: response.headers('Proxy-Authenticate'),
        },
        digestRequest(),
        attempt,
      );
      if (!outcome.ok) return { ...result, authProblem: outcome.message };
      request = request.clone();
      request.removeHeader('Authorization');
      request.removeHeader('Proxy-Authorization');
      request.setHeader('CSeq', new CSeq(options.nextSeq ? options.nextSeq() : request.cseq.seq + 1, request.method));
      ({ attempt, headers } = outcome);
    }
  }

  #sendOnce(request: SipRequest, options: SendOptions): Promise<SendResult> {
    this.#stampVia(request);
    // Pinned to a flow, so that losing it fails this transaction and no other (RFC 5626 §4.2).
    const flow = options.flow ?? this.transport.liveFlow;
    return new Promise((resolve) => {
      let finished = false;
      const transaction = this.transactions.sendRequest(
        request,
        {
          onResponse: (response) => {
            if (response.status < 200) options.onProvisional?.(response);
            else if (!finished) {
              finished = true;
              resolve({ response, request });
            } else if (response.status < 300) options.onLaterSuccess?.(response);
          },
          onFailure: (error) =>
            resolve({ response: responseTo(request, error.status, error.message.slice(0, 100)), request, error }),
        },
        flow,
      );
      options.onTransaction?.(transaction, request);
    });
  }
}
