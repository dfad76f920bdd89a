import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { UserAgent } from '../../stack/ua/user-agent';
import { watchFor, type WatchEvent, type WatchView } from './watch-registry';

/** What a lamp needs of its `<sip-phone>`: its user agent, whether it is connected, and call(). */
export interface LampPhone {
  readonly userAgent?: UserAgent;
  readonly connectionState?: string;
  call(target: string): Promise<unknown>;
}

interface Host extends ReactiveControllerHost, HTMLElement {
  for: string;
  target: string;
  event: string;
}

/** Fired by a phone (it bubbles and is composed) when its user agent, perhaps a new one, is connected. */
const PHONE_EVENTS = ['sip-connected'];

/**
 * Which watch a `<sip-presence>` shows, kept current while it is in the page (STYLE habit 12): the
 * phone named by `for` (found as `<sip-video for>` finds it), its user agent once connected, and
 * the shared watch of `target`/`event` there. A phone that makes a new user agent (new settings,
 * or removed and added again) is followed on its next `sip-connected`.
 */
export class PresenceBinding implements ReactiveController {
  readonly #host: Host;
  readonly #show: (view: WatchView) => void;
  readonly #fail: (error: unknown) => void;
  #bound: string | undefined;
  #ua: UserAgent | undefined;
  #release: (() => void) | undefined;

  constructor(host: Host, show: (view: WatchView) => void, fail: (error: unknown) => void) {
    (this.#host = host).addController(this);
    this.#show = show;
    this.#fail = fail;
  }

  /** The phone named by `for`, when it is in the same document or shadow root. */
  get phone(): LampPhone | undefined {
    if (!this.#host.for) return undefined;
    const root = this.#host.getRootNode() as Document | ShadowRoot;
    return (root.getElementById?.(this.#host.for) as unknown as LampPhone | null) ?? undefined;
  }

  hostConnected(): void {
    for (const type of PHONE_EVENTS) document.addEventListener(type, this.#changed);
    // Back in the page (added again, or moved): the watch again.
    this.resolve();
  }

  hostDisconnected(): void {
    for (const type of PHONE_EVENTS) document.removeEventListener(type, this.#changed);
    // Removed and inserted again in the same task (a move): keep the subscription.
    queueMicrotask(() => this.#host.isConnected || this.#bind(undefined, ''));
  }

  /** Works out the watch to show (from updated()). */
  resolve(): void {
    const { target, event } = this.#host;
    const phone = this.#host.isConnected ? this.phone : undefined;
    // A new watch once connected (a SUBSCRIBE sent before would only fail); the watch in hand is
    // kept while the connection is down: the stack refreshes it on the new flow (RFC 6665 §4.1.2.2).
    const ua = phone?.userAgent === this.#ua || phone?.connectionState === 'connected' ? phone?.userAgent : undefined;
    const usable = ua && target.trim() && (event === 'dialog' || event === 'presence');
    this.#bind(usable ? ua : undefined, target.trim(), event as WatchEvent);
  }

  #bind(ua: UserAgent | undefined, target: string, event?: WatchEvent): void {
    const key = ua && event ? `${event} ${target}` : undefined;
    // The same user agent, target and event: the watch in hand is still the right one.
    if (key === this.#bound && ua === this.#ua) return;
    this.#release?.();
    this.#release = undefined;
    this.#bound = key;
    this.#ua = ua;
    if (!ua || !event) return this.#show({ state: 'unknown', note: undefined });
    try {
      this.#release = watchFor(ua, target, event).add(this.#show);
    } catch (error) {
      this.#show({ state: 'unknown', note: undefined });
      this.#fail(error);
    }
  }

  #changed = (): void => this.resolve();
}
