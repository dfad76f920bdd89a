/**
 * One subscription we hold (RFC 6665 §4.1): a SUBSCRIBE for an event package at a target, the
 * dialog its first NOTIFY or its 2xx makes (whichever comes first, §4.1.2.4), the NOTIFYs that
 * carry the state, a refresh before it expires (§4.1.2.2), and its end: ours (Expires: 0), the
 * notifier's (Subscription-State: terminated), or a refresh that finds it gone (481).
 *
 * It keeps itself alive where RFC 6665 §4.1.3 says a new subscription may be tried: after the
 * reasons `deactivated` and `timeout` at once, after `probation` and `giveup` once `retry-after`
 * has passed, after a failure of the server or the connection (408, 5xx) a little later, and
 * after a 481 to a refresh (the notifier forgot it) at once; never faster than once per
 * RETRY_FLOOR_MS, so a hostile notifier cannot make it loop. `rejected`, `noresource`,
 * `invariant` and a 4xx end it for good.
 */
import type { Emitter } from '../../core/emitter';
import type { TimerHandle } from '../../core/clock';
import { Dialog, dialogKey } from '../../dialog/dialog';
import type { SipRequest, SipResponse, Uri } from '../../message/message';
import type { ServerTransaction } from '../../transaction/transaction-layer';
import { type UaCore } from '../ua-core';
import { isSuccess, mediaType } from '../../message/content';

export type SubscriptionState = 'pending' | 'active' | 'terminated';

export interface Notification {
  readonly body: string;
  /** The media type, lower case, without parameters. */
  readonly contentType: string;
  readonly state: SubscriptionState;
  readonly request: SipRequest;
}

export interface SubscriptionEvents {
  notify: [notification: Notification];
  state: [state: SubscriptionState];
  /** It ended for good: `reason` is the notifier's (§4.1.3) or the status of a refused SUBSCRIBE. */
  terminated: [info: { reason: string; status?: number }];
}

export interface SubscriptionOptions {
  /** The event package, e.g. `dialog`, `presence`, `message-summary` (RFC 6665 §7.2). */
  readonly event: string;
  /** The body types we accept (Accept of the SUBSCRIBE, §4.1.2). */
  readonly accept: string;
  /** The duration we ask for, in seconds (600). */
  readonly expires?: number;
}

/** Never a new try sooner than this after the last (ms). */
export const RETRY_FLOOR_MS = 5_000;
/** After a server or connection failure without retry-after (ms). */
const RETRY_AFTER_FAILURE_MS = 30_000;

/** `Subscription-State: active;expires=600` (RFC 6665 §8.2.3) as value and parameters. */
export function parseSubscriptionState(value: string | undefined): { state: string; params: Map<string, string> } {
  const [state = '', ...rest] = (value ?? '').split(';').slice(0, 16);
  const params = new Map<string, string>();
  for (const param of rest) {
    const at = param.indexOf('=');
    params.set((at < 0 ? param : param.slice(0, at)).trim().toLowerCase(), at < 0 ? '' : param.slice(at + 1).trim());
  }
  return { state: state.trim().toLowerCase(), params };
}

/** The package of an Event header (`dialog;id=1` is `dialog`), lower case (§8.2.1). */
export const eventPackage = (value: string | undefined): string => (value ?? '').split(';')[0]!.trim().toLowerCase();

/** Seconds from a header or parameter: digits only, else undefined. */
const seconds = (text: string | undefined): number | undefined =>
  text && /^[0-9]{1,9}$/.test(text.trim()) ? Number(text) : undefined;

export class Subscription {
  readonly events: Emitter<SubscriptionEvents>;
  readonly target: Uri;
  readonly event: string;
  #core: UaCore;
  #options: SubscriptionOptions;
  #dialog: Dialog | undefined;
  /** Call-ID and our From tag of the current SUBSCRIBE: a NOTIFY may come before its 2xx. */
  #callId = '';
  #localTag = '';
  #state: SubscriptionState | undefined;
  #refreshTimer: TimerHandle | undefined;
  #retryTimer: TimerHandle | undefined;
  #lastTry = Number.NEGATIVE_INFINITY;
  /** The highest CSeq we sent: a dialog made from a NOTIFY counts on from there (§12.1.1). */
  #localSeqSeen = 0;
  #stopped = false;

