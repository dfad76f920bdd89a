/**
 * Our own event state published at our address of record (RFC 3903): the first PUBLISH carries
 * the body and gets an entity tag (SIP-ETag); a refresh before it expires sends no body and the
 * tag in SIP-If-Match (§4.2); a change sends the new body with the tag (§4.4); removal is
 * Expires: 0 with the tag (§4.5). A 412 means the tag is gone (the server restarted, it expired):
 * publish afresh (§4.6). One PUBLISH at a time: a change made while one is out waits for it.
 */
import type { TimerHandle } from '../../core/clock';
import type { SipRequest } from '../../message/message';
import { type UaCore } from '../ua-core';
import { isSuccess } from '../../message/content';

export interface PublicationOptions {
  /** The event package, e.g. `presence`. */
  readonly event: string;
  readonly contentType: string;
  /** The duration we ask for, in seconds (3600). */
  readonly expires?: number;
}

/** Digits only, at most 9: a header a peer wrote. */
const seconds = (text: string | undefined): number | undefined =>
  text && /^[0-9]{1,9}$/.test(text.trim()) ? Number(text) : undefined;

export class Publication {
  readonly #core: UaCore;
  readonly #options: PublicationOptions;
  #etag: string | undefined;
  #body: string | undefined;
  #timer: TimerHandle | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  /** The status of the last PUBLISH (0 before the first). */
  lastStatus = 0;

  constructor(core: UaCore, options: PublicationOptions) {
    this.#core = core;
    this.#options = options;
  }

  /** Publishes `body` (the first time, or as a change); resolves with the final status. */
  publish(body: string): Promise<number> {
    this.#body = body;
    return this.#enqueue(() => this.#send(body));
  }

  /** Removes what we published (§4.5); nothing when nothing is published. */
  unpublish(): Promise<number> {
    this.#body = undefined;
    this.#core.clock.clearTimeout(this.#timer);
    return this.#enqueue(async () => (this.#etag ? this.#send(undefined, 0) : 0));
  }

  /** After a reconnect: refresh at once (the server may have restarted and lost our state). */
  flowChanged(): void {
    if (this.#body !== undefined) void this.#enqueue(() => this.#send(undefined));
  }

  #enqueue(task: () => Promise<number>): Promise<number> {
    const next = this.#queue.then(task, task);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #send(body: string | undefined, expires = this.#options.expires ?? 3600): Promise<number> {
    const request: SipRequest = this.#core.createRequest('PUBLISH', this.#core.aor);
    request.setHeader('Event', this.#options.event);
    request.setHeader('Expires', expires);
    if (this.#etag) request.setHeader('SIP-If-Match', this.#etag);
    if (body !== undefined) {
      request.setHeader('Content-Type', this.#options.contentType);
      request.body = body;
    }
    const { response } = await this.#core.send(request);
    this.lastStatus = response.status;
    if (expires === 0) {
      this.#etag = undefined;
      return response.status;
    }
    if (isSuccess(response.status)) {
      this.#etag = response.header('SIP-ETag') ?? this.#etag;
      const granted = seconds(response.header('Expires')) ?? expires;
      this.#core.clock.clearTimeout(this.#timer);
      const at = granted > 120 ? granted - 60 : granted / 2;
      this.#timer = this.#core.clock.setTimeout(() => void this.#enqueue(() => this.#send(undefined)), at * 1000);
    } else if (response.status === 412 && this.#etag && this.#body !== undefined) {
      // §4.6: our entity tag is unknown there: start over with the whole state.
      this.#etag = undefined;
      return this.#send(this.#body);
    }
    return response.status;
  }
}
