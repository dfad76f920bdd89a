/**
 * The notifier side (RFC 6665 §4.2): others subscribe to an event package of ours (`presence` or
 * `dialog` of this user agent) and get a NOTIFY at once, on every change, and a last one when the
 * subscription ends: by their Expires: 0 (§4.2.1.4), by expiry (§4.2.2, reason=timeout), or when
 * the application stops serving the package (reason=noresource). Only packages the application
 * serves are accepted; any other gets 489 Bad Event with Allow-Events (§4.2.1.1).
 */
import type { TimerHandle } from '../../core/clock';
import { Dialog } from '../../dialog/dialog';
import type { SipRequest } from '../../message/message';
import { responseTo } from '../../transaction/requests';
import type { ServerTransaction } from '../../transaction/transaction-layer';
import { type UaCore } from '../ua-core';
import { isSuccess } from '../../message/content';

/** What a served package says: its body type and its state now, as a body. */
export interface EventSource {
  readonly contentType: string;
  body(): string;
}

/** At most this many watchers at once, across all packages: more get 503 with Retry-After. */
export const MAX_WATCHERS = 32;
/** The longest subscription granted (s); a longer request is cut to this (§4.2.1.1). */
export const MAX_WATCH_EXPIRES = 3600;
/** Granted when the SUBSCRIBE names no Expires (the packages' defaults are an hour, RFC 3856 §6.4). */
const DEFAULT_EXPIRES = 3600;

const seconds = (text: string | undefined): number | undefined =>
  text && /^[0-9]{1,9}$/.test(text.trim()) ? Number(text) : undefined;

/** One subscription someone holds with us. */
export class Watcher {
  readonly dialog: Dialog;
  readonly event: string;
  readonly #core: UaCore;
  readonly #source: EventSource;
  readonly #ended: (watcher: Watcher) => void;
  #expiresAt = 0;
  #timer: TimerHandle | undefined;
  #done = false;

  constructor(
    core: UaCore,
    request: SipRequest,
    transaction: ServerTransaction,
    event: string,
    source: EventSource,
    ended: (watcher: Watcher) => void,
  ) {
    this.#core = core;
    this.event = event;
    this.#source = source;
    this.#ended = ended;
    const expires = this.#grant(request);
    // §12.1.1: the 2xx that makes the dialog copies the SUBSCRIBE's Record-Route as it came.
    const response = responseTo(request, 200, undefined, core.newTag());
    if (request.recordRoute[0]) response.setHeader('Record-Route', request.recordRoute);
    response.setHeader('Expires', expires);
    response.setHeader('Contact', core.contact());
    transaction.respond(response);
    this.dialog = Dialog.asUas(request, response.to.tag!, false, 1);
    this.#afterGrant(expires);
  }

  /** Whether it has ended (a fetch ends as it is answered). */
  get ended(): boolean {
    return this.#done;
  }

  /** A SUBSCRIBE in this dialog: a refresh, or the end when Expires is 0 (§4.2.1.2, §4.2.1.4). */
  refresh(request: SipRequest, transaction: ServerTransaction): void {
    if (this.dialog.receiveRequest(request) === 'out-of-order')
      return void this.#core.respond(transaction, 500, 'Out of Order');
    this.dialog.refreshTarget(request);
    const expires = this.#grant(request);
    this.#core.respond(transaction, 200, undefined, [['Expires', String(expires)]]);
    this.#afterGrant(expires);
  }

  /** The state changed: tell the watcher (§4.2.2). */
  notify(): void {
    if (!this.#done)
      this.#send(`active;expires=${Math.max(1, Math.ceil((this.#expiresAt - this.#core.clock.now()) / 1000))}`);
  }

  /** Ends it with a last NOTIFY (§4.2.2: terminated, with the reason). */
  end(reason: string): void {
    if (this.#done) return;
    this.#done = true;
    this.#core.clock.clearTimeout(this.#timer);
    this.#send(`terminated;reason=${reason}`);
    this.#ended(this);
  }

  #grant(request: SipRequest): number {
    return Math.min(seconds(request.header('Expires')) ?? DEFAULT_EXPIRES, MAX_WATCH_EXPIRES);
  }

  #afterGrant(expires: number): void {
    // §4.2.1.4 and §4.4.3: Expires 0 (an unsubscribe, or a fetch) gets one last NOTIFY with the state.
    if (expires === 0) return this.end('timeout');
    this.#expiresAt = this.#core.clock.now() + expires * 1000;
    this.#core.clock.clearTimeout(this.#timer);
    this.#timer = this.#core.clock.setTimeout(() => this.end('timeout'), expires * 1000);
    this.notify();
  }

  #send(state: string): void {
    const request = this.dialog.createRequest('NOTIFY');
    request.setHeader('Event', this.event);
    request.setHeader('Subscription-State', state);
    request.setHeader('Contact', this.#core.contact());
    request.setHeader('Content-Type', this.#source.contentType);
    request.body = this.#source.body();
    this.#core.send(request, { nextSeq: () => this.dialog.nextSeq() }).then(
      ({ response }) => {
        // §4.2.2: a 481 or another failure means the subscriber is gone.
        if (!isSuccess(response.status) && !this.#done) {
          this.#done = true;
          this.#core.clock.clearTimeout(this.#timer);
          this.#ended(this);
        }
      },
      () => undefined,
    );
  }
}
