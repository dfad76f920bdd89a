import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { TransportState } from '../../stack/transport/transport';
import type { UserAgent } from '../../stack/ua/user-agent';
import { deviceChoice, type CallHandle } from '../shared/call-handle';
import { dialPad } from '../shared/dial-pad';
import { emit, emitError, type SipEventDetails } from '../shared/events';
import { TonePlayer, type Tone } from '../shared/tone-player';
import type { SipCall } from '../sip-call/sip-call.component';
import { CallsUnavailableError } from '../../media/capabilities';
import { CallAvailability } from './call-availability';
import { AutoAnswerer } from './auto-answer';
import type { TransferPolicy } from '../sip-call/transfer-consent';
import { DeviceController } from './device-controller';
import { parseIceServers } from './ice-servers';
import { digestPolicy } from './digest-policy';
import { parseIceTransportPolicy } from './ice-transport-policy';
import { devicesPanel, tracePanel } from './phone-panels';
import { missingSettings, settingText } from './phone-config';
import { serverUrls } from './flow-transport';
import { appendTrace, type TraceEntry } from './sip-trace';
import { Localize } from '../i18n/localize';
import type { phoneStrings, PhoneStrings } from './phone-strings';
import type { CallStrings } from '../sip-call/call-strings';
import { sipPhoneStyles } from './sip-phone.styles';
import { UserAgentController } from './user-agent-controller';
import { PresencePublisher } from './presence-publisher';
import { VoicemailController, type Voicemail } from './voicemail-controller';
import { HistoryController } from './history-controller';
import type { HistoryEntry } from './call-history';
import { phoneTone } from './call-waiting';
import { declineForDnd, dndButton } from './do-not-disturb';

/** Options of {@link SipPhone.call}. */
export interface CallOptions {
  /** Send the camera too (default: audio only). */
  video?: boolean;
}

/** A `<sip-call>` (defined by sip-phone.ts, which imports its definition). */
const newCallElement = (): SipCall => document.createElement('sip-call') as SipCall;

/** What the phone passes on to its calls. */
const SHARED = ['theme', 'microphone', 'camera', 'speaker', 'transferPolicy'] as const;

/** Which call is "current", best first: connected, else ringing here, else being placed, else held. */
const CURRENT = ['connected', 'incoming', 'early', 'ringing', 'calling', 'held'];

const NOT_CONNECTED = 'The phone is not connected: set server, user and domain first';

