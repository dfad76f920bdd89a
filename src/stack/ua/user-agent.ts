import type { Emitter } from '../core/emitter';
import { parseMessage } from '../message/parser';
import { SipParseError } from '../message/sip-parse-error';
import { isRequest, type NameAddr, type SipRequest, type SipResponse, type Uri } from '../message/message';
import { responseTo } from '../transaction/requests';
import type { ServerTransaction } from '../transaction/transaction-layer';
import { DEFAULT_MESSAGE_LIMITS, exceededLimit, type MessageLimits } from '../transport/message-limits';
import type { ConnectionControl, Transport, TransportState, TransportStateInfo } from '../transport/transport';
import { badRequestResponse } from './bad-request';
import { ACCEPT, ALLOW, SUPPORTED } from './capabilities';
import { checkMessage } from './message-policy';
import { checkIncomingRequest } from './incoming-request-check';
import type { Registration } from './registration';
import { FlowRegistrations } from './flow-registrations';
import { RequestFailedError } from './request-failed-error';
import { UaCore, type SendResult, type UaCoreOptions } from './ua-core';
import { isSuccess } from '../message/content';
import { CallManager, type CallManagerOptions } from './calls/call-manager';
import { SubscriptionManager } from './subscriptions/subscription-manager';
import type { Call } from './calls/call';
import type { IncomingCall } from './calls/incoming-call';
import type { OutgoingCall } from './calls/outgoing-call';
import type { CallMediaOptions } from './calls/call-types';

export interface UserAgentOptions extends UaCoreOptions {
  /** One connection, or several flows (`FlowSet`, RFC 5626 §4.2): one registration each. */
  transport: Transport;
  /** Requested registration lifetime in seconds (600). */
  registerExpires?: number;
  /** How long a MESSAGE or a REGISTER waits for a connection before it fails (30 s). */
  messageQueueTimeoutMs?: number;
  /** Enables calls: how media sessions are made (WebRTC in browsers, a fake in tests), ICE servers... */
  calls?: CallManagerOptions;
  /**
   * The largest message and header section accepted from the wire (64 KiB, 256 lines); larger ones are dropped and
   * reported.
   */
  limits?: Partial<MessageLimits>;
}

export interface IncomingMessage {
  readonly from: NameAddr;
  readonly body: string;
  readonly contentType: string;
  readonly request: SipRequest;
}

export interface UserAgentEvents {
  /** The connection as a whole: `connected` while at least one flow is. */
  transport: [state: TransportState, info: TransportStateInfo];
  /** One flow's connection changed (flow 1 for a single connection). */
  flow: [flow: number, state: TransportState, info: TransportStateInfo];
  /** A flow registered or refreshed its binding (`flow`: its number and reg-id). */
  registered: [info: { expires: number; flow: number }];
  /** No flow is registered any more. */
  unregistered: [info: { reason: string; flow: number }];
  /** A REGISTER failed while no flow was registered. */
  'registration-failed': [info: { status: number; reason: string; flow: number }];
  message: [message: IncomingMessage];
  /** A call arrived: answer(), decline() or let it ring; only with `calls` enabled. */
  'incoming-call': [call: IncomingCall];
  /** Something on the wire could not be used; `answered` says whether a 400-class response went back. */
  'bad-message': [info: { error: Error; answered: boolean }];
}

/**
 * Sees a request before the user agent does (a call layer: INVITE, CANCEL, in-dialog requests);
 * returns true when it took it. An ACK for a 2xx comes without a transaction (§17.2.3).
 */
export type RequestHandler = (request: SipRequest, transaction: ServerTransaction | undefined) => boolean;

/**
 * A SIP user agent (RFC 3261 §8): registration, MESSAGE in both directions, OPTIONS, and the
 * validation and error answers every UAS owes. It owns the transaction layer on top of the given
 * transport; calls attach through {@link handleRequests}.
 */
export class UserAgent {
  readonly events: Emitter<UserAgentEvents>;
  readonly core: UaCore;
  /** The first flow's registration (the only one with a single connection). */
  readonly registration: Registration;
  /** Every flow's registration (RFC 5626 §4.2). */
  readonly registrations: FlowRegistrations;
  readonly #connection: ConnectionControl;
  /** Subscriptions (RFC 6665), publications (RFC 3903) and unsolicited message-summary NOTIFYs. */
  readonly subscriptions: SubscriptionManager;
  readonly #calls: CallManager | undefined;
  readonly #handlers: RequestHandler[] = [];
  readonly #off: Array<() => void>;
  readonly #messageWaitMs: number;
  readonly #limits: MessageLimits;
  #lastFlow: string | undefined;
  /** Recent incoming MESSAGEs (Call-ID, From tag, CSeq) and when they came, to show a resend once. */
  readonly #recentMessages = new Map<string, number>();
  #stopped = false;

