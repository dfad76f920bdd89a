import type { Clock } from '../core/clock';
import { TransportError } from '../core/errors';
import { noopLogger, type Logger } from '../core/logger';
import type { Random } from '../core/random';
import { MAGIC_COOKIE, type SipRequest, type SipResponse } from '../message/message';
import { responseTo } from './requests';
import type { ClientTransactionUser } from './client-transaction-user';
import { InviteClientTransaction } from './invite-client-transaction';
import { InviteServerTransaction } from './invite-server-transaction';
import { NonInviteClientTransaction } from './non-invite-client-transaction';
import { NonInviteServerTransaction } from './non-invite-server-transaction';
import { DEFAULT_TIMER_SETTINGS, transactionTimers, type TimerSettings } from './timers';
import type { TransactionContext, TransactionTransport } from './transaction';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

export interface TransactionLayerOptions {
  transport: TransactionTransport & { readonly reliable: boolean };
  clock: Clock;
  random: Random;
  logger?: Logger;
  timers?: Partial<TimerSettings>;
  /** A request that created a new server transaction (CANCEL included: see {@link findInviteFor}). */
  onRequest(request: SipRequest, transaction: ServerTransaction): void;
  /** An ACK that matched no transaction: the ACK for a 2xx, which belongs to the dialog (§17.2.3, §13.3.1.4). */
  onAck(ack: SipRequest): void;
  /** A response that matched no client transaction: a 2xx retransmitted after Timer M, or from another fork. */
  onStrayResponse?(response: SipResponse): void;
}

/**
 * Server transactions held at once. Each lives until its timers end (an unanswered INVITE's 486
 * waits up to Timer H, 32 s, for its ACK), so a peer sending requests fast holds rate x 32 s of
 * them; past this many a new request gets 503 with Retry-After (STYLE.md habit 14), statelessly.
 */
export const MAX_SERVER_TRANSACTIONS = 500;

/**
 * Creates transactions and routes every incoming message to the one it belongs to, per RFC 3261
 * §17.1.3 (responses: top Via branch and CSeq method) and §17.2.3 (requests: branch, sent-by and
 * method, ACK matching its INVITE), with the RFC 2543 fallback of §17.2.3 for branches without the
 * magic cookie.
 */
export class TransactionLayer {
  readonly #clients = new Map<string, ClientTransaction>();
  readonly #servers = new Map<string, ServerTransaction>();
  readonly #context: TransactionContext;
  readonly #options: TransactionLayerOptions;

