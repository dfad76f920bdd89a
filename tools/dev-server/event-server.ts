/**
 * The server as notifier (RFC 6665 §4.2) for its own users, so that lamps work with `npm start`
 * alone: `presence` (RFC 3856, a PIDF document, RFC 3863) from the registrar's state, open while the
 * user has a binding and closed when none, and `dialog` (RFC 4235) from the calls it proxies
 * (call-states.ts). Other packages get 489 (§4.2.1.1). A PUBLISH is not served here: it still goes
 * to the user's phones, as before; the presence served here is the registration state alone.
 *
 * Every subscription gets 200 with its Expires (at most an hour), a NOTIFY at once, one on every
 * change, and a last one (terminated) on Expires: 0 or expiry. NOTIFYs go over the subscriber's
 * flow (its Contact is an `.invalid` host, RFC 7118); a NOTIFY answered with an error, or a flow
 * that closes, ends the subscription (§4.2.2).
 */
import type { Clock, TimerHandle } from '../../src/stack/core/clock';
import type { Logger } from '../../src/stack/core/logger';
import { Dialog } from '../../src/stack/dialog/dialog';
import { NameAddr, SipUri } from '../../src/stack/message/message';
import type { SipRequest, SipResponse } from '../../src/stack/message/message';
import { responseTo } from '../../src/stack/transaction/requests';
import { DIALOG_INFO_TYPE, writeDialogInfo } from '../../src/stack/ua/subscriptions/dialog-info';
import { PIDF_TYPE, writePidf } from '../../src/stack/ua/subscriptions/pidf';
import { eventPackage } from '../../src/stack/ua/subscriptions/subscription';
import type { CallStates } from './call-states';
import type { Flow } from './flows';
import type { LocationService } from './location-service';
import type { ServerIdentity } from './server-identity';

export const SERVED_EVENTS = ['presence', 'dialog'] as const;
type Served = (typeof SERVED_EVENTS)[number];
/** The longest subscription granted, and the one granted without Expires (RFC 3856 §6.4: 3600). */
export const MAX_SUBSCRIPTION_EXPIRES = 3600;
/** At most this many subscriptions at once; more get 503 (a bound on memory). */
export const MAX_SUBSCRIPTIONS = 1000;

export interface EventServerOptions {
  readonly identity: ServerIdentity;
  readonly location: LocationService;
  readonly calls: CallStates;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Whether a user exists; undefined for open registration (any user). */
  readonly userExists?: (user: string) => boolean;
  /** A fresh random token (To tags, branches). */
  readonly token: () => string;
}

interface Held {
  readonly key: string;
  readonly flow: Flow;
  readonly dialog: Dialog;
  readonly event: Served;
  readonly user: string;
  expiresAt: number;
  timer: TimerHandle | undefined;
  /** RFC 4235 §4.1.2: the version of the next dialog-info document, per subscription. */
  version: number;
  /** The last body sent: a presence NOTIFY goes out only when the document changes. */
  lastBody: string | undefined;
}

const seconds = (text: string | undefined): number | undefined =>
  text && /^[0-9]{1,9}$/.test(text.trim()) ? Number(text) : undefined;
const keyOf = (callId: string, localTag: string | undefined, remoteTag: string | undefined) =>
  `${callId}\n${localTag ?? ''}\n${remoteTag ?? ''}`;

export class EventServer {
  readonly #held = new Map<string, Held>();
  /** NOTIFYs sent and not yet answered, by branch. */
  readonly #pending = new Map<string, Held>();

  constructor(readonly options: EventServerOptions) {}

  get size(): number {
    return this.#held.size;
  }

