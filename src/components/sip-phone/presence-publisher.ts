import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Publication } from '../../stack/ua/subscriptions/publication';
import { PIDF_TYPE, writePidf } from '../../stack/ua/subscriptions/pidf';
import type { UserAgent } from '../../stack/ua/user-agent';
import { emitError } from '../shared/events';

/** The states a phone may publish as its own (`presence` attribute). */
export const PUBLISHED_STATES = ['available', 'away', 'busy', 'offline'] as const;
type Published = (typeof PUBLISHED_STATES)[number];

interface Host extends ReactiveControllerHost, HTMLElement {
  readonly userAgent: UserAgent | undefined;
  readonly connectionState: string;
  presence: string;
}

/**
 * The phone's own presence, published (RFC 3903 PUBLISH of a PIDF document, RFC 3863/4480) at its
 * address of record while `presence` is set and the phone is connected: changed when the attribute
 * changes, removed (Expires: 0) when it is cleared, and by the user agent when the phone stops.
 * The stack refreshes it, and publishes it afresh after a reconnect or a 412. Without a presence
 * server the phone answers SUBSCRIBEs for its presence itself, with the same document.
 */
export class PresencePublisher implements ReactiveController {
  readonly #host: Host;
  #ua: UserAgent | undefined;
  #publication: Publication | undefined;
  /** Our presence served to those who SUBSCRIBE to us directly (RFC 6665 §4.2). */
  #service: { changed(): void; stop(): void } | undefined;
  /** What was last published through #publication ('' for nothing). */
  #published = '';
  #reported = '';

  constructor(host: Host) {
    (this.#host = host).addController(this);
  }

  hostUpdated(): void {
    const host = this.#host;
    const ua = host.userAgent;
    if (ua !== this.#ua) {
      // A new user agent (the old one unpublished as it stopped): nothing is published through it yet.
      this.#ua = ua;
      this.#publication = undefined;
      this.#service = undefined;
      this.#published = '';
    }
    if (!ua || host.connectionState !== 'connected') return;
    const wanted = host.presence.trim();
    if (wanted && !PUBLISHED_STATES.includes(wanted as Published)) return this.#report(wanted);
    if (wanted === this.#published) return;
    this.#published = wanted;
    this.#serve(ua, wanted as Published | '');
    const publication = (this.#publication ??= ua.subscriptions.publication({
      event: 'presence',
      contentType: PIDF_TYPE,
    }));
    const done = wanted
      ? publication.publish(writePidf(ua.core.aor.toString(), wanted as Published, 'sip-elements'))
      : publication.unpublish();
    done.then(
      (status) => {
        if (status >= 300)
          emitError(host, new Error(`The server refused our presence: ${status}`), 'Presence not published');
      },
      (error: unknown) => emitError(host, error, 'Presence not published'),
    );
  }

  /** Without a presence server, a SUBSCRIBE for our presence reaches us: answered with the same PIDF. */
  #serve(ua: UserAgent, state: Published | ''): void {
    if (!state) {
      this.#service?.stop();
      this.#service = undefined;
      return;
    }
    const body = (): string =>
      writePidf(ua.core.aor.toString(), (this.#published || 'offline') as Published, 'sip-elements');
    if (this.#service) this.#service.changed();
    else this.#service = ua.subscriptions.serve('presence', { contentType: PIDF_TYPE, body });
  }

  #report(value: string): void {
    if (value === this.#reported) return;
    this.#reported = value;
    emitError(
      this.#host,
      new Error(`presence="${value}" is none of ${PUBLISHED_STATES.join(', ')}`),
      'Presence not published',
    );
  }
}