  constructor(options: TransactionLayerOptions) {
    const timers = transactionTimers({ ...DEFAULT_TIMER_SETTINGS, ...options.timers }, options.transport.reliable);
    this.#context = {
      transport: options.transport,
      clock: options.clock,
      timers,
      logger: options.logger ?? noopLogger,
    };
    this.#options = options;
  }

  /** A fresh branch for a new client transaction's Via: magic cookie first (§8.1.1.7). */
  newBranch(): string {
    return MAGIC_COOKIE + this.#options.random.token(16);
  }

  /**
   * Starts a client transaction for a request whose top Via already carries a fresh branch.
   * Responses and failures reach `user`; the request is sent at once.
   */
  sendRequest(request: SipRequest, user: ClientTransactionUser, flow?: number): ClientTransaction {
    if (request.method === 'ACK') throw new Error('ACK is sent outside any client transaction (§17.1.1.3, §13.2.2.4)');
    const id = clientKey(topBranch(request), request.method);
    if (this.#clients.has(id)) throw new Error(`a client transaction with branch ${topBranch(request)} exists already`);
    const transaction = track(
      this.#clients,
      request.method === 'INVITE'
        ? new InviteClientTransaction(id, request, this.#on(flow), user)
        : new NonInviteClientTransaction(id, request, this.#on(flow), user),
    );
    transaction.start();
    return transaction;
  }

  /** Sends an ACK for a 2xx (or any stateless request) straight to the transport. */
  sendStateless(message: SipRequest | SipResponse, flow?: number): void {
    this.#context.transport.send(message.toString(), flow);
  }

  /** The context of a transaction on `flow` (undefined: the transport's live flow). */
  #on(flow: number | undefined): TransactionContext {
    return flow === undefined ? this.#context : { ...this.#context, flow };
  }

  receiveResponse(response: SipResponse): void {
    const branch = response.via[0]?.branch;
    const transaction = branch ? this.#clients.get(clientKey(branch, response.cseq.method)) : undefined;
    if (transaction) transaction.receiveResponse(response);
    else this.#options.onStrayResponse?.(response);
  }

  /** A request from the wire, on `flow`: its responses go back there (RFC 3261 §18.2.2). */
  receiveRequest(request: SipRequest, flow?: number): void {
    const id = serverKey(request);
    const existing = this.#servers.get(id);
    if (existing) {
      existing.receiveRequest(request);
      return;
    }
    if (request.method === 'ACK') {
      this.#options.onAck(request);
      return;
    }
    if (this.#servers.size >= MAX_SERVER_TRANSACTIONS) {
      const busy = responseTo(request, 503, 'Too Many Transactions', this.#options.random.token(10));
      busy.setHeader('Retry-After', 5);
      this.#options.logger?.warn(`${request.method} refused: ${MAX_SERVER_TRANSACTIONS} server transactions at once`);
      try {
        this.sendStateless(busy, flow);
      } catch {
        // The connection is gone: nobody to tell.
      }
      return;
    }
    const transaction = track(
      this.#servers,
      request.method === 'INVITE'
        ? new InviteServerTransaction(id, request, this.#on(flow))
        : new NonInviteServerTransaction(id, request, this.#on(flow)),
    );
    if (transaction instanceof InviteServerTransaction) transaction.start();
    this.#options.onRequest(request, transaction);
  }

  /** The server transaction a request belongs to, if one exists (§17.2.3 matching). */
  serverTransactionFor(request: SipRequest): ServerTransaction | undefined {
    return this.#servers.get(serverKey(request));
  }

  /** §9.2: the INVITE server transaction a CANCEL is for: same key but for the method. */
  findInviteFor(cancel: SipRequest): InviteServerTransaction | undefined {
    const found = this.#servers.get(serverKey(cancel, 'INVITE'));
    return found instanceof InviteServerTransaction ? found : undefined;
  }

  /**
   * The connection under every pending client transaction is gone: over a reliable transport no
   * response can come back on a new connection, so each fails now as a 503 instead of waiting for
   * Timer B or F (§8.1.3.1). With `flow`, only the transactions sent on that flow (RFC 5626 §4.2:
   * the others' flows are still up).
   */
  failPendingClients(reason: string, flow?: number): void {
    for (const transaction of [...this.#clients.values()]) {
      const state = transaction.state;
      if (flow !== undefined && transaction.flow !== undefined && transaction.flow !== flow) continue;
      if (state === 'calling' || state === 'trying' || state === 'proceeding') {
        transaction.fail(new TransportError('connection-closed', reason));
      }
    }
  }

  /** Ends every transaction without a word on the wire (the user agent is stopping). */
  terminateAll(): void {
    for (const transaction of [...this.#clients.values(), ...this.#servers.values()]) transaction.terminate();
  }

  get size(): { clients: number; servers: number } {
    return { clients: this.#clients.size, servers: this.#servers.size };
  }
}

/** Keeps a transaction in `map` under its id until it terminates. */
function track<T extends ClientTransaction | ServerTransaction>(map: Map<string, T>, transaction: T): T {
  map.set(transaction.id, transaction);
  transaction.onTerminated(() => map.delete(transaction.id));
  return transaction;
}

function topBranch(message: SipRequest | SipResponse): string {
  const branch = message.via[0]?.branch;
  if (!branch) throw new Error('the top Via has no branch');
  return branch;
}

/** §17.1.3: branch of the top Via plus the CSeq method (CANCEL and its INVITE share a branch). */
function clientKey(branch: string, method: string): string {
  return `${branch}\u0000${method}`;
}

/**
 * §17.2.3: with the magic cookie, branch + sent-by + method, where ACK matches its INVITE. Without
 * it (RFC 2543 peers), Request-URI, From tag, Call-ID, CSeq number and top Via identify the
 * transaction; the To tag is left out so that the ACK for a non-2xx still matches its INVITE.
 */
function serverKey(request: SipRequest, method = request.method): string {
  const via = request.via[0];
  const matched = method === 'ACK' ? 'INVITE' : method;
  const sentBy = via ? `${via.host.toLowerCase()}:${via.port ?? ''}` : '';
  if (via?.branch?.startsWith(MAGIC_COOKIE)) return `${via.branch}\u0000${sentBy}\u0000${matched}`;
  return [
    '2543',
    request.uri.toString(),
    request.from.tag ?? '',
    request.callId,
    request.cseq.seq,
    sentBy,
    via?.branch ?? '',
    matched,
  ].join('\u0000');
}
