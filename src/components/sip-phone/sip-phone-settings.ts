import { LitElement, type PropertyDeclarations } from 'lit';
import type { TransferPolicy } from '../sip-call/transfer-consent';
import type { CallStrings } from '../sip-call/call-strings';
import type { PhoneStrings } from './phone-strings';

/**
 * The configuration of `<sip-phone>`: its attributes and settable properties, each with its
 * documentation and its default. `SipPhone` extends it with what the phone does; the element's own
 * JSDoc (sip-phone.component.ts) lists its events, parts, slots and read-only attributes for users.
 *
 * @attr server - The SIP-over-WebSocket server, a ws:// or wss:// URL (wss:// from an https page); or several, space-separated: the phone keeps a registered flow to each of the first `flows` (RFC 5626 §4.2), so it stays reachable while one is down.
 * @attr flows - With several `server` URLs: how many to keep a flow to (default 2). The phone is registered while at
 *   least one flow is.
 * @attr user - The user part of the address of record.
 * @attr domain - The SIP domain of the address of record.
 * @attr display-name - The display name sent in From.
 * @attr auth-user - The digest user name when it differs from `user`.
 * @attr auth-realm - Digest realms (space-separated) the password may answer besides the registrar's (the realm that
 *   challenges REGISTER); a far end's challenge for any other realm is not answered.
 * @attr refuse-md5 - Leave MD5 digest challenges unanswered (SHA-256 or SHA-512/256 only).
 * @attr require-qop - Leave digest challenges without qop (RFC 2069 form, no replay protection) unanswered.
 * @attr register - Register once connected (set on a connected phone: register now). Removing it does not unregister.
 * @attr ice-servers - JSON array of RTCIceServer objects, e.g. `[{"urls":"stun:stun.example.com"}]`.
 * @attr ice-transport-policy - `all` (default) or `relay`: media only through the TURN server of `ice-servers`.
 * @attr registered-contact - Calls use the Contact the registrar stored for this phone, for servers that route neither
 *   RFC 5626 flows nor GRUUs (39peers sipd.py).
 * @attr trace - Show the SIP trace panel (Authorization values redacted).
 * @attr silent - No ringtone and no ringback.
 * @attr accept-html-messages - Accept `text/html` MESSAGE bodies (their markup is the page's to sanitize); without it
 *   only `text/plain` is accepted and others get 415.
 * @attr auto-answer - Answer calls that ask for it (intercom, paging: Answer-Mode: Auto, Call-Info `answer-after`,
 *   Alert-Info `alert-autoanswer`) after the delay they ask, when no other call is up and the delay is at most 30 s.
 *   Off by default: it opens the microphone without the user (SECURITY.md).
 * @attr theme - `light` or `dark` forces a theme; without it the page's color scheme decides.
 * @attr transfer-policy - When a peer asks a call to call someone else (REFER): `ask` the user in its `<sip-call>`
 *   (default), `accept`, or `decline`. Passed on to the calls.
 * @attr presence - Our presence, published (PUBLISH, PIDF) while connected and served to those who SUBSCRIBE to us
 *   directly: `available`, `away`, `busy` or `offline`; empty publishes nothing.
 * @attr mailbox - A voicemail server's address (`sip:…`) to subscribe to for message waiting (RFC 3842).
 * @attr dnd - Do not disturb: incoming calls are declined at once with 486 Busy Here (RFC 3261 §21.4.7), fire a
 *   non-cancelable `sip-incoming` with `declined: 'dnd'`, and enter the history as missed. Reflected; the phone's Do
 *   not disturb button toggles it.
 * @attr history-storage - `local`: keep the call history in localStorage, one key per address of record
 *   (`sip-elements.history:sip:user@domain`), read back when the phone takes that address. Otherwise the history lives
 *   in memory only and nothing is stored.
 */
export class SipPhoneSettings extends LitElement {
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
  }
}