  constructor(options: UserAgentOptions) {
    const core = (this.core = new UaCore(
      options,
      (request, transaction) => this.#receiveRequest(request, transaction),
      (ack) => this.#dispatch(ack),
    ));
    const events = (this.events = core.emitter());
    this.#messageWaitMs = options.messageQueueTimeoutMs ?? 30000;
    this.#limits = { ...DEFAULT_MESSAGE_LIMITS, ...options.limits };
    this.#connection = options.transport;
    const registrations = new FlowRegistrations(core, this.#connection, {
      expires: options.registerExpires ?? 600,
      connectWaitMs: this.#messageWaitMs,
    });
    registrations.events.on('registered', (info) => events.emit('registered', info));
    registrations.events.on('unregistered', (info) => events.emit('unregistered', info));
    registrations.events.on('registration-failed', (info) => events.emit('registration-failed', info));
    this.registrations = registrations;
    this.registration = registrations.all[0]!;
    this.subscriptions = new SubscriptionManager(core);
    this.handleRequests((request, transaction) => this.subscriptions.route(request, transaction));
    if (options.calls)
      this.#calls = new CallManager(
        core,
        (handler) => this.handleRequests(handler),
        options.calls,
        (call) => events.emit('incoming-call', call),
      );
    this.#off = [
      core.transport.onMessage((text, flow) => this.#receive(text, flow)),
      core.transport.onStateChange((state, info) => events.emit('transport', state, info)),
      core.transport.onFlowChange((flow, state, info) => this.#flowChanged(flow, state, info)),
    ];
  }

  /** Whether at least one flow is registered. */
  get registered(): boolean {
    return this.registrations.registered;
  }

  /** The calls that have not ended (empty without `calls` enabled). */
  get calls(): Call[] {
    return this.#calls?.calls ?? [];
  }

  /**
   * The host's network changed (the page's online event, an interface switch): the signalling flow
   * is probed (or reconnected at once), and every established call restarts ICE by re-INVITE,
   * because its candidate pairs may be gone (RFC 8445 §9), without waiting for ICE to fail.
   */
  networkChanged(): void {
    this.#connection.networkChanged();
    this.#calls?.networkChanged();
  }

  /**
   * Whether incoming calls that ask to be answered without the user (Answer-Mode: Auto,
   * Call-Info answer-after, Alert-Info alert-autoanswer) may be: off by default (SECURITY.md). The
   * call's `autoAnswer` says whether it asked and whether it is allowed; the application answers
   * after its delay. Calls that require it (RFC 5373 `require`) get 403 while it is off.
   */
  get autoAnswer(): boolean {
    return this.#calls?.autoAnswer ?? false;
  }

  set autoAnswer(on: boolean) {
    if (this.#calls) this.#calls.autoAnswer = on;
  }

  /** Places a call to `target` (`bob`, `bob@example.com`, `sip:…`); needs `calls` enabled. */
  call(target: string, options?: CallMediaOptions): OutgoingCall {
    if (!this.#calls) throw new TypeError('calls are not enabled (no `calls` option)');
    return this.#calls.call(target, options);
  }

  /**
   * Connects the transport (and keeps it connected); resolves once connected the first time. A
   * stopped user agent has let go of its transport's events and its registration, so it cannot
   * start again: it rejects, and a new UserAgent is the way back.
   */
  start(): Promise<void> {
    if (this.#stopped) return Promise.reject(new Error('this user agent was stopped; create a new one to start again'));
    return this.#connection.connect();
  }

  /** Unregisters when registered, then disconnects; ends every transaction. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#calls?.hangupAll();
    await this.subscriptions.stopAll();
    if (this.core.connected) {
      // unregister() sends nothing unless a binding may exist: registered, or a REGISTER that timed
      // out and may have reached the registrar all the same (§10.2.2).
      await this.registrations.unregister().catch(() => undefined);
      // A call that came in while a REGISTER or the un-REGISTER was out is declined too
      // (§13.3.1.3), not left ringing.
      await this.#calls?.hangupAll();
    }
    this.registrations.dispose();
    // §8.1.3.1: a request still waiting ends as a 503 for its sender, rather than never.
    this.core.transactions.failPendingClients('the user agent stopped');
    this.core.transactions.terminateAll();
    await this.#connection.disconnect('user agent stopped');
    for (const off of this.#off.splice(0)) off();
  }

  /** Registers every flow; resolves with the first success (or the first flow's failure). */
  register(): Promise<SendResult> {
    return this.registrations.register();
  }

  unregister(): Promise<SendResult | undefined> {
    return this.registrations.unregister();
  }

  /**
   * Sends a MESSAGE (RFC 3428) and resolves with the 2xx; rejects with a RequestFailedError for any
   * other final status. While disconnected the MESSAGE waits for the connection (up to
   * `messageQueueTimeoutMs`); if the connection drops under it, it is sent again once reconnected.
   */
  async sendMessage(
    target: string | Uri,
    body: string,
    contentType = 'text/plain;charset=utf-8',
  ): Promise<SipResponse> {
    const core = this.core;
    const uri = core.targetUri(target);
    const deadline = core.clock.now() + this.#messageWaitMs;
    // A resend is the same request (§8.1.1: same Call-ID, From tag and CSeq, on a new branch), so
    // that the receiver can tell it from a new MESSAGE when only the 200 was lost (see below).
    let same: { callId: string; fromTag?: string; seq: number } | undefined;
    for (;;) {
      if (this.#stopped) throw new RequestFailedError(503, 'the user agent is stopped');
      await core.whenConnected(deadline - core.clock.now());
      const request = core.createRequest('MESSAGE', uri, same);
      request.setHeader('Content-Type', contentType);
      request.body = body;
      const { response, error, authProblem, request: sent } = await core.send(request);
      if (isSuccess(response.status)) return response;
      same = { callId: sent.callId, fromTag: sent.from.tag, seq: sent.cseq.seq };
      // A dropped connection fails the transaction at once (503): try again on the next flow.
      if (error?.name !== 'TransportError' || core.clock.now() >= deadline || this.#stopped) {
        throw new RequestFailedError(response.status, authProblem ?? response.reason);
      }
    }
  }

  /** A target as the user types it: `bob`, `bob@example.com`, `sip:bob@example.com`, `tel:+1…`. */
  targetUri(target: string | Uri): Uri {
    return this.core.targetUri(target);
  }

  /** Lets a session layer see requests first (in-dialog requests, INVITE, CANCEL, ACK). */
  handleRequests(handler: RequestHandler): () => void {
    const handlers = this.#handlers;
    handlers.push(handler);
    return () => {
      const at = handlers.indexOf(handler);
      if (at >= 0) handlers.splice(at, 1);
    };
  }

  /** Answers a request in its server transaction (§8.2.6), with a To tag on anything but 100. */
  respond(
    transaction: ServerTransaction,
    status: number,
    reason?: string,
    headers?: ReadonlyArray<readonly [string, string]>,
  ): SipResponse {
    return this.core.respond(transaction, status, reason, headers);
  }

  #flowChanged(flow: number, state: TransportState, info: TransportStateInfo): void {
    this.events.emit('flow', flow, state, info);
    // No response can come back over a new connection (RFC 5626 §4.4): fail what waits on it now.
    if (state === 'disconnected' && info.previous === 'connected')
      this.core.transactions.failPendingClients(`connection lost: ${info.reason}`, flow);
    this.registrations.flowChanged(flow, state, info);
    // New requests now go out on another connection: dialogs move there (a re-INVITE or UPDATE
    // with the new Contact, subscriptions refreshed), as after a reconnect.
    const live = this.core.transport.flowId;
    if (live === undefined) return;
    const moved = this.#lastFlow !== undefined && this.#lastFlow !== live;
    this.#lastFlow = live;
    if (moved) {
      this.#calls?.flowChanged();
      this.subscriptions.flowChanged();
    }
  }

  #badMessage(error: Error, answered: boolean): void {
    this.events.emit('bad-message', { error, answered });
  }

  /** Sends raw text, logging (not throwing) when the transport refuses it. */
  #trySend(text: string, flow: number): void {
    try {
      this.core.transport.send(text, flow);
    } catch (error) {
      this.core.logger.warn(`could not answer a bad message: ${(error as Error).message}`);
    }
  }

  /** Every message from the wire: parsed, checked, and given to the transaction layer. */
  #receive(text: string, flow: number): void {
    // Refused before parsing, unanswered: a 513 (RFC 3261 §21.5.9) would copy back whatever the
    // oversized header section holds. The connection stays: the next message may be fine.
    const refused = exceededLimit(text, this.#limits);
    if (refused) return this.#badMessage(new SipParseError(refused, { status: 513 }), false);
    let message: SipRequest | SipResponse;
    try {
      message = parseMessage(text);
    } catch (caught) {
      // Only SipParseError is expected; anything else is a parser bug, still never a crash here.
      const error =
        caught instanceof SipParseError ? caught : new SipParseError(`unparseable message (${String(caught)})`);
      if (error !== caught) this.core.logger.error('the parser threw a non-SipParseError', caught);
      const answer = badRequestResponse(text, error.message, this.core.newTag());
      if (answer) this.#trySend(answer, flow);
      this.#badMessage(error, answer !== undefined);
      return;
    }
    const transactions = this.core.transactions;
    try {
      if (isRequest(message)) transactions.receiveRequest(message, flow);
      // §18.1.2: a response whose top Via is not ours was not meant for us.
      else if (message.via[0]?.host === this.core.transport.viaHost) transactions.receiveResponse(message);
      else this.#badMessage(new Error(`response ${message.status} with another's top Via dropped`), false);
    } catch (caught) {
      // Some header fields (Route, Record-Route) are parsed when first read, so a malformed one
      // shows up while the message is being handled. A request gets its 400 then (§8.2).
      const error = caught instanceof Error ? caught : new Error(String(caught));
      if (!(caught instanceof SipParseError)) this.core.logger.error('handling a SIP message failed', caught);
      let answered = false;
      if (isRequest(message) && message.method !== 'ACK') {
        const reason = error.message.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
        try {
          // Through its transaction when one was made already, so that it ends properly.
          const transaction = transactions.serverTransactionFor(message);
          if (transaction) this.respond(transaction, 400, reason);
          else this.core.transport.send(responseTo(message, 400, reason, this.core.newTag()).toString(), flow);
          answered = true;
        } catch (sendError) {
          this.core.logger.warn(`could not answer a bad message: ${(sendError as Error).message}`);
        }
      }
      this.#badMessage(error, answered);
    }
  }

  #receiveRequest(request: SipRequest, transaction: ServerTransaction): void {
    const rejection = checkIncomingRequest(request);
    if (!rejection) return this.#dispatch(request, transaction);
    const { status, reason } = rejection;
    this.respond(transaction, status, reason, rejection.headers);
    if (request.problems[0]) this.#badMessage(new Error(`${request.method} answered ${status}: ${reason ?? ''}`), true);
  }

  /** Sessions first; then what the UA itself serves; 481 for what claims a dialog nobody has. */
  #dispatch(request: SipRequest, transaction?: ServerTransaction): void {
    for (const handler of this.#handlers) if (handler(request, transaction)) return;
    if (!transaction) return; // An ACK for no dialog of ours is dropped (§17.2.3, §13.3.1.4).
    const method = request.method;
    // §12.2.2: a request for a dialog that does not exist gets 481, as do a CANCEL no session
    // claimed (§9.2) and BYE, INFO, NOTIFY, REFER outside a dialog (RFC 6086 §4.2.2, RFC 6665 §4.1.3).
    if (request.to.tag === undefined) {
      // §11.2: what we can do, without a session.
      if (method === 'OPTIONS')
        return void this.respond(transaction, 200, undefined, [
          ['Allow', ALLOW],
          ['Accept', ACCEPT],
          ['Supported', SUPPORTED],
        ]);
      if (method === 'MESSAGE') return this.#receiveMessage(request, transaction);
      // No session layer took it (calls not enabled on this user agent).
      if (method === 'INVITE') return void this.respond(transaction, 480, 'Calls Not Accepted');
    }
    this.respond(transaction, 481);
  }

  /**
   * RFC 3428 §7: a MESSAGE is answered 200 once accepted, 415 with Accept when its type is not
   * shown, 413 when its body is too long (message-policy.ts). A sender whose connection dropped before our 200 reached
   * it sends the same request
   * again on a new branch (see sendMessage()); its Call-ID, From tag and CSeq name it (§8.2.2.2,
   * §17.2.3), so it is answered 200 again but shown once, not twice.
   */
  #receiveMessage(request: SipRequest, transaction: ServerTransaction): void {
    const checked = checkMessage(request, this.core.messageTypes);
    if ('status' in checked) return void this.respond(transaction, checked.status, checked.reason, checked.headers);
    const type = checked.type;
    this.respond(transaction, 200);
    if (this.#seenBefore(`${request.callId} ${request.from.tag ?? ''} ${request.cseq.seq}`)) return;
    this.events.emit('message', { from: request.from, body: request.body, contentType: type, request });
  }

  /** Whether a MESSAGE came within the last two minutes (a sender resends for 30 s by default). */
  #seenBefore(key: string): boolean {
    const now = this.core.clock.now();
    const recent = this.#recentMessages;
    // Oldest first (a Map keeps insertion order, and each entry is set once, at its arrival): drop
    // the expired ones and any beyond 200, and stop at the first that stays, so that a busy phone
    // does not walk all 200 entries for every MESSAGE.
    for (const [seen, at] of recent) {
      if (now - at <= 120_000 && recent.size <= 200) break;
      recent.delete(seen);
    }
    if (recent.has(key)) return true;
    recent.set(key, now);
    return false;
  }
}
