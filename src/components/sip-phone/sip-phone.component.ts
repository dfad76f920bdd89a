import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { TransportState } from '../../stack/transport/transport';
import type { UserAgent } from '../../stack/ua/user-agent';
import { deviceChoice, type CallHandle } from '../shared/call-handle';
import { emit, emitError } from '../shared/events';
import type { Tone } from '../shared/tone-player';
import type { SipCall } from '../sip-call/sip-call.component';
import { CallsUnavailableError } from '../../media/capabilities';
import { CallAvailability } from './call-availability';
import { AutoAnswerer } from './auto-answer';
import { DeviceController } from './device-controller';
import { parseIceServers } from './ice-servers';
import { digestPolicy } from './digest-policy';
import { parseIceTransportPolicy } from './ice-transport-policy';
import { devicesPanel, tracePanel } from './phone-panels';
import { missingSettings, settingText } from './phone-config';
import { appendTrace, type TraceEntry } from './sip-trace';
import { Localize } from '../i18n/localize';
import type { phoneStrings } from './phone-strings';
import { sipPhoneStyles } from './sip-phone.styles';
import { UserAgentController } from './user-agent-controller';
import { PresencePublisher } from './presence-publisher';
import { VoicemailController, type Voicemail } from './voicemail-controller';
import { HistoryController } from './history-controller';
import type { HistoryEntry } from './call-history';
import { declineForDnd } from './do-not-disturb';
import { SipPhoneSettings } from './sip-phone-settings';
import { ConnectionStatus } from './connection-status';
import { newCallElement, PhoneCalls } from './phone-calls';
import { phoneHeader } from './phone-header';
import { phoneDialer } from './phone-dialer';

/** Options of {@link SipPhone.call}. */
export interface CallOptions {
  /** Send the camera too (default: audio only). */
  video?: boolean;
}

const NOT_CONNECTED = 'The phone is not connected: set server, user and domain first';

