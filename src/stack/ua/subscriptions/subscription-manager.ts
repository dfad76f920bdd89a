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
import { type UaCore } from '../ua-core';
import { mediaType } from '../../message/content';
import { MESSAGE_SUMMARY_TYPE, readMessageSummary, type MessageSummary } from './message-summary';
import { MAX_WATCHERS, Watcher, type EventSource } from './notifier';
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
  readonly #served = new Map<string, EventSource>();
  readonly #watchers = new Map<string, Watcher>();

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
    if (this.#live.size >= MAX_SUBSCRIPTIONS)
      throw new RangeError(`at most ${MAX_SUBSCRIPTIONS} subscriptions at once`);
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

  /**
   * Serves an event package of ours (RFC 6665 §4.2): SUBSCRIBEs for it are accepted and told
   * `source`'s state; `changed()` sends it to every watcher, `stop()` ends their subscriptions
   * (reason=noresource) and refuses new ones again (489).
   */
  serve(event: string, source: EventSource): { changed(): void; stop(): void } {
    const name = event.toLowerCase();
    this.#served.set(name, source);
    const watching = () => [...this.#watchers.values()].filter((watcher) => watcher.event === name);
    return {
      changed: () => watching().forEach((watcher) => watcher.notify()),
      stop: () => {
        if (this.#served.get(name) === source) this.#served.delete(name);
        watching().forEach((watcher) => watcher.end('noresource'));
      },
    };
  }

  /** The signalling flow is new: each subscription refreshes, so NOTIFYs find the new one. */
  flowChanged(): void {
    for (const subscription of this.#live) subscription.flowChanged();
    for (const publication of this.#publications) publication.flowChanged();
  }

  /** Ends every subscription and publication (the user agent is stopping). */
  async stopAll(): Promise<void> {
    for (const watcher of [...this.#watchers.values()]) watcher.end('noresource');
    const ends: Array<Promise<unknown>> = [...this.#live].map((subscription) => subscription.stop());
    ends.push(...[...this.#publications].map((publication) => publication.unpublish()));
    this.#publications.clear();
    await Promise.allSettled(ends);
  }

  /** A request handler for the user agent: takes the NOTIFYs that are ours. */
  route(request: SipRequest, transaction: ServerTransaction | undefined): boolean {
    if (request.method === 'SUBSCRIBE' && transaction) return this.#subscribe(request, transaction);
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

  /** A SUBSCRIBE for one of our packages (§4.2.1): a new watcher, or a refresh of one. */
  #subscribe(request: SipRequest, transaction: ServerTransaction): boolean {
    const event = eventPackage(request.header('Event'));
    if (request.to.tag !== undefined) {
      const watcher = this.#watchers.get(notifyKey(request));
      if (!watcher || watcher.event !== event) return false; // §12.2.2: 481 from the user agent.
      watcher.refresh(request, transaction);
      return true;
    }
    const source = this.#served.get(event);
    if (!source) {
      // §4.2.1.1 and §8.2.2: 489, with the packages we do serve.
      this.#core.respond(transaction, 489, 'Bad Event', [['Allow-Events', [...this.#served.keys()].join(', ')]]);
      return true;
    }
    if (this.#watchers.size >= MAX_WATCHERS) {
      this.#core.respond(transaction, 503, 'Too Many Subscriptions', [['Retry-After', '60']]);
      return true;
    }
    const watcher = new Watcher(this.#core, request, transaction, event, source, (ended) =>
      this.#watchers.delete(ended.dialog.key),
    );
    if (!watcher.ended) this.#watchers.set(watcher.dialog.key, watcher);
    return true;
  }

  #unsolicited(request: SipRequest, transaction: ServerTransaction): boolean {
    if (eventPackage(request.header('Event')) !== 'message-summary') return false;
    const summary =
      mediaType(request.contentType) === MESSAGE_SUMMARY_TYPE ? readMessageSummary(request.body) : undefined;
    if (!summary) {
      this.#core.respond(transaction, 400, 'Bad message-summary body');
      return true;
    }
    this.#core.respond(transaction, 200);
    this.events.emit('message-summary', summary, request.from);
    return true;
  }
}
