import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { emit, emitError } from '../shared/events';
import { PresenceBinding } from './presence-binding';
import { sipPresenceStyles } from './sip-presence.styles';
import type { WatchState, WatchView } from './watch-registry';
import { Localize } from '../i18n/localize';
import { presenceStrings, type PresenceStrings } from './presence-strings';

/** An attribute's text; a removed attribute reads as '' (Lit would set null). */
const text = (value: string | null): string => value ?? '';

/**
 * A busy lamp (BLF) or presence lamp for one person, watched through a `<sip-phone>` on the same
 * page: `event="dialog"` shows whether they are on the phone (RFC 4235), `event="presence"` what
 * they published (RFC 3856, PIDF). While the element is in the page it subscribes through the
 * phone named by `for` (again when that phone makes a new user agent); every lamp for the same
 * target and event shares one subscription, ended (Expires: 0) when the last of them leaves.
 * Activating it (click, Enter, Space) calls the target through the phone.
 *
 * @summary A busy lamp or presence lamp that calls the person when clicked.
 *
 * @attr for - The id of the `<sip-phone>` to watch and call through.
 * @attr target - Whom to watch and call: `bob`, `bob@example.com` or `sip:bob@example.com`.
 * @attr event - `dialog` (busy lamp, the default) or `presence`.
 * @attr label - The name shown (default: the target).
 * @attr state - Read-only, reflected: `idle`, `ringing`, `busy` (dialog); `available`, `away`, `busy`, `offline`
 *   (presence); `unknown`.
 * @attr theme - `light` or `dark` forces a theme; without it the page's color scheme decides.
 * @attr lang - The language of the lamp's texts (the global attribute): its own, else the closest ancestor's, else the
 *   document's, followed when it changes.
 * @attr dir - `ltr` or `rtl` overrides the direction of the language.
 *
 * @fires sip-presence-change - The state or note changed: `detail.state`, `detail.previous`, `detail.note` (remote
 *   text), `detail.target`, `detail.event`.
 * @fires sip-error - The target is not an address, or calling it failed: `detail.error.message`.
 *
 * @csspart button - The button that holds the lamp and the name.
 * @csspart lamp - The lamp.
 * @csspart name - The name.
 * @csspart state - The state, as text.
 * @csspart note - The watched person's note (presence).
 *
 * @cssprop --sip-presence-lamp-size - Diameter of the lamp.
 * @cssprop --sip-presence-idle-color - Lamp color for idle and available.
 * @cssprop --sip-presence-ringing-color - Lamp color for ringing and away.
 * @cssprop --sip-presence-busy-color - Lamp color for busy.
 * @cssprop --sip-presence-unknown-color - Lamp color for offline and unknown.
 * @cssprop --sip-font-family - Font family.
 * @cssprop --sip-radius - Corner radius.
 */
export class SipPresence extends LitElement {
  static override styles = sipPresenceStyles;

  // Declared statically, not by decorator: see SipPhone.properties.
  // A removed attribute reads as '' (Lit would set null), so the strings stay strings.
  static override properties: PropertyDeclarations = {
    for: { converter: text },
    target: { converter: text },
    event: { converter: text },
    label: { converter: text },
    state: { reflect: true },
    watchedNote: { state: true },
    theme: { reflect: true },
    strings: { attribute: false },
  };

  /** The id of a `<sip-phone>` (in the same document or shadow root) to watch and call through. */
  declare for: string;

  /** Whom to watch and call. */
  declare target: string;

  /** `dialog` (busy lamp) or `presence`. */
  declare event: 'dialog' | 'presence';

  /** The name shown; the target when empty. */
  declare label: string;

  /** What the lamp shows now (read-only: set by the notifications). */
  declare state: WatchState;

  declare private watchedNote: string | undefined;

  /** `light` or `dark` forces a theme; unset follows `prefers-color-scheme`. */
  declare theme: 'light' | 'dark' | undefined;

  /**
   * Replacements for any of the lamp's texts, by key (`{ busy: 'On the phone' }`); the others come
   * from the language's table. The keys and their English texts: `src/components/sip-presence/presence-strings.ts`.
   */
  declare strings: Partial<PresenceStrings> | undefined;

  constructor() {
    super();
    this.for = '';
    this.target = '';
    this.event = 'dialog';
    this.label = '';
    this.state = 'unknown';
  }

  /** The note the watched person published (presence): remote text. */
  get note(): string | undefined {
    return this.watchedNote;
  }

  readonly #t = new Localize<typeof presenceStrings>(this, 'presence');

  readonly #binding = new PresenceBinding(
    this,
    (view) => this.#shown(view),
    (error) => emitError(this, error, `Cannot watch ${this.target}`),
  );

  /** Calls the target through the phone; resolves to its `<sip-call>` (also reached by clicking the lamp). */
  call(): Promise<unknown> {
    const phone = this.#binding.phone;
    if (!phone || typeof phone.call !== 'function')
      return Promise.reject(new Error(`No <sip-phone id="${this.for}"> to call through`));
    return phone.call(this.target);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('for') || changed.has('target') || changed.has('event')) this.#binding.resolve();
  }

  #shown({ state, note }: WatchView): void {
    const previous = this.state;
    if (state === previous && note === this.note) return;
    this.state = state;
    this.watchedNote = note;
    emit(this, 'sip-presence-change', { target: this.target, event: this.event, state, previous, note });
  }

  #activate(): void {
    this.call().catch((error: unknown) => emitError(this, error, `Cannot call ${this.target}`));
  }

  override render() {
    const t = this.#t;
    const name = this.label || this.target;
    const state = t.text(this.state in presenceStrings ? this.state : 'unknown');
    // Text bindings only: the note is remote text (a NOTIFY body), never markup.
    return html`<button part="button" type="button" lang=${t.lang} dir=${t.dir} aria-label=${t.text('callLamp', { name, state })} @click=${() => this.#activate()}>
      <span part="lamp" aria-hidden="true"></span>
      <span part="name">${name}</span>
      <span part="state" aria-hidden="true">${state}</span>
      ${this.note ? html`<span part="note">${this.note}</span>` : nothing}
    </button>`;
  }
}