  /**
   * A SUBSCRIBE outside a dialog, to a user of this domain (the router has authenticated it).
   * Says whether it was handled here.
   */
  subscribe(flow: Flow, request: SipRequest): boolean {
    const { identity, userExists } = this.options;
    const uri = request.uri;
    if (request.method !== 'SUBSCRIBE' || request.to.tag !== undefined) return false;
    if (!(uri instanceof SipUri) || uri.user === undefined || !identity.isLocalHost(uri.host)) return false;
    const event = eventPackage(request.header('Event'));
    if (!(SERVED_EVENTS as readonly string[]).includes(event)) {
      return this.#reply(flow, request, 489, 'Bad Event', [['Allow-Events', SERVED_EVENTS.join(', ')]]);
    }
    if (userExists && !userExists(uri.user)) return this.#reply(flow, request, 404);
    if (this.#held.size >= MAX_SUBSCRIPTIONS)
      return this.#reply(flow, request, 503, undefined, [['Retry-After', '60']]);
    const tag = this.options.token();
    const expires = this.#grant(request);
    const response = responseTo(request, 200, undefined, tag);
    response.setHeader('Expires', expires);
    response.setHeader('Contact', this.#contact());
    flow.sendMessage(response);
    const dialog = Dialog.asUas(request, tag, false, 1);
    const held: Held = {
      key: keyOf(request.callId, tag, request.from.tag),
      flow,
      dialog,
      event: event as Served,
      user: uri.user,
      expiresAt: 0,
      timer: undefined,
      version: 0,
      lastBody: undefined,
    };
    this.#held.set(held.key, held);
    this.options.logger.info(`${flow}: SUBSCRIBE ${event} of ${uri.user} -> 200 (${expires} s)`);
    this.#granted(held, expires);
    return true;
  }

  /**
   * A SUBSCRIBE in one of our subscriptions' dialogs, on the flow that made it: a refresh, or the
   * end on Expires: 0 (§4.2.1.2, §4.2.1.4). Says whether it was one. It is not challenged (RFC 3261
   * §22: the dialog was authorized when made): the Call-ID, our random To tag and the flow it
   * arrived on together name that subscriber, as the `dlg` MAC does for dialogs the proxy routes.
   */
  resubscribe(flow: Flow, request: SipRequest): boolean {
    if (request.method !== 'SUBSCRIBE' || request.to.tag === undefined) return false;
    const held = this.#held.get(keyOf(request.callId, request.to.tag, request.from.tag));
    if (!held || held.flow !== flow) return false;
    if (eventPackage(request.header('Event')) !== held.event) return this.#reply(flow, request, 489, 'Bad Event');
    if (held.dialog.receiveRequest(request) === 'out-of-order') return this.#reply(flow, request, 500, 'Out of Order');
    const expires = this.#grant(request);
    this.#reply(flow, request, 200, undefined, [['Expires', String(expires)]]);
    this.#granted(held, expires);
    return true;
  }

  /** A response from a flow: says whether it answered one of our NOTIFYs. */
  handleResponse(flow: Flow, response: SipResponse): boolean {
    const held = this.#pending.get(response.branch ?? '');
    if (!held || held.flow !== flow || response.cseq.method !== 'NOTIFY') return false;
    if (response.status < 200) return true;
    this.#pending.delete(response.branch!);
    // §4.2.2: an error (481: the subscriber forgot it) ends the subscription.
    if (response.status >= 300) this.#forget(held);
    return true;
  }

  /** The user's registration state may have changed. */
  registrationChanged(user: string): void {
    this.#changed(user, 'presence');
  }

  /** The user's calls changed. */
  callsChanged(user: string): void {
    this.#changed(user, 'dialog');
  }

  /** The subscriber's connection is gone: its subscriptions go with it (no NOTIFY can reach it). */
  flowClosed(flow: Flow): void {
    for (const held of [...this.#held.values()]) if (held.flow === flow) this.#forget(held);
  }

  stop(): void {
    for (const held of this.#held.values()) this.options.clock.clearTimeout(held.timer);
    this.#held.clear();
    this.#pending.clear();
  }

  #changed(user: string, event: Served): void {
    for (const held of [...this.#held.values()]) {
      if (held.user === user && held.event === event) this.#notify(held, false);
    }
  }

  #grant(request: SipRequest): number {
    return Math.min(seconds(request.header('Expires')) ?? MAX_SUBSCRIPTION_EXPIRES, MAX_SUBSCRIPTION_EXPIRES);
  }

  /** After a 200: the NOTIFY with the state now (§4.2.1.2), or the last one for Expires: 0. */
  #granted(held: Held, expires: number): void {
    const { clock } = this.options;
    clock.clearTimeout(held.timer);
    if (expires === 0) return this.#end(held);
    held.expiresAt = clock.now() + expires * 1000;
    held.timer = clock.setTimeout(() => this.#end(held), expires * 1000);
    this.#notify(held, true);
  }

  /** §4.2.2: the last NOTIFY, terminated;reason=timeout (an unsubscribe or expiry, §4.2.1.4). */
  #end(held: Held): void {
    this.#forget(held);
    this.#send(held, 'terminated;reason=timeout', this.#body(held));
  }

  #notify(held: Held, always: boolean): void {
    const body = this.#body(held);
    if (!always && held.event === 'presence' && body === held.lastBody) return;
    const left = Math.max(1, Math.ceil((held.expiresAt - this.options.clock.now()) / 1000));
    this.#send(held, `active;expires=${left}`, body);
  }

  #body(held: Held): string {
    const entity = `sip:${held.user}@${this.options.identity.domain}`;
    if (held.event === 'presence') {
      const registered = this.options.location.lookup(held.user).length > 0;
      return writePidf(entity, registered ? 'available' : 'offline', 'dev-server');
    }
    return writeDialogInfo(entity, held.version++, this.options.calls.dialogsOf(held.user));
  }

  #send(held: Held, state: string, body: string): void {
    held.lastBody = body;
    const request = held.dialog.createRequest('NOTIFY');
    const branch = `z9hG4bK${this.options.token()}`;
    request.setHeader('Via', this.options.identity.via(branch));
    request.setHeader('Event', held.event);
    request.setHeader('Subscription-State', state);
    request.setHeader('Contact', this.#contact());
    request.setHeader('Content-Type', held.event === 'presence' ? PIDF_TYPE : DIALOG_INFO_TYPE);
    request.body = body;
    if (!held.flow.sendMessage(request)) return this.#forget(held);
    if (state.startsWith('active')) this.#pending.set(branch, held);
  }

  #forget(held: Held): void {
    this.options.clock.clearTimeout(held.timer);
    this.#held.delete(held.key);
    for (const [branch, pending] of this.#pending) if (pending === held) this.#pending.delete(branch);
  }

  #contact(): NameAddr {
    return new NameAddr(this.options.identity.uri);
  }

  /** Answers the request here; true, as the request has been handled. */
  #reply(
    flow: Flow,
    request: SipRequest,
    status: number,
    reason?: string,
    headers: ReadonlyArray<readonly [string, string]> = [],
  ): true {
    const response = responseTo(request, status, reason, this.options.token());
    for (const [name, value] of headers) response.setHeader(name, value);
    flow.sendMessage(response);
    return true;
  }
}