type RegistrationEvent = 'sip-registered' | 'sip-unregistered' | 'sip-registration-failed';

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
 * @attr server - The SIP-over-WebSocket server, a ws:// or wss:// URL (wss:// from an https page); or several, space-separated: the phone keeps a registered flow to each of the first `flows` (RFC 5626 §4.2), so it stays reachable while one is down.
 * @attr flows - With several `server` URLs: how many to keep a flow to (default 2). The phone is registered while at least one flow is.
 * @attr user - The user part of the address of record.
 * @attr domain - The SIP domain of the address of record.
 * @attr display-name - The display name sent in From.
 * @attr auth-user - The digest user name when it differs from `user`.
 * @attr auth-realm - Digest realms (space-separated) the password may answer besides the registrar's (the realm that challenges REGISTER); a far end's challenge for any other realm is not answered.
 * @attr refuse-md5 - Leave MD5 digest challenges unanswered (SHA-256 or SHA-512/256 only).
 * @attr require-qop - Leave digest challenges without qop (RFC 2069 form, no replay protection) unanswered.
 * @attr register - Register once connected (set on a connected phone: register now). Removing it does not unregister.
 * @attr ice-servers - JSON array of RTCIceServer objects, e.g. `[{"urls":"stun:stun.example.com"}]`.
 * @attr ice-transport-policy - `all` (default) or `relay`: media only through the TURN server of `ice-servers`.
 * @attr registered-contact - Calls use the Contact the registrar stored for this phone, for servers that route neither RFC 5626 flows nor GRUUs (39peers sipd.py).
 * @attr trace - Show the SIP trace panel (Authorization values redacted).
 * @attr silent - No ringtone and no ringback.
 * @attr accept-html-messages - Accept `text/html` MESSAGE bodies (their markup is the page's to sanitize); without it only `text/plain` is accepted and others get 415.
 * @attr auto-answer - Answer calls that ask for it (intercom, paging: Answer-Mode: Auto, Call-Info `answer-after`, Alert-Info `alert-autoanswer`) after the delay they ask, when no other call is up and the delay is at most 30 s. Off by default: it opens the microphone without the user (SECURITY.md).
 * @attr theme - `light` or `dark` forces a theme; without it the page's color scheme decides.
 * @attr transfer-policy - When a peer asks a call to call someone else (REFER): `ask` the user in its `<sip-call>` (default), `accept`, or `decline`. Passed on to the calls.
 * @attr registered - Present while registered (read-only, reflected for CSS).
 * @attr presence - Our presence, published (PUBLISH, PIDF) while connected and served to those who SUBSCRIBE to us directly: `available`, `away`, `busy` or `offline`; empty publishes nothing.
 * @attr mailbox - A voicemail server's address (`sip:…`) to subscribe to for message waiting (RFC 3842).
 * @attr voicemail-waiting - Present while voicemail waits (read-only, reflected for CSS), from `mailbox` or an unsolicited NOTIFY.
 * @attr dnd - Do not disturb: incoming calls are declined at once with 486 Busy Here (RFC 3261 §21.4.7), fire a non-cancelable `sip-incoming` with `declined: 'dnd'`, and enter the history as missed. Reflected; the phone's Do not disturb button toggles it.
 * @attr history-storage - `local`: keep the call history in localStorage, one key per address of record (`sip-elements.history:sip:user@domain`), read back when the phone takes that address. Otherwise the history lives in memory only and nothing is stored.
 * @attr missed-calls - The number of missed calls since the user last opened the history panel (read-only, reflected for CSS; absent at 0).
 * @attr lang - The language of the phone's texts (the global attribute): its own, else the closest ancestor's, else the document's, followed when it changes. English is built in; `de`, `fr`, `es` and `ar` (right to left) load on first use; others with `registerLanguage()`. Its calls inherit it.
 * @attr dir - `ltr` or `rtl` overrides the direction of the language.
 *
 * @fires sip-connecting - A WebSocket is opening: `detail.server` (the one URL it goes to).
 * @fires sip-connected - A WebSocket is open: `detail.server`.
 * @fires sip-disconnected - A WebSocket closed or could not open: `detail.server`, `detail.reason`, `detail.reconnectInMs`.
 * @fires sip-registered - Registered: `detail.aor`, `detail.expires`.
 * @fires sip-unregistered - The registration was removed: `detail.aor`, `detail.reason`.
 * @fires sip-registration-failed - The registrar refused: `detail.status`, `detail.reason`.
 * @fires sip-incoming - Cancelable. A call arrives: `detail.call` is its `<sip-call>`, `detail.from`, `detail.displayName` (remote text), `detail.autoAnswer` (`{ delay, willAnswer }` when the call asks to be answered without the user). `preventDefault()` declines it. With `dnd`, the call is declined (486) already: `detail.declined` is `'dnd'`, the event is not cancelable, and the `<sip-call>` is not added to the phone.
 * @fires sip-history - The call history changed: `detail.kind` is `added` (a call ended; `detail.entry` is its entry) or `cleared` (`detail.entry` undefined). A page that keeps history its own way stores from here.
 * @fires sip-message - A SIP MESSAGE arrived: `detail.from`, `detail.displayName`, `detail.contentType`, `detail.body`; `detail.call` is the `<sip-call>` when it came inside a call (bubbling from it), else undefined.
 * @fires sip-error - A configuration or runtime error; `detail.error.message` is readable. Where calls cannot work (a page that is not secure, a browser without WebRTC), once on load and for each call attempt or incoming call (declined with 488) a `CallsUnavailableError` whose `code` is `insecure-context` or `no-webrtc`. Also when a chosen microphone, camera or speaker is no longer in the system (`devicechange`): the phone then uses the default one.
 * @fires sip-voicemail - The voicemail summary changed: `detail.waiting`, `detail.newMessages`, `detail.oldMessages`, `detail.account`.
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
 * @csspart devices - The device menu (microphone, camera, speaker), kept up to date as devices come and go; a choice made during a call switches the call's device at once.
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
export class SipPhone extends LitElement {
  static override styles = sipPhoneStyles;

  // Reactive properties declared statically rather than by decorator, so neither Lit's decorator
  // modules nor tslib's __decorate reach the bundle. Each field below is `declare`d (a type, no
  // emitted field that would shadow Lit's accessor) and given its default in the constructor.
  static override properties: PropertyDeclarations = {
    server: {},
    flows: { type: Number },
    user: {},
    domain: {},
    displayName: { attribute: 'display-name' },
    authUser: { attribute: 'auth-user' },
    authRealm: { attribute: 'auth-realm' },
    refuseMd5: { type: Boolean, attribute: 'refuse-md5' },
    requireQop: { type: Boolean, attribute: 'require-qop' },
    autoRegister: { type: Boolean, attribute: 'register' },
    iceServersJson: { attribute: 'ice-servers' },
    iceTransportPolicy: { attribute: 'ice-transport-policy' },
    registeredContact: { type: Boolean, attribute: 'registered-contact' },
    password: { attribute: false },
    trace: { type: Boolean },
    silent: { type: Boolean },
    acceptHtmlMessages: { type: Boolean, attribute: 'accept-html-messages' },
    autoAnswer: { type: Boolean, attribute: 'auto-answer' },
    theme: { reflect: true },
    transferPolicy: { attribute: 'transfer-policy' },
    microphone: { attribute: false },
    camera: { attribute: false },
    speaker: { attribute: false },
    callLinger: { attribute: false },
    presence: {},
    mailbox: {},
    dnd: { type: Boolean, reflect: true },
    historyStorage: { attribute: 'history-storage' },
    connection: { state: true },
    problem: { state: true },
    registrationNote: { state: true },
    announcement: { state: true },
    traceLog: { state: true },
    retrySeconds: { state: true },
    strings: { attribute: false },
    callStrings: { attribute: false },
  };

  /** The SIP-over-WebSocket server, a ws:// or wss:// URL; or several, space-separated (RFC 5626 flows). */
  declare server: string;

  /** How many of several `server` URLs to keep a registered flow to. */
  declare flows: number;

  /** The user part of the address of record. */
  declare user: string;

  /** The SIP domain of the address of record. */
  declare domain: string;

  /** The display name sent in From. */
  declare displayName: string;

  /** The digest user name when it differs from `user`. */
  declare authUser: string;

  /** Digest realms (space-separated) answered besides the registrar's, as in `auth-realm`. */
  declare authRealm: string;

  /** Leave MD5 digest challenges unanswered. */
  declare refuseMd5: boolean;

  /** Leave digest challenges without qop unanswered. */
  declare requireQop: boolean;

  /**
   * Register once connected (the `register` attribute; the property has another name because
   * `register()` is the method that registers now).
   */
  declare autoRegister: boolean;

  /** JSON array of RTCIceServer objects, as written in the `ice-servers` attribute. */
  declare iceServersJson: string;

  /** The ICE servers in use, parsed from `ice-servers`; empty when the attribute is absent or invalid. */
  iceServers: RTCIceServer[] = [];

  /** `all` or `relay` (RTCConfiguration.iceTransportPolicy); another value is a sip-error and means `all`. */
  declare iceTransportPolicy: RTCIceTransportPolicy;
  /**
   * Calls use, as their Contact, the URI the registrar stored for this phone (its binding in the
   * answer to REGISTER) instead of a GRUU or the phone's own `.invalid` address. For servers that
   * route neither RFC 5626 flows nor GRUUs but store the connection's address, such as 39peers sipd.py.
   */
  declare registeredContact: boolean;

  /** The digest password. A property only: never an attribute, never shown, never logged. */
  declare password: string;

  /** Accept text/html MESSAGE bodies (issue 15: off, so a stranger's markup never reaches `sip-message` unasked). */
  declare acceptHtmlMessages: boolean;

  /** Answer calls that ask for it (intercom), as in `auto-answer`; off by default. */
  declare autoAnswer: boolean;

  /** Show the SIP trace panel. */
  declare trace: boolean;

  /** No ringtone and no ringback. */
  declare silent: boolean;

  /** `light` or `dark` forces a theme (passed on to the phone's calls); unset follows `prefers-color-scheme`. */
  declare theme: 'light' | 'dark' | undefined;

  /** Who decides when a peer asks for a transfer (REFER): `ask` the user (default), `accept`, `decline`. */
  declare transferPolicy: TransferPolicy;

  /** Microphone device id for calls ('' is the default device). */
  declare microphone: string;

  /** Camera device id for video calls ('' is the default device). */
  declare camera: string;

  /** Speaker device id for the calls' audio ('' is the default; needs HTMLMediaElement.setSinkId). */
  declare speaker: string;

  /** How long an ended call's `<sip-call>` stays in the phone, in ms. */
  declare callLinger: number;

  /** Our presence to publish: `available`, `away`, `busy`, `offline`, or empty for none. */
  declare presence: string;

  /** The voicemail server's address to subscribe to for message waiting (message-summary). */
  declare mailbox: string;

  /** Do not disturb: incoming calls are declined with 486 Busy Here (reflected as `dnd`). */
  declare dnd: boolean;

  /** `local` keeps the call history in localStorage (a key per address of record); anything else stores nothing. */
  declare historyStorage: string;
  /**
   * Replacements for any of the phone's texts, by key (`{ call: 'Dial' }`); the others come from
   * the language's table. The keys and their English texts: `src/components/sip-phone/phone-strings.ts`.
   */
  declare strings: Partial<PhoneStrings> | undefined;

  /** Replacements for the texts of the phone's calls: when set, set as each of its `<sip-call>`s' `strings`. */
  declare callStrings: Partial<CallStrings> | undefined;

  declare private connection: TransportState;
  declare private problem: string;
  declare private registrationNote: { status: number; reason: string } | undefined;
  /** Who the last incoming call is from, announced in the alert region. */
  declare private announcement: string;
  declare private retrySeconds: number | undefined;
  declare private traceLog: TraceEntry[];

  constructor() {
    super();
    // One assignment per line: the manifest analyzer reads each default from its own statement.
    this.server = '';
    this.flows = 2;
    this.user = '';
    this.domain = '';
    this.displayName = '';
    this.authUser = '';
    this.authRealm = '';
    this.refuseMd5 = false;
    this.requireQop = false;
    this.autoRegister = false;
    this.iceServersJson = '';
    this.iceTransportPolicy = 'all';
    this.registeredContact = false;
    this.password = '';
    this.trace = false;
    this.silent = false;
    this.transferPolicy = 'ask';
    this.acceptHtmlMessages = false;
    this.autoAnswer = false;
    this.microphone = '';
    this.camera = '';
    this.speaker = '';
    this.callLinger = 3000;
    this.presence = '';
    this.mailbox = '';
    this.dnd = false;
    this.historyStorage = '';
    this.connection = 'disconnected';
    this.problem = '';
    this.registrationNote = undefined;
    this.announcement = '';
    this.traceLog = [];
    // Publishes `presence`: a controller the phone never calls (it follows the phone's updates).
    new PresencePublisher(this);
  }

  readonly #agent = new UserAgentController(this, {
    listen: (ua) => {
      // Each detail is built field by field: the page gets the documented fields, never a stack object.
      const registration = <K extends RegistrationEvent>(name: K, detail: SipEventDetails[K], note?: { status: number; reason: string }) => {
        this.registrationNote = note;
        this.requestUpdate();
        emit(this, name, detail);
      };
      return [
        // The phone as a whole (connected while any flow is) sets the status line...
        ua.events.on('transport', (state, { reason }) => {
          this.connection = state;
          if (state === 'connected') this.problem = '';
          else if (state === 'disconnected') this.problem = reason;
        }),
        // ...and each flow tells the page about its own server.
        ua.events.on('flow', (flow, state, { reason, reconnectInMs }) => {
          const server = serverUrls(settingText(this.server), this.flows)[flow - 1] ?? this.server;
          if (state === 'connecting') emit(this, 'sip-connecting', { server });
          else if (state === 'connected') {
            this.problem = '';
            this.retrySeconds = undefined;
            emit(this, 'sip-connected', { server });
          } else if (state === 'disconnected') {
            this.problem = reason;
            this.retrySeconds = reconnectInMs === undefined ? undefined : Math.ceil(reconnectInMs / 1000);
            emit(this, 'sip-disconnected', { server, reason, reconnectInMs });
          }
        }),
        ua.events.on('registered', ({ expires }) => registration('sip-registered', { aor: this.aor, expires })),
        ua.events.on('unregistered', ({ reason }) => registration('sip-unregistered', { aor: this.aor, reason })),
        ua.events.on('registration-failed', ({ status, reason }) =>
          registration('sip-registration-failed', { aor: this.aor, status, reason }, { status, reason }),
        ),
        ua.events.on('message', ({ from, contentType, body }) =>
          emit(this, 'sip-message', { from: from.uri.toString(), displayName: from.displayName ?? '', contentType, body, call: undefined }),
        ),
        ua.events.on('incoming-call', (call) => this.#incoming(call)),
      ];
    },
    trace: (direction, text) => {
      if (this.trace) this.traceLog = appendTrace(this.traceLog, direction, text);
    },
    error: (error) => {
      // A failed connection already said why, with the retry delay: keep that.
      this.problem ||= error.message;
      emit(this, 'sip-error', { error });
    },
    reset: () => {
      // The user agent is replaced or stopped: every call is gone, and so are the tones and old news.
      for (const call of [...this.#calls.keys()]) this.#removeCall(call);
      this.#tones.close();
      this.connection = 'disconnected';
      this.problem = '';
      this.registrationNote = undefined;
    },
  });
  readonly #devices = new DeviceController(this);
  readonly #availability = new CallAvailability(this);
  readonly #autoAnswer = new AutoAnswerer(this);
  readonly #tones = new TonePlayer();
  readonly #voicemail = new VoicemailController(this);
  readonly #history = new HistoryController(this);
  readonly #t = new Localize<typeof phoneStrings>(this, 'phone');
  /** Each call's element, what removes its listeners, and the timer that removes an ended one. */
  readonly #calls = new Map<CallHandle, { element: SipCall; off: Array<() => void>; timer?: ReturnType<typeof setTimeout> }>();

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
    return this.connection;
  }

  /** The `<sip-call>` elements of the phone's calls, oldest first (ended ones until they are removed). */
  get calls(): SipCall[] {
    return [...this.#calls.values()].map((entry) => entry.element);
  }

  /** The call the user is most likely looking at: connected, else ringing here, else being placed, else held (newest first). */
  get currentCall(): SipCall | undefined {
    const rank = (element: SipCall) => CURRENT.indexOf(element.state);
    return this.calls
      .filter((element) => rank(element) >= 0)
      .reverse()
      .sort((a, b) => rank(a) - rank(b))[0];
  }

  /** The tone playing now: 'ringtone', 'ringback', 'call-waiting' or undefined. */
  get tone(): Tone | undefined {
    return this.#tones.tone;
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
    return this.#addCall(call);
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
    if (ice.error && (changed.has('iceTransportPolicy') || changed.has('iceServersJson'))) emit(this, 'sip-error', { error: ice.error });
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
    if (changed.has('silent')) this.#updateTones();
    // `register` set on a phone that is already connected: register now, as it would on connect.
    if (changed.get('autoRegister') === false && this.autoRegister && this.connection === 'connected' && !this.registered) void this.register();
    if ([...SHARED, 'callStrings' as const].some((name) => changed.has(name))) for (const element of this.calls) this.#share(element);
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
      this.#addCall(call, element);
      if (autoAnswer?.willAnswer) this.#autoAnswer.schedule(element, autoAnswer.delay);
      this.announcement = displayName || from;
    }
  }

  #addCall(call: CallHandle, element = newCallElement()): SipCall {
    this.#history.watch(call);
    element.call = call;
    element.slot = 'calls';
    this.#share(element);
    const entry: { element: SipCall; off: Array<() => void>; timer?: ReturnType<typeof setTimeout> } = {
      element,
      off: [
        call.events.on('state', () => this.#updateTones()),
        call.events.on('ended', () => {
          this.#updateTones();
          entry.timer = setTimeout(() => this.#removeCall(call), this.callLinger);
        }),
        call.events.on('referred-call', (referred) => this.#addCall(referred)),
        // RFC 3891: an attended transfer to us: the new call is answered already, no sip-incoming.
        call.events.on('replaced', (next) => this.#addCall(next)),
      ],
    };
    this.#calls.set(call, entry);
    this.append(element);
    this.#updateTones();
    this.requestUpdate();
    return element;
  }

  #share(element: SipCall): void {
    for (const name of SHARED) (element as unknown as Record<string, unknown>)[name] = this[name];
    // Only when set: a page that gives one call its own strings keeps them.
    if (this.callStrings) element.strings = this.callStrings;
  }

  #removeCall(call: CallHandle): void {
    const entry = this.#calls.get(call);
    if (!entry) return;
    this.#calls.delete(call);
    clearTimeout(entry.timer);
    for (const off of entry.off) off();
    // A page that moved the element elsewhere keeps it.
    if (entry.element.parentNode === this) entry.element.remove();
    this.#updateTones();
    this.requestUpdate();
  }

  #updateTones(): void {
    const tone = this.silent ? undefined : phoneTone([...this.#calls.keys()]);
    if (tone) this.#tones.play(tone);
    else this.#tones.stop();
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

  #statusText(): string {
    const t = this.#t;
    const missing = missingSettings(this);
    const connection = this.connection;
    // The problem is the stack's or the browser's own text (a close reason, a URL error): shown as it is.
    const problem = this.retrySeconds === undefined ? this.problem : t.text('retrying', { reason: this.problem, seconds: this.retrySeconds });
    return missing.length
      ? t.text('notConfigured', { settings: missing.join(', ') })
      : connection === 'connecting'
        ? t.text('connecting', { server: this.server })
        : connection !== 'connected'
          ? this.problem
            ? t.text('notConnectedBecause', { problem })
            : t.text('notConnected')
          : this.registered
            ? t.text('registered')
            : this.registrationNote
              ? t.text('registrationFailed', this.registrationNote)
              : t.text('connectedNotRegistered');
  }

  override render() {
    const t = this.#t;
    const disabled = this.connection !== 'connected';
    const noCalls = disabled || !!this.#availability.reason;
    return html`<div part="base" lang=${t.lang} dir=${t.dir}>
      <div part="header">
        <slot name="header">
          <span part="title">${this.displayName || this.user || t.text('title')}</span>
          ${this.aor ? html`<span part="aor">${this.aor}</span>` : nothing}
        </slot>
      </div>
      <div class="row">
        <span part="status" role="status">${this.#statusText()}</span>
        ${disabled
          ? nothing
          : html`<button part="button register-button" @click=${() => (this.registered ? this.unregister() : this.register())}>${t.text(this.registered ? 'unregister' : 'register')}</button>`}
        ${dndButton(this, t)}
      </div>
      <form
        part="dialer"
        @submit=${(event: SubmitEvent) => {
          event.preventDefault();
          this.#dial(false);
        }}
      >
        <label for="target">${t.text('target')}</label>
        <input id="target" part="target" name="target" autocomplete="off" inputmode="tel" dir="auto" />
        ${dialPad(t.text('dialPad'), { '*': t.text('star'), '#': t.text('pound') }, (key) => (this.#input().value += key))}
        <div class="row call-buttons">
          <button part="button call-button" class="accent" type="submit" ?disabled=${noCalls} aria-describedby=${this.#availability.describedBy}>${t.text('call')}</button>
          <button part="button video-call-button" type="button" ?disabled=${noCalls} aria-describedby=${this.#availability.describedBy} @click=${() => this.#dial(true)}>${t.text('videoCall')}</button>
        </div>
        ${this.#availability.note((reason) => t.text(reason.code === 'insecure-context' ? 'insecureContext' : 'noWebRtc', { missing: new Intl.ListFormat(t.lang, { type: 'conjunction' }).format(reason.missing) }))}
      </form>
      ${this.#voicemail.render(t)} ${this.#history.render(t)}
      <div part="calls" role="group" aria-label=${t.text('calls')}><slot name="calls"></slot></div>
      ${devicesPanel(this, this.#devices, t)} ${this.trace ? tracePanel(this.traceLog, () => this.clearTrace(), t) : nothing}
      <div class="visually-hidden" role="alert">${this.announcement && t.text('incomingFrom', { name: this.announcement })}</div>
      <slot name="footer"></slot>
    </div>`;
  }
}