  constructor(core: UaCore, target: Uri, options: SubscriptionOptions) {
    this.#core = core;
    this.target = target;
    this.event = options.event;
    this.#options = options;
    this.events = core.emitter();
  }

  /** pending or active once the notifier said so; undefined before; terminated at the end. */
  get state(): SubscriptionState | undefined {
    return this.#state;
  }

  /** The id NOTIFYs of this subscription carry (Call-ID, our tag, theirs), once known. */
  get key(): string | undefined {
    return this.#dialog?.key;
  }

  /** Whether a NOTIFY belongs to the current SUBSCRIBE (before or after its dialog exists). */
  owns(request: SipRequest): boolean {
    return request.callId === this.#callId && request.to.tag === this.#localTag && this.#localTag !== '';
  }

  /** Sends the first SUBSCRIBE (a new dialog); resolves once it is answered. */
  async start(): Promise<void> {
    this.#lastTry = this.#core.clock.now();
    this.#dialog = undefined;
    const request = this.#core.createRequest('SUBSCRIBE', this.target);
    this.#callId = request.callId;
    this.#localTag = request.from.tag ?? '';
    await this.#send(request);
  }

  /** Refreshes now, in the dialog (a new Contact after a reconnect goes with it, §4.1.2.2). */
  async refresh(): Promise<void> {
    if (this.#stopped) return;
    if (!this.#dialog) return this.start();
    await this.#send(this.#dialog.createRequest('SUBSCRIBE'));
  }

  /** Ends it (§4.1.2.3: SUBSCRIBE with Expires: 0); the notifier answers with a final NOTIFY. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#clearTimers();
    const dialog = this.#dialog;
    this.#end('unsubscribed');
    if (dialog && this.#core.connected) await this.#send(dialog.createRequest('SUBSCRIBE'), 0).catch(() => undefined);
  }

  /** A NOTIFY for this subscription (the manager matched it): §4.1.3. */
  receiveNotify(request: SipRequest, transaction: ServerTransaction): void {
    if (!this.#dialog) this.#dialog = Dialog.asUas(request, this.#localTag, false, this.#nextLocalSeq());
    else if (request.from.tag !== this.#dialog.remoteTag) {
      // A second fork of our SUBSCRIBE (§4.1.2.4): we keep one subscription; the notifier ends this one.
      return void this.#core.respond(transaction, 481, 'Subscription Does Not Exist');
    } else if (this.#dialog.receiveRequest(request) === 'out-of-order') {
      return void this.#core.respond(transaction, 500, 'Out of Order');
    } else {
      this.#dialog.refreshTarget(request);
      // A notifier's 2xx must copy the SUBSCRIBE's Record-Route (RFC 3261 §12.1.1); JsSIP 3.13's
      // does not. Its NOTIFY, a request in the same dialog through the same proxies, carries the
      // path: with no route set from the 2xx, ours is taken from it (as a UAS would, in order), or
      // the refresh and the Expires: 0 would bypass the proxy that routes to the notifier.
      if (!this.#dialog.routeSet.length && request.recordRoute.length) this.#dialog.routeSet = [...request.recordRoute];
    }
    this.#core.respond(transaction, 200);
    if (this.#stopped) return;
    const { state, params } = parseSubscriptionState(request.header('Subscription-State'));
    const next: SubscriptionState = state === 'active' || state === 'pending' ? state : 'terminated';
    if (next !== 'terminated') {
      const expires = seconds(params.get('expires'));
      if (expires !== undefined) this.#scheduleRefresh(expires);
    }
    if (request.body || next !== 'terminated') {
      this.events.emit('notify', {
        body: request.body,
        contentType: mediaType(request.contentType),
        state: next,
        request,
      });
    }
    if (next === 'terminated')
      this.#terminatedByNotifier(params.get('reason') ?? '', seconds(params.get('retry-after')));
    else this.#setState(next);
  }

  /** The flow changed: refresh at once so the notifier's route to us is the new one. */
  flowChanged(): void {
    if (this.#stopped || this.#state === 'terminated') return;
    void this.refresh();
  }

  async #send(request: SipRequest, expires = this.#options.expires ?? 600): Promise<void> {
    request.setHeader('Event', this.event);
    request.setHeader('Accept', this.#options.accept);
    request.setHeader('Expires', expires);
    request.setHeader('Contact', this.#core.contact());
    this.#localSeqSeen = Math.max(this.#localSeqSeen, request.cseq.seq);
    const { response, request: sent } = await this.#core.send(request);
    // Credentials resent it with a new CSeq; a dialog made from a NOTIFY must count from there.
    this.#localSeqSeen = Math.max(this.#localSeqSeen, sent.cseq.seq);
    if (expires === 0 || this.#stopped) return;
    this.#answered(sent, response);
  }

  #nextLocalSeq(): number {
    return this.#localSeqSeen + 1;
  }

  #answered(request: SipRequest, response: SipResponse): void {
    const status = response.status;
    if (isSuccess(status)) {
      if (!this.#dialog && response.to.tag) this.#dialog = Dialog.asUac(request, response);
      else this.#dialog?.confirm(response);
      const granted = seconds(response.header('Expires')) ?? this.#options.expires ?? 600;
      // A 2xx with Expires: 0 asked for a single NOTIFY (a fetch, §4.4.3): nothing to refresh.
      if (granted > 0) this.#scheduleRefresh(granted);
      return;
    }
    if (status === 423) {
      // §4.1.2.1 (RFC 3261 §10.2.8 for REGISTER): ask again for at least Min-Expires.
      const least = seconds(response.header('Min-Expires'));
      if (least !== undefined && least > (this.#options.expires ?? 600) && least <= 86400) {
        this.#options = { ...this.#options, expires: least };
        return this.#retryIn(0);
      }
    }
    if (status === 481) {
      // §4.1.2.2: the notifier no longer knows it (it restarted, or the subscription timed out
      // there): a new one now, no sooner than RETRY_FLOOR_MS after the last new one.
      this.#dialog = undefined;
      return this.#retryIn((seconds(response.header('Retry-After')) ?? 0) * 1000);
    }
    if (status === 408 || status >= 500) {
      // The server or connection failed: a new one, a little later.
      this.#dialog = undefined;
      return this.#retryIn((seconds(response.header('Retry-After')) ?? 0) * 1000 || RETRY_AFTER_FAILURE_MS);
    }
    // 489 Bad Event, 403, 404...: the notifier will not have it.
    this.#end(`${status} ${response.reason}`, status);
  }

  #terminatedByNotifier(reason: string, retryAfter: number | undefined): void {
    this.#dialog = undefined;
    switch (reason) {
      case 'deactivated':
      case 'timeout':
        return this.#retryIn(0);
      case 'probation':
      case 'giveup':
        return this.#retryIn((retryAfter ?? 0) * 1000 || RETRY_AFTER_FAILURE_MS);
      default:
        this.#end(reason || 'terminated');
    }
  }

  #retryIn(ms: number): void {
    this.#clearTimers();
    const wait = Math.max(ms, this.#lastTry + RETRY_FLOOR_MS - this.#core.clock.now());
    this.#retryTimer = this.#core.clock.setTimeout(() => void this.start(), wait);
  }

  /** §4.1.2.2: refresh before it expires (a minute before, or at half time when short). */
  #scheduleRefresh(expires: number): void {
    this.#core.clock.clearTimeout(this.#refreshTimer);
    const at = expires > 120 ? expires - 60 : expires / 2;
    this.#refreshTimer = this.#core.clock.setTimeout(() => void this.refresh(), at * 1000);
  }

  #setState(state: SubscriptionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.events.emit('state', state);
  }

  #end(reason: string, status?: number): void {
    this.#clearTimers();
    if (this.#state === 'terminated') return;
    this.#setState('terminated');
    this.events.emit('terminated', { reason, status });
  }

  #clearTimers(): void {
    this.#core.clock.clearTimeout(this.#refreshTimer);
    this.#core.clock.clearTimeout(this.#retryTimer);
  }
}

/** The key a NOTIFY of an existing subscription dialog carries: our tag is its To tag. */
export const notifyKey = (request: SipRequest): string =>
  dialogKey(request.callId, request.to.tag ?? '', request.from.tag ?? '');
