/**
 * The subscriptions of one user agent (RFC 6665): makes them, routes every NOTIFY to the one it
 * belongs to (by dialog id, or by the Call-ID and our tag of a SUBSCRIBE whose 2xx has not come
 * yet, §4.1.2.4), refreshes them all when the connection is new, and takes the NOTIFYs that come
 * with no subscription at all: message-summary (RFC 3842), which Asterisk and others send to
 * endpoints that never subscribed.
 */
import type { Emitter } from '../../core/emitter';
import type { NameAddr, SipRequest, Uri } from '../../message/message';
import type { ServerTransaction } from '../../transaction/transaction-layer';
import { mediaType, type UaCore } from '../ua-core';
import { MESSAGE_SUMMARY_TYPE, readMessageSummary, type MessageSummary } from './message-summary';
import { Publication, type PublicationOptions } from './publication';
import { Subscription, eventPackage, notifyKey, type SubscriptionOptions } from './subscription';

export interface SubscriptionManagerEvents {
  /** A message-summary NOTIFY outside any subscription (unsolicited MWI). */
  'message-summary': [summary: MessageSummary, from: NameAddr];
}

/** At most this many subscriptions at once: a page (or a list of lamps) cannot make more. */
export const MAX_SUBSCRIPTIONS = 100;

export class SubscriptionManager {
  readonly events: Emitter<SubscriptionManagerEvents>;
  readonly #core: UaCore;
  readonly #live = new Set<Subscription>();
  readonly #publications = new Set<Publication>();

  constructor(core: UaCore) {
    this.#core = core;
    this.events = core.emitter();
  }

  /** The subscriptions that have not ended. */
  get subscriptions(): Subscription[] {
    return [...this.#live];
  }

  /**
   * Subscribes to `options.event` at `target` and returns the subscription at once; it reports by
   * its events. Throws a RangeError beyond MAX_SUBSCRIPTIONS.
   */
  subscribe(target: string | Uri, options: SubscriptionOptions): Subscription {
    if (this.#live.size >= MAX_SUBSCRIPTIONS) throw new RangeError(`at most ${MAX_SUBSCRIPTIONS} subscriptions at once`);
    const subscription = new Subscription(this.#core, this.#core.targetUri(target), options);
    this.#live.add(subscription);
    subscription.events.on('terminated', () => this.#live.delete(subscription));
    void subscription.start();
    return subscription;
  }

  /** Publishes our own state for an event package (RFC 3903) at our address of record. */
  publication(options: PublicationOptions): Publication {
    const publication = new Publication(this.#core, options);
    this.#publications.add(publication);
    return publication;
  }

  /** The signalling flow is new: each subscription refreshes, so NOTIFYs find the new one. */
  flowChanged(): void {
    for (const subscription of this.#live) subscription.flowChanged();
    for (const publication of this.#publications) publication.flowChanged();
  }

  /** Ends every subscription and publication (the user agent is stopping). */
  async stopAll(): Promise<void> {
    const ends: Array<Promise<unknown>> = [...this.#live].map((subscription) => subscription.stop());
    ends.push(...[...this.#publications].map((publication) => publication.unpublish()));
    this.#publications.clear();
    await Promise.allSettled(ends);
  }

  /** A request handler for the user agent: takes the NOTIFYs that are ours. */
  route(request: SipRequest, transaction: ServerTransaction | undefined): boolean {
    if (request.method !== 'NOTIFY' || !transaction) return false;
    if (request.to.tag === undefined) return this.#unsolicited(request, transaction);
    const key = notifyKey(request);
    const live = [...this.#live];
    const subscription = live.find((s) => s.key === key) ?? live.find((s) => s.owns(request));
    if (!subscription) return false;
    // RFC 6665 §4.1.3: a NOTIFY whose Event does not match the subscription's gets 489.
    if (eventPackage(request.header('Event')) !== subscription.event) {
      this.#core.respond(transaction, 489, 'Bad Event');
      return true;
    }
    subscription.receiveNotify(request, transaction);
    return true;
  }

  #unsolicited(request: SipRequest, transaction: ServerTransaction): boolean {
    if (eventPackage(request.header('Event')) !== 'message-summary') return false;
    const summary = mediaType(request.contentType) === MESSAGE_SUMMARY_TYPE ? readMessageSummary(request.body) : undefined;
    if (!summary) {
      this.#core.respond(transaction, 400, 'Bad message-summary body');
      return true;
    }
    this.#core.respond(transaction, 200);
    this.events.emit('message-summary', summary, request.from);
    return true;
  }
}
