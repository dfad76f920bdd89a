/**
 * The forwarding half of a transaction-stateful proxy (RFC 3261 §16): one response context per
 * incoming request (§16.6 step 1), one client branch per target, responses chosen and sent back
 * upstream by §16.7, CANCEL by §16.10.
 *
 * Every hop here is a WebSocket, a reliable and ordered transport, so the retransmission timers of
 * §17 never run and nothing is retransmitted; what remains of the transaction layer is matching,
 * the ACK of a non-2xx final response (§17.1.1.3), Timer C (§16.8) and Timer F (§17.1.2.2), which
 * this file keeps with the injected clock.
 */
import type { Clock, TimerHandle } from '../../src/stack/core/clock';
import type { Logger } from '../../src/stack/core/logger';
import type { SipRequest, SipResponse, Uri } from '../../src/stack/message/message';
import { ackForNonSuccess, cancelFor, responseTo } from '../../src/stack/transaction/requests';
import { deriveBranch, serverTransactionKey } from './branch';
import { betterFinal } from './final-response-choice';
import type { Flow } from './flows';
import type { ServerIdentity } from './server-identity';

export interface ForwardTarget {
  /** The connection that reaches the target. */
  readonly flow: Flow;
  /** The Request-URI to send it with (§16.6 step 2). */
  readonly uri: Uri;
}

export interface ProxyOptions {
  readonly identity: ServerIdentity;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A fresh To tag for the responses the proxy makes itself (timeouts, lost connections). */
  readonly toTag: () => string;
  /** Sees every response sent back upstream, with the request it answers (call-states.ts). */
  readonly upstream?: (request: SipRequest, response: SipResponse) => void;
}

/** §16.6 step 11: Timer C, larger than 3 minutes; a provisional response restarts it (§16.8). */
export const TIMER_C_MS = 181_000;
/** §17.1.2.2 Timer F, 64*T1: a non-INVITE transaction that long without a final response is over. */
export const TIMER_F_MS = 32_000;
/** How long a cancelled branch may take to answer 487 before the proxy stops waiting. */
export const CANCEL_WAIT_MS = 32_000;
/**
 * How long a finished context is kept: to absorb the ACK of a non-2xx (§17.2.1 Timer H), to answer
 * a late CANCEL, and to pass on 2xx retransmissions (RFC 6026 §7.2, 64*T1).
 */
export const LINGER_MS = 32_000;

interface ClientBranch {
  readonly id: string;
  readonly flow: Flow;
  /** The request as sent to this target. */
  readonly request: SipRequest;
  provisional: boolean;
  /** The final status, once there is one (received or made up here). */
  final: number | undefined;
  cancelled: boolean;
  timer: TimerHandle | undefined;
}

class ResponseContext {
  readonly branches: ClientBranch[] = [];
  /** The final response sent upstream (the first 2xx, or the best non-2xx once all are in). */
  forwardedFinal: SipResponse | undefined;
  best: SipResponse | undefined;
  linger: TimerHandle | undefined;

  constructor(
    readonly key: string,
    /** The request as received (its top Via stamped with received/rport). */
    readonly request: SipRequest,
    readonly inbound: Flow,
  ) {}

  get isInvite(): boolean {
    return this.request.method === 'INVITE';
  }

  get complete(): boolean {
    return this.branches.every((branch) => branch.final !== undefined);
  }
}

export class Proxy {
  readonly #contexts = new Map<string, ResponseContext>();
  readonly #branches = new Map<string, { readonly context: ResponseContext; readonly branch: ClientBranch }>();

  constructor(readonly options: ProxyOptions) {}

  /** How many requests are being forwarded or lingering (for tests and leaks). */
  get contexts(): number {
    return this.#contexts.size;
  }

  /**
   * Forwards a request statefully to every target at once (parallel forking, §16.6), adding
   * Record-Route when asked so that the dialog's later requests come through here too.
   */
  forward(inbound: Flow, request: SipRequest, targets: readonly ForwardTarget[], recordRoute: boolean): void {
    const context = new ResponseContext(serverTransactionKey(request), request, inbound);
    this.#contexts.set(context.key, context);
    // §16.2: a stateful proxy answers an INVITE with 100 at once, so the caller stops retransmitting.
    if (context.isInvite) inbound.sendMessage(responseTo(request, 100));
    targets.forEach((target, index) => {
      const id = deriveBranch(request, `${index}|${target.flow.id}`);
      const branch: ClientBranch = {
        id,
        flow: target.flow,
        request: this.#copyFor(request, target.uri, id, recordRoute),
        provisional: false,
        final: undefined,
        cancelled: false,
        timer: undefined,
      };
      context.branches.push(branch);
      this.#branches.set(id, { context, branch });
    });
    for (const branch of context.branches) {
      if (!branch.flow.sendMessage(branch.request)) {
        this.#localFinal(context, branch, 480, 'Temporarily Unavailable (connection closed)');
        continue;
      }
      this.#arm(context, branch, context.isInvite ? TIMER_C_MS : TIMER_F_MS);
    }
  }