// The configuration attributes (@attr) are documented with their properties in sip-phone-settings.ts.
/**
 * A SIP phone: one user agent and its WebSocket connection, registration, and the calls it places
 * and receives. Configuration comes from attributes; the password is a property only, so it never
 * appears in markup, URLs or logs.
 *
 * The phone makes its user agent once `server`, `user` and `domain` are set and it is in the page,
 * makes it again when they change, and stops it when it leaves the page: calls hung up, camera and
 * microphone released, registration removed, socket closed.
 *
 * Each call is a `<sip-call>` element that the phone appends to itself (light DOM, `slot="calls"`),
 * so the page can style it, listen to it, or move it elsewhere; `call()` resolves to it and
 * `sip-incoming` carries it. An ended call's element is removed after `callLinger` ms. A call that
 * replaces one of ours (RFC 3891: someone transferred its party to us, attended) is answered at
 * once without `sip-incoming`: its element is added beside the old one, which ends as `replaced`.
 *
 * Ringtone and ringback are generated with WebAudio (`silent` turns them off); a call that arrives
 * while another is up plays the short call-waiting tone instead of the ringtone.
 *
 * Each call enters `history` when it ends (newest first, at most 100), with a `sip-history` event;
 * an incoming call is `missed` when it was not answered here and not declined by the user or the
 * page: the caller gave up, it rang out, it failed while ringing, or do-not-disturb declined it.
 *
 * @summary A complete SIP softphone in one tag.
 *
 * @attr registered - Present while registered (read-only, reflected for CSS).
 * @attr voicemail-waiting - Present while voicemail waits (read-only, reflected for CSS), from `mailbox` or an
 *   unsolicited NOTIFY.
 * @attr missed-calls - The number of missed calls since the user last opened the history panel (read-only, reflected
 *   for CSS; absent at 0).
 * @attr lang - The language of the phone's texts (the global attribute): its own, else the closest ancestor's, else the
 *   document's, followed when it changes. English is built in; `de`, `fr`, `es` and `ar` (right to left) load on first
 *   use; others with `registerLanguage()`. Its calls inherit it.
 * @attr dir - `ltr` or `rtl` overrides the direction of the language.
 *
 * @fires sip-connecting - A WebSocket is opening: `detail.server` (the one URL it goes to).
 * @fires sip-connected - A WebSocket is open: `detail.server`.
 * @fires sip-disconnected - A WebSocket closed or could not open: `detail.server`, `detail.reason`,
 *   `detail.reconnectInMs`.
 * @fires sip-registered - Registered: `detail.aor`, `detail.expires`.
 * @fires sip-unregistered - The registration was removed: `detail.aor`, `detail.reason`.
 * @fires sip-registration-failed - The registrar refused: `detail.status`, `detail.reason`.
 * @fires sip-incoming - Cancelable. A call arrives: `detail.call` is its `<sip-call>`, `detail.from`,
 *   `detail.displayName` (remote text), `detail.autoAnswer` (`{ delay, willAnswer }` when the call asks to be answered
 *   without the user). `preventDefault()` declines it. With `dnd`, the call is declined (486) already:
 *   `detail.declined` is `'dnd'`, the event is not cancelable, and the `<sip-call>` is not added to the phone.
 * @fires sip-history - The call history changed: `detail.kind` is `added` (a call ended; `detail.entry` is its entry)
 *   or `cleared` (`detail.entry` undefined). A page that keeps history its own way stores from here.
 * @fires sip-message - A SIP MESSAGE arrived: `detail.from`, `detail.displayName`, `detail.contentType`, `detail.body`;
 *   `detail.call` is the `<sip-call>` when it came inside a call (bubbling from it), else undefined.
 * @fires sip-error - A configuration or runtime error; `detail.error.message` is readable. Where calls cannot work (a
 *   page that is not secure, a browser without WebRTC), once on load and for each call attempt or incoming call
 *   (declined with 488) a `CallsUnavailableError` whose `code` is `insecure-context` or `no-webrtc`. Also when a chosen
 *   microphone, camera or speaker is no longer in the system (`devicechange`): the phone then uses the default one.
 * @fires sip-voicemail - The voicemail summary changed: `detail.waiting`, `detail.newMessages`, `detail.oldMessages`,
 *   `detail.account`.
 * @fires sip-call-state - Bubbles up from the phone's `<sip-call>` children.
 * @fires sip-call-ended - Bubbles up from the phone's `<sip-call>` children.
 *
 * @slot header - Replaces the phone's title (display name and address).
 * @slot calls - Where the phone puts its `<sip-call>` elements.
 * @slot footer - Content at the bottom of the phone.
 *
 * @csspart base - The phone's box.
 * @csspart header - The title block.
 * @csspart title - The display name (or address).
 * @csspart aor - The address of record.
 * @csspart status - The connection and registration status line (an aria-live region).
 * @csspart button - Every button.
 * @csspart register-button - Register and unregister.
 * @csspart dialer - The dial form.
 * @csspart target - The number or address field.
 * @csspart keypad - The dial pad.
 * @csspart call-button - Places an audio call.
 * @csspart video-call-button - Places a video call.
 * @csspart calls-unavailable - Why calls cannot work here, beside the disabled call buttons.
 * @csspart calls - The list of calls.
 * @csspart voicemail - The voicemail indicator (while messages wait).
 * @csspart voicemail-count - The new and old message counts.
 * @csspart voicemail-button - Calls the voicemail (the Message-Account, else the mailbox).
 * @csspart dnd-button - The do-not-disturb toggle (`aria-pressed`).
 * @csspart history - The call history panel (a disclosure).
 * @csspart history-toggle - The history panel's summary, which opens it.
 * @csspart missed-badge - The count of missed calls not seen yet, in the history toggle.
 * @csspart history-entry - One call in the history.
 * @csspart missed-call - A missed call in the history (with `history-entry`).
 * @csspart history-party - The other party's name, or address, in a history entry.
 * @csspart call-back-button - Calls the party of a history entry.
 * @csspart clear-history-button - Clears the history.
 * @csspart devices - The device menu (microphone, camera, speaker), kept up to date as devices come and go; a choice
 *   made during a call switches the call's device at once.
 * @csspart speaker-note - In the device menu, where the browser cannot choose the speaker: says so.
 * @csspart trace - The SIP trace panel.
 * @csspart trace-entry - One message in the trace.
 *
 * @cssprop --sip-phone-background - Background of the phone.
 * @cssprop --sip-phone-border-color - Border color of the phone.
 * @cssprop --sip-phone-padding - Inner spacing.
 * @cssprop --sip-phone-max-width - Maximum width.
 * @cssprop --sip-phone-trace-height - Height of the trace panel.
 * @cssprop --sip-phone-history-height - Most height of the history list (it scrolls beyond).
 * @cssprop --sip-color-text - Text color.
 * @cssprop --sip-color-muted - Secondary text color.
 * @cssprop --sip-color-background - Background.
 * @cssprop --sip-color-surface - Background of buttons and fields.
 * @cssprop --sip-color-border - Borders.
 * @cssprop --sip-color-accent - Accent (call button).
 * @cssprop --sip-color-on-accent - Text on accent, success and danger buttons.
 * @cssprop --sip-color-success - The registered indicator.
 * @cssprop --sip-color-danger - Error text.
 * @cssprop --sip-color-focus - Focus ring.
 * @cssprop --sip-font-family - Font family.
 * @cssprop --sip-radius - Corner radius.
 */
