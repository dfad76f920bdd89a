/**
 * The watches of one user agent, shared between lamps: every `<sip-presence>` for the same target
 * and event package reads one subscription (RFC 6665 §4.1), so ten lamps for bob on a page send
 * one SUBSCRIBE, and the last lamp to leave ends it (SUBSCRIBE with Expires: 0, §4.1.2.3).
 */
import type { Subscription } from '../../stack/ua/subscriptions/subscription';
import {
  DIALOG_INFO_TYPE,
  WatchedDialogs,
  readDialogInfo,
  type LampState,
} from '../../stack/ua/subscriptions/dialog-info';
import { PIDF_TYPE, readPidf, type PresenceState } from '../../stack/ua/subscriptions/pidf';
import type { UserAgent } from '../../stack/ua/user-agent';

/** The event packages a lamp can show: busy lamp (RFC 4235) or presence (RFC 3856). */
export type WatchEvent = 'dialog' | 'presence';

/** What a lamp shows: a dialog lamp's state or a presence state. */
export type WatchState = LampState | PresenceState;

export interface WatchView {
  readonly state: WatchState;
  /** The watched person's note (PIDF `note`): remote text, to be shown only as text. */
  readonly note: string | undefined;
}

type Listener = (view: WatchView) => void;

const ACCEPT: Record<WatchEvent, string> = { dialog: DIALOG_INFO_TYPE, presence: PIDF_TYPE };

/** One subscription and the lamps that show it. */
export class Watch {
  view: WatchView = { state: 'unknown', note: undefined };
  readonly #listeners = new Set<Listener>();
  readonly #subscription: Subscription;
  readonly #dialogs = new WatchedDialogs();
  readonly #forget: () => void;

  constructor(ua: UserAgent, target: string, event: WatchEvent, forget: () => void) {
    this.#forget = forget;
    this.#subscription = ua.subscriptions.subscribe(target, { event, accept: ACCEPT[event] });
    this.#subscription.events.on('notify', ({ body, contentType }) => this.#read(event, contentType, body));
    // Ended for good (refused, rejected, the user agent stopped): nothing is known any more, and
    // the next lamp for this target subscribes afresh.
    this.#subscription.events.on('terminated', () => {
      this.#forget();
      this.#show({ state: 'unknown', note: undefined });
    });
  }

  /** Adds a lamp; it hears the current view at once. Returns what removes it. */
  add(listener: Listener): () => void {
    this.#listeners.add(listener);
    listener(this.view);
    return () => {
      if (!this.#listeners.delete(listener) || this.#listeners.size) return;
      this.#forget();
      void this.#subscription.stop();
    };
  }

  #read(event: WatchEvent, contentType: string, body: string): void {
    // A NOTIFY without a body (pending, or a notifier with nothing to say yet) changes nothing.
    if (!body || contentType !== ACCEPT[event]) return;
    if (event === 'dialog') {
      const document = readDialogInfo(body);
      if (document && this.#dialogs.apply(document)) this.#show({ state: this.#dialogs.lamp, note: undefined });
      return;
    }
    const presence = readPidf(body);
    if (presence) this.#show({ state: presence.state, note: presence.note });
  }

  #show(view: WatchView): void {
    if (view.state === this.view.state && view.note === this.view.note) return;
    this.view = view;
    for (const listener of [...this.#listeners]) listener(view);
  }
}

const registries = new WeakMap<UserAgent, Map<string, Watch>>();

/**
 * The watch of `target`'s `event` through `ua`, shared with every other lamp that asks for the
 * same; made (one SUBSCRIBE) when none is live. Throws when the target is not a valid address or
 * the user agent holds as many subscriptions as it may (MAX_SUBSCRIPTIONS).
 */
export function watchFor(ua: UserAgent, target: string, event: WatchEvent): Watch {
  let watches = registries.get(ua);
  if (!watches) registries.set(ua, (watches = new Map()));
  const uri = ua.targetUri(target).toString();
  const key = `${event} ${uri}`;
  const known = watches.get(key);
  if (known) return known;
  const map = watches;
  const watch: Watch = new Watch(ua, uri, event, () => map.get(key) === watch && map.delete(key));
  map.set(key, watch);
  return watch;
}