  /** Forwards without keeping state: the ACK of a 2xx, which has no response (§16.11, §13.2.2.4). */
  forwardStateless(request: SipRequest, target: ForwardTarget): void {
    target.flow.sendMessage(
      this.#copyFor(request, target.uri, deriveBranch(request, `stateless|${target.flow.id}`), false),
    );
  }

  /**
   * A request that matches a context already under way is a retransmission (§17.2.3); over
   * WebSocket none are expected, but a duplicate is answered with the final response, if any, and
   * never forwarded twice.
   */
  absorbRetransmission(request: SipRequest): boolean {
    const context = this.#contexts.get(serverTransactionKey(request));
    if (!context) return false;
    if (context.forwardedFinal) this.#sendUpstream(context, context.forwardedFinal);
    return true;
  }

  /**
   * §16.10: a CANCEL for an INVITE in progress cancels every pending branch. Returns whether the
   * INVITE was found (the caller answers the CANCEL itself either way).
   */
  cancel(request: SipRequest): boolean {
    const context = this.#contexts.get(serverTransactionKey(request, 'INVITE'));
    if (!context) return false;
    // RFC 3326: the caller's reason (e.g. "answered elsewhere") travels on.
    if (!context.forwardedFinal) this.#cancelPending(context, request.header('Reason'));
    return true;
  }

  /** §17.2.1: the ACK of a non-2xx final response belongs to this hop and goes no further. */
  absorbAck(ack: SipRequest): boolean {
    const context = this.#contexts.get(serverTransactionKey(ack, 'INVITE'));
    return context?.forwardedFinal !== undefined && context.forwardedFinal.status >= 300;
  }

  /** A response from downstream; says whether it belonged to a request forwarded here. */
  handleResponse(flow: Flow, response: SipResponse): boolean {
    const entry = this.#branches.get(response.branch ?? '');
    if (!entry || entry.branch.flow !== flow) return false;
    // The 200 to a CANCEL this proxy sent ends there (§16.10: the caller's CANCEL was answered here).
    if (response.cseq.method !== entry.context.request.method) return true;
    this.#onResponse(entry.context, entry.branch, response, false);
    return true;
  }

  /**
   * A connection went away. Branches waiting on it can never be answered: they end as 480 now, so
   * the caller hears at once instead of after Timer C. Calls it was placing are cancelled, so the
   * callee stops ringing for a caller who has gone.
   */
  flowClosed(flow: Flow): void {
    for (const context of [...this.#contexts.values()]) {
      if (context.inbound === flow && context.isInvite && !context.forwardedFinal) this.#cancelPending(context);
      for (const branch of context.branches) {
        if (branch.flow === flow && branch.final === undefined) {
          this.#localFinal(context, branch, 480, 'Temporarily Unavailable (connection closed)');
        }
      }
    }
  }

  stop(): void {
    for (const context of this.#contexts.values()) {
      this.options.clock.clearTimeout(context.linger);
      for (const branch of context.branches) this.options.clock.clearTimeout(branch.timer);
    }
    this.#contexts.clear();
    this.#branches.clear();
  }

  /** §16.6 steps 2, 3, 4 and 8 on a copy of the request. */
  #copyFor(request: SipRequest, uri: Uri, branch: string, recordRoute: boolean): SipRequest {
    const copy = request.clone();
    copy.uri = uri;
    // Step 3: decrement, or add 70 when absent (the caller already refused 0 with 483).
    copy.maxForwards = (request.maxForwards ?? 71) - 1;
    if (recordRoute)
      copy.addHeader('Record-Route', this.options.identity.recordRoute(request.callId), { prepend: true });
    copy.addHeader('Via', this.options.identity.via(branch), { prepend: true });
    return copy;
  }