export class SipPhone extends SipPhoneSettings {
  static override styles = sipPhoneStyles;

  // The configuration's properties are SipPhoneSettings'; these are the phone's own state.
  static override properties: PropertyDeclarations = {
    announcement: { state: true },
    traceLog: { state: true },
  };

  /** Who the last incoming call is from, announced in the alert region. */
  declare private announcement: string;
  declare private traceLog: TraceEntry[];

  constructor() {
    super();
    this.announcement = '';
    this.traceLog = [];
    // Publishes `presence`: a controller the phone never calls (it follows the phone's updates).
    new PresencePublisher(this);
  }

  readonly #status = new ConnectionStatus(this);
  readonly #agent = new UserAgentController(this, {
    listen: (ua) => [
      ...this.#status.listen(ua),
      ua.events.on('message', ({ from, contentType, body }) =>
        emit(this, 'sip-message', {
          from: from.uri.toString(),
          displayName: from.displayName ?? '',
          contentType,
          body,
          call: undefined,
        }),
      ),
      ua.events.on('incoming-call', (call) => this.#incoming(call)),
    ],
    trace: (direction, text) => {
      if (this.trace) this.traceLog = appendTrace(this.traceLog, direction, text);
    },
    error: (error) => this.#status.error(error),
    reset: () => {
      // The user agent is replaced or stopped: every call is gone, and so are the tones and old news.
      this.#calls.clear();
      this.#status.reset();
    },
  });
  readonly #devices = new DeviceController(this);
  readonly #availability = new CallAvailability(this);
  readonly #autoAnswer = new AutoAnswerer(this);
  readonly #voicemail = new VoicemailController(this);
  readonly #history = new HistoryController(this);
  readonly #t = new Localize<typeof phoneStrings>(this, 'phone');
  readonly #calls = new PhoneCalls(this, (call) => this.#history.watch(call));

  /** The address of record, `sip:user@domain`, or empty while unconfigured. */
  get aor(): string {
    return this.user && this.domain ? `sip:${this.user}@${this.domain}` : '';
  }

  /** Whether the phone is registered now (reflected as the `registered` attribute). */
  get registered(): boolean {
    return this.userAgent?.registered ?? false;
  }

  /** Whether voicemail waits, with the new and old message counts (RFC 3842). */
  get voicemail(): Voicemail {
    return this.#voicemail.voicemail;
  }

  /** Recent calls, newest first (at most 100), as they ended; names and addresses are remote text. */
  get history(): readonly HistoryEntry[] {
    return this.#history.entries;
  }

  /** Missed calls since the user last opened the history panel (reflected as `missed-calls`). */
  get missedCalls(): number {
    return this.#history.unseen;
  }

  /** The WebSocket's state: disconnected, connecting, connected, closing. */
  get connectionState(): TransportState {
    return this.#status.connection;
  }

  /** The `<sip-call>` elements of the phone's calls, oldest first (ended ones until they are removed). */
  get calls(): SipCall[] {
    return this.#calls.elements;
  }

  /**
   * The call the user is most likely looking at: connected, else ringing here, else being placed, else held (newest
   * first).
   */
  get currentCall(): SipCall | undefined {
    return this.#calls.current;
  }

  /** The tone playing now: 'ringtone', 'ringback', 'call-waiting' or undefined. */
  get tone(): Tone | undefined {
    return this.#calls.tone;
  }

  /** The SIP trace (with `trace` set): messages both ways, credentials redacted, newest last. */
  get traceEntries(): readonly TraceEntry[] {
    return this.traceLog;
  }

  /** The stack's user agent while connected (`sip-elements/sip` API), for what the elements do not cover. */
  get userAgent(): UserAgent | undefined {
    return this.#agent.userAgent;
  }

  /** Registers now; resolves true once registered, false otherwise (the reason arrives as an event). */
  async register(): Promise<boolean> {
    try {
      return await this.#agent.register();
    } catch (error) {
      emitError(this, error, 'Registration failed');
      return false;
    }
  }

  /** Removes the registration. */
  async unregister(): Promise<void> {
    await this.#agent.unregister().catch((error: unknown) => emitError(this, error, 'Unregistration failed'));
  }

  /**
   * Places a call to `target` (`bob`, `bob@example.com`, `sip:bob@example.com`, `tel:+1…`) and
   * resolves to its `<sip-call>`; rejects when the phone is not configured or the target is invalid.
   */
  async call(target: string, options: CallOptions = {}): Promise<SipCall> {
    const ua = this.userAgent;
    this.#availability.check();
    if (!ua) throw new Error(NOT_CONNECTED);
    target = target.trim();
    if (!target) throw new Error('Enter a number or SIP address to call');
    const call = ua.call(target, {
      audio: deviceChoice(this.microphone),
      video: !!options.video && deviceChoice(this.camera),
    });
    return this.#calls.add(call);
  }

  /**
   * Sends a SIP MESSAGE with `text` (text/plain). Resolves with the 2xx's `{ status, reason }`;
   * rejects with an error carrying the final `status` and `reason` otherwise.
   */
  async sendMessage(target: string, text: string): Promise<{ status: number; reason: string }> {
    const ua = this.userAgent;
    if (!ua) throw Object.assign(new Error(NOT_CONNECTED), { status: 0, reason: 'Not connected' });
    const { status, reason } = await ua.sendMessage(target, text);
    return { status, reason };
  }

  /** Forgets the call history (and its stored copy); fires `sip-history` with `kind: 'cleared'`. */
  clearHistory(): void {
    this.#history.clear();
  }

  /** The user has seen the missed calls (as opening the history panel does): `missedCalls` becomes 0. */
  markHistorySeen(): void {
    this.#history.markSeen();
  }

  /** Forgets the SIP trace. */
  clearTrace(): void {
    this.traceLog = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('iceServersJson')) {
      const { servers, error } = parseIceServers(settingText(this.iceServersJson));
      this.iceServers = servers;
      if (error) emit(this, 'sip-error', { error });
    }
    const ice = parseIceTransportPolicy(settingText(this.iceTransportPolicy), this.iceServers);
    if (ice.error && (changed.has('iceTransportPolicy') || changed.has('iceServersJson')))
      emit(this, 'sip-error', { error: ice.error });
    if (!this.trace && this.traceLog.length) this.traceLog = [];
    // Here rather than in updated(): what the new user agent reports at once is part of this render.
    if (this.isConnected) {
      this.#agent.configure(
        missingSettings(this).length
          ? undefined
          : {
              server: settingText(this.server),
              flows: this.flows,
              aor: this.aor,
              displayName: this.displayName,
              authUser: this.authUser,
              password: this.password,
              digest: digestPolicy(this),
              iceServers: this.iceServers,
              iceTransportPolicy: ice.policy,
              registeredContact: this.registeredContact,
              acceptHtmlMessages: this.acceptHtmlMessages,
            },
        this.autoRegister,
      );
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.toggleAttribute('registered', this.registered);
    // `register` set on a phone that is already connected: register now, as it would on connect.
    if (
      changed.get('autoRegister') === false &&
      this.autoRegister &&
      this.#status.connection === 'connected' &&
      !this.registered
    )
      void this.register();
  }

  #incoming(call: CallHandle): void {
    this.#history.watch(call);
    if (this.#availability.declined(call)) return;
    const element = newCallElement();
    element.call = call;
    const from = call.remote.uri;
    const displayName = call.remote.displayName ?? '';
    const declined = declineForDnd(this.dnd, call);
    const autoAnswer = declined ? undefined : this.#autoAnswer.detail(call);
    if (!emit(this, 'sip-incoming', { call: element, from, displayName, declined, autoAnswer }, !declined)) {
      if (call.state === 'incoming') call.hangup().catch(() => undefined);
    } else if (call.state !== 'ended') {
      this.#calls.add(call, element);
      if (autoAnswer?.willAnswer) this.#autoAnswer.schedule(element, autoAnswer.delay);
      this.announcement = displayName || from;
    }
  }

  #dial(video: boolean): void {
    const input = this.#input();
    this.call(input.value, { video }).then(
      () => (input.value = ''),
      // A CallsUnavailableError was reported by call() already.
      (error: unknown) => error instanceof CallsUnavailableError || emitError(this, error, 'Cannot place the call'),
    );
  }

  /** The dial field: the page's user types in it, the dial pad adds to it (it holds its own value). */
  #input(): HTMLInputElement {
    return this.renderRoot.querySelector('input')!;
  }

  override render() {
    const t = this.#t;
    const disabled = this.#status.connection !== 'connected';
    const noCalls = disabled || !!this.#availability.reason;
    return html`<div part="base" lang=${t.lang} dir=${t.dir}>
      ${phoneHeader(this, this.#status.text(t), disabled, t)}
      ${phoneDialer(
        t,
        noCalls,
        this.#availability,
        (video) => this.#dial(video),
        () => this.#input(),
      )}
      ${this.#voicemail.render(t)} ${this.#history.render(t)}
      <div part="calls" role="group" aria-label=${t.text('calls')}><slot name="calls"></slot></div>
      ${devicesPanel(this, this.#devices, t)} ${this.trace ? tracePanel(this.traceLog, () => this.clearTrace(), t) : nothing}
      <div class="visually-hidden" role="alert">${this.announcement && t.text('incomingFrom', { name: this.announcement })}</div>
      <slot name="footer"></slot>
    </div>`;
  }
}