  #onResponse(context: ResponseContext, branch: ClientBranch, response: SipResponse, local: boolean): void {
    const { status } = response;
    if (branch.final !== undefined) {
      // Late: a 2xx must still reach the caller (RFC 6026 §7.2: every 2xx is forwarded), and a
      // late non-2xx to an INVITE still gets its ACK so the callee's transaction ends.
      if (context.isInvite && status >= 200 && status < 300) this.#sendUpstream(context, response);
      else if (context.isInvite && status >= 300 && !local) this.#ack(branch, response);
      return;
    }
    if (status < 200) {
      branch.provisional = true;
      if (context.isInvite && !branch.cancelled) this.#arm(context, branch, TIMER_C_MS);
      // §16.7 step 5: provisional responses go up at once, except 100, which is hop-by-hop.
      if (status > 100 && !context.forwardedFinal) this.#sendUpstream(context, response);
      return;
    }
    branch.final = status;
    this.options.clock.clearTimeout(branch.timer);
    if (context.isInvite && status >= 300 && !local) this.#ack(branch, response);
    if (status < 300) {
      // §16.7 step 5: a 2xx goes up at once; for an INVITE every 2xx of every branch does.
      if (context.isInvite || !context.forwardedFinal) this.#sendUpstream(context, response);
      context.forwardedFinal ??= response;
      // §16.7 step 10: once a 2xx is forwarded, the other branches of an INVITE are cancelled.
      if (context.isInvite) this.#cancelPending(context, 'SIP;cause=200;text="Call completed elsewhere"');
    } else {
      context.best = betterFinal(context.best, response);
      // §16.7 step 5 for 6xx: the callee declined everywhere, so stop the other branches.
      if (status >= 600 && context.isInvite) this.#cancelPending(context);
    }
    this.#finishIfComplete(context);
  }

  /** §16.7 step 6: when every branch has a final response and none was a 2xx, send the best. */
  #finishIfComplete(context: ResponseContext): void {
    if (!context.complete) return;
    if (!context.forwardedFinal && context.best) {
      let best = context.best;
      // A 503 means "this server is overloaded", which is not true of this proxy: it goes up as 500.
      if (best.status === 503) {
        best = best.clone();
        best.status = 500;
        best.reason = 'Server Internal Error';
      }
      context.forwardedFinal = best;
      this.#sendUpstream(context, best);
    }
    this.options.clock.clearTimeout(context.linger);
    context.linger = this.options.clock.setTimeout(() => this.#forget(context), LINGER_MS);
  }

  /** §16.7 step 9: the response goes up with this proxy's Via removed. */
  #sendUpstream(context: ResponseContext, response: SipResponse): void {
    const upstream = response.clone();
    upstream.removeFirstValue('Via');
    this.options.upstream?.(context.request, upstream);
    if (!context.inbound.sendMessage(upstream)) {
      this.options.logger.debug(`${context.inbound} is gone: ${response.status} for ${context.request.method} dropped`);
    }
  }

  /** §17.1.1.3: the client transaction acknowledges a non-2xx final response itself. */
  #ack(branch: ClientBranch, response: SipResponse): void {
    branch.flow.sendMessage(ackForNonSuccess(branch.request, response));
  }

  #cancelPending(context: ResponseContext, reason?: string): void {
    if (!context.isInvite) return; // §9.1: only an INVITE is worth cancelling
    for (const branch of context.branches) {
      if (branch.final === undefined && !branch.cancelled) this.#cancelBranch(context, branch, reason);
    }
  }

  #cancelBranch(context: ResponseContext, branch: ClientBranch, reason?: string): void {
    branch.cancelled = true;
    // §9.1 waits for a provisional response before sending CANCEL, so that the CANCEL cannot
    // overtake its INVITE; on one ordered WebSocket it cannot, so it goes at once.
    if (branch.flow.sendMessage(cancelFor(branch.request, reason))) this.#arm(context, branch, CANCEL_WAIT_MS);
    else this.#localFinal(context, branch, 487);
  }

  /** Timer C / Timer F, or the wait for a cancelled branch's 487. */
  #arm(context: ResponseContext, branch: ClientBranch, ms: number): void {
    this.options.clock.clearTimeout(branch.timer);
    branch.timer = this.options.clock.setTimeout(() => {
      branch.timer = undefined;
      if (branch.final !== undefined) return;
      if (branch.cancelled) {
        this.#localFinal(context, branch, 487);
        return;
      }
      // §16.8: a timed-out INVITE branch is cancelled and counts as a 408 at once.
      if (context.isInvite) this.#cancelBranch(context, branch);
      this.#localFinal(context, branch, 408);
    }, ms);
  }

  /** Ends a branch with a response made here, as if the target had sent it. */
  #localFinal(context: ResponseContext, branch: ClientBranch, status: number, reason?: string): void {
    this.#onResponse(context, branch, responseTo(branch.request, status, reason, this.options.toTag()), true);
  }

  #forget(context: ResponseContext): void {
    if (this.#contexts.get(context.key) === context) this.#contexts.delete(context.key);
    for (const branch of context.branches) {
      this.options.clock.clearTimeout(branch.timer);
      if (this.#branches.get(branch.id)?.context === context) this.#branches.delete(branch.id);
    }
  }
}
