import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { setAudioOutput } from '../../media/audio-output';
import type { CallQuality } from '../../media/call-quality';
import type { MediaKind } from '../../stack/ua/media-session';
import { asCall, attachStream, callStreams, deviceChoice, type CallHandle } from '../shared/call-handle';
import { emitError, type CallState } from '../shared/events';
import { CallController, isLive } from './call-controller';
import { CallMedia, mediaIndicators, webRtcOf } from './call-media';
import { formatDuration, stateKey } from './call-labels';
import { Localize } from '../i18n/localize';
import type { callStrings, CallStrings } from './call-strings';
import { sipCallStyles } from './sip-call.styles';
import { type TransferPolicy } from './transfer-consent';
import { callControls, dtmfKeypad, type CallUi, type Panel } from './call-controls';
import { transferForm, transferPrompt } from './transfer-panel';

/** Media for answering: `video: true` answers with the camera. */
export interface AnswerOptions {
  audio?: boolean;
  video?: boolean;
  /** Answered without the user (the phone's auto-answer): the 200 says `Answer-Mode: Auto` (RFC 5373). */
  auto?: boolean;
}

/**
 * One call: its state, the remote party, the duration and the controls (answer, decline, hang up,
 * hold, mute, DTMF keypad, transfer). It plays the call's remote audio itself (on the `speaker`
 * chosen), so a page that shows video with `<sip-video>` mutes nothing twice.
 *
 * `<sip-phone>` creates one per call as a light-DOM child in its `calls` slot, so a page can style,
 * query or move it. It also works alone: set `call` to a stack call (`ua.call(...)`, or the call of
 * an `incoming-call` event of a `UserAgent` from `sip-elements/sip`).
 *
 * Removing the element from the page (not moving it) hangs its call up, which releases the
 * microphone and camera.
 *
 * @summary One SIP call's state and controls.
 *
 * @attr state - The call state, reflected for CSS: calling, ringing, incoming, early, connected, held, ended. Set from
 *   the call.
 * @attr muted - Present while the microphone is muted (read-only, reflected for CSS).
 * @attr quality - The line's quality while the call has media, reflected for CSS: `good`, `fair` or `poor` (an E-model
 *   estimate from getStats every 2 s; see `sip-call-quality`). Absent before the first figures and after the call.
 * @attr theme - `light` or `dark` forces a theme; without it the page's color scheme decides.
 * @attr transfer-policy - When the peer asks this call to call someone else (REFER): `ask` the user in the element
 *   (default; declined after 30 s), `accept`, or `decline`. The new call is audio only.
 * @attr lang - The language of the call's texts (the global attribute): its own, else the closest ancestor's (its
 *   `<sip-phone>`'s), else the document's, followed when it changes.
 * @attr dir - `ltr` or `rtl` overrides the direction of the language.
 *
 * @fires sip-call-state - The call changed state: `detail.state`, `detail.previous` (undefined when the element first
 *   shows the call).
 * @fires sip-call-ended - The call ended: `detail.cause` (hangup, remote-hangup, canceled, remote-canceled,
 *   answered-elsewhere, declined, busy, rejected, no-answer, transferred, replaced, session-expired, failed),
 *   `detail.status`, `detail.reason`. `replaced`: a new call took its place (RFC 3891, an attended transfer to us).
 *   `session-expired`: no session refresh came in time (RFC 4028), we hung up.
 * @fires sip-dtmf - The peer sent a DTMF digit by SIP INFO: `detail.digit`.
 * @fires sip-remote-identity - The far end says the call is now with another party (a PBX transfer: P-Asserted-Identity
 *   or Remote-Party-ID in a re-INVITE or UPDATE): `detail.uri`, `detail.displayName` (remote text, the far end's
 *   claim); the element shows the new party.
 * @fires sip-transfer-request - Cancelable. The peer asks this call to call `detail.target` (REFER; remote text).
 *   `preventDefault()` declines; `detail.accept()` / `detail.decline()` decide, now or while the request is pending;
 *   otherwise `transfer-policy` decides.
 * @fires sip-transfer-progress - Progress of a transfer this call asked for: `detail.status`, `detail.reason`.
 * @fires sip-message - The peer sent a MESSAGE in this call (RFC 3428; text/plain, or text/html with the phone's
 *   `accept-html-messages`): `detail.body` (remote text), `detail.contentType`, `detail.from`, `detail.displayName`,
 *   `detail.call` (this element). Bubbles to the phone.
 * @fires sip-error - A control failed (hold refused, DTMF not possible...), or a microphone or camera in use was
 *   disconnected and the call fell back to the default one: `detail.error.message` is readable.
 * @fires sip-call-quality - Every 2 s while the call has media: `detail.rtt` and `detail.jitter` (ms, undefined until
 *   measured), `detail.packetLoss` (fraction 0..1 over the interval), `detail.rFactor`, `detail.mos` (1..4.5, ITU-T
 *   G.107 E-model estimate), `detail.quality`, `detail.warnings`.
 * @fires sip-quality-warning - A warning started: `detail.warning` (`high-rtt` over 400 ms, `high-jitter` over 30 ms,
 *   `high-packet-loss` over 3%, `silent-microphone`: no sound from an unmuted microphone), held for two intervals;
 *   `detail.figures`.
 * @fires sip-quality-warning-cleared - The warning `detail.warning` no longer holds (two intervals); `detail.figures`.
 *
 * @slot identity - Replaces the remote party's name and address.
 * @slot actions - Extra controls after the built-in ones.
 *
 * @csspart base - The call's box.
 * @csspart identity - The remote party block.
 * @csspart remote-name - The remote display name.
 * @csspart remote-uri - The remote SIP address.
 * @csspart state - The call state line (an aria-live region).
 * @csspart duration - The call duration.
 * @csspart controls - The row of call controls.
 * @csspart button - Every control button.
 * @csspart answer-button - Answer with audio.
 * @csspart answer-video-button - Answer with video.
 * @csspart decline-button - Decline an incoming call.
 * @csspart hangup-button - Hang up (or cancel a call still ringing).
 * @csspart mute-button - Mute and unmute the microphone.
 * @csspart hold-button - Hold and resume.
 * @csspart video-button - Camera on and off during the call.
 * @csspart keypad-button - Shows the DTMF keypad.
 * @csspart transfer-button - Shows the transfer form.
 * @csspart keypad - The DTMF keypad.
 * @csspart transfer - The transfer form.
 * @csspart transfer-request - The question shown when the peer asks for a transfer (`transfer-policy="ask"`).
 * @csspart transfer-target - The requested transfer target, as text.
 * @csspart accept-transfer-button - Accepts the requested transfer.
 * @csspart decline-transfer-button - Declines the requested transfer.
 * @csspart quality - The line quality indicator (while connected): its `aria-label` names the quality and MOS.
 * @csspart mic-level - The microphone level meter (a `<meter>`, 0..1, while connected).
 * @csspart share-button - Shares the screen, and stops sharing (where the browser has getDisplayMedia).
 *
 * @cssprop --sip-call-background - Background of the call box.
 * @cssprop --sip-call-padding - Inner spacing of the call box.
 * @cssprop --sip-call-accent-color - Color of the state line.
 * @cssprop --sip-color-text - Text color.
 * @cssprop --sip-color-muted - Secondary text color.
 * @cssprop --sip-color-background - Background.
 * @cssprop --sip-color-surface - Background of buttons and fields.
 * @cssprop --sip-color-border - Borders.
 * @cssprop --sip-color-accent - Accent (primary buttons, state line).
 * @cssprop --sip-color-on-accent - Text on accent, success and danger buttons.
 * @cssprop --sip-color-success - Answer buttons.
 * @cssprop --sip-color-danger - Decline and hang-up buttons.
 * @cssprop --sip-color-focus - Focus ring.
 * @cssprop --sip-font-family - Font family.
 * @cssprop --sip-radius - Corner radius.
 */
export class SipCall extends LitElement {
  static override styles = sipCallStyles;

  // Declared statically, not by decorator: see SipPhoneSettings.properties.
  static override properties: PropertyDeclarations = {
    // Its own accessor (below): setting a call shows the call's state at once.
    call: { attribute: false, noAccessor: true },
    state: { reflect: true },
    theme: { reflect: true },
    transferPolicy: { attribute: 'transfer-policy' },
    microphone: { attribute: false },
    camera: { attribute: false },
    speaker: { attribute: false },
    quality: { reflect: true },
    panel: { state: true },
    transferTarget: { state: true },
    strings: { attribute: false },
  };

  #call: CallHandle | undefined;

  /**
   * The stack call this element shows and controls. Setting it sets `state` to the call's at
   * once, before the element is in the page: a `sip-incoming` listener reading
   * `event.detail.call.state` sees `incoming`, not the element's default.
   */
  get call(): CallHandle | undefined {
    return this.#call;
  }

  set call(call: CallHandle | undefined) {
    const old = this.#call;
    this.#call = call;
    const state = asCall(call)?.state;
    if (typeof state === 'string') this.state = state;
    this.requestUpdate('call', old);
  }

  /** The call state, reflected so that CSS can style each state; it follows the call. */
  declare state: CallState;

  /** `light` or `dark` forces a theme; unset follows `prefers-color-scheme`. */
  declare theme: 'light' | 'dark' | undefined;

  /** Who decides when the peer asks for a transfer (REFER): `ask` the user (default), `accept`, `decline`. */
  declare transferPolicy: TransferPolicy;

  /** Microphone device id used when answering ('' is the default device). */
  declare microphone: string;

  /** Camera device id used when answering with video ('' is the default device). */
  declare camera: string;

  /** Speaker (audio output) device id for the remote audio ('' is the default). */
  declare speaker: string;

  /** The line's quality while the call has media (read-only, reflected): `good`, `fair`, `poor`. */
  declare quality: CallQuality | undefined;
  /**
   * Replacements for any of the call's texts, by key (`{ hangup: 'End' }`); the others come from
   * the language's table. The keys and their English texts: `src/components/sip-call/call-strings.ts`.
   */
  declare strings: Partial<CallStrings> | undefined;

  declare private panel: Panel | undefined;
  declare private transferTarget: string;

  constructor() {
    super();
    this.state = 'calling';
    this.transferPolicy = 'ask';
    this.microphone = '';
    this.camera = '';
    this.speaker = '';
    this.transferTarget = '';
  }

  readonly #controller = new CallController(this);
  readonly #media = new CallMedia(this);
  readonly #t = new Localize<typeof callStrings>(this, 'call');
  /** What the controls and panels (call-controls.ts, transfer-panel.ts) need of the element. */
  readonly #ui: CallUi = {
    t: this.#t,
    run: (action, what) => void this.#run(action, what),
    panel: () => this.panel,
    togglePanel: (panel) => (this.panel = this.panel === panel ? undefined : panel),
  };

  /** The remote party: `uri` and `displayName` (remote text: never render it as HTML). */
  get remote(): { uri: string; displayName: string | undefined } | undefined {
    return this.call?.remote;
  }

  /** `outgoing` or `incoming`. */
  get direction(): 'outgoing' | 'incoming' | undefined {
    return this.call?.direction;
  }

  /** Whether our microphone is muted. */
  get muted(): boolean {
    return this.call?.muted('audio') ?? false;
  }

  /** Seconds since the call was connected (0 before). */
  get duration(): number {
    const started = this.#controller.connectedAt;
    return started === undefined ? 0 : Math.floor((this.#controller.now - started) / 1000);
  }

  /** Answers an incoming call; `{ video: true }` sends the camera too. */
  answer(options: AnswerOptions = {}): Promise<void> {
    const call = this.#require();
    return call.answer
      ? call.answer({
          audio: options.audio !== false && deviceChoice(this.microphone),
          video: !!options.video && deviceChoice(this.camera),
          auto: options.auto,
        })
      : Promise.reject(new Error('Only an incoming call can be answered'));
  }

  /** Declines an incoming call (603 Decline, or 486 Busy Here). */
  async decline(status: 486 | 603 = 603): Promise<void> {
    const call = this.#require();
    if (!call.decline) throw new Error('Only an incoming call can be declined');
    call.decline(status);
  }

  /** Ends the call: CANCEL while it rings, BYE once connected, decline while incoming. */
  hangup(): Promise<void> {
    return this.#require().hangup();
  }

  hold(): Promise<void> {
    return this.#require().hold();
  }

  unhold(): Promise<void> {
    return this.#require().unhold();
  }

  /** Mutes our outgoing audio (default) or video, without renegotiation. */
  mute(kind: MediaKind = 'audio'): void {
    this.#require().mute(kind);
    this.requestUpdate();
  }

  unmute(kind: MediaKind = 'audio'): void {
    this.#require().unmute(kind);
    this.requestUpdate();
  }

  /** Sends DTMF digits (0-9, A-D, *, #): RFC 4733 when negotiated, else SIP INFO. */
  sendDtmf(digits: string): Promise<void> {
    return this.#require().sendDtmf(digits);
  }

  /**
   * Transfers the peer (REFER), resolving when the peer accepts the REFER. A string is a blind
   * transfer to that address; another `<sip-call>` (connected) is an attended transfer: the peer
   * replaces that call with a call of its own (RFC 5589 §7, Replaces), and both calls end.
   */
  transfer(target: string | SipCall): Promise<void> {
    return this.#require().transfer(typeof target === 'string' ? target : target.#require());
  }

  /**
   * Sends `text` (text/plain) to the peer as a MESSAGE in this call (RFC 3428 §4). Resolves with the
   * 2xx's `{ status, reason }`; rejects with an error carrying the final `status` and `reason` otherwise.
   */
  async sendMessage(text: string): Promise<{ status: number; reason: string }> {
    const { status, reason } = await this.#require().sendMessage(text);
    return { status, reason };
  }

  /** Adds or removes our camera during the call (re-INVITE). */
  setVideo(enabled: boolean): Promise<void> {
    return this.#require().setVideo(enabled);
  }

  /**
   * Shares the screen (getDisplayMedia; the browser asks the user which): on a video call it
   * replaces the camera, with no renegotiation; on an audio call a re-INVITE adds a video stream
   * we send only. Ends with stopSharing(), or when the user stops it from the browser.
   */
  shareScreen(): Promise<void> {
    this.#require();
    return this.#media.shareScreen();
  }

  /** Stops sharing the screen: the camera comes back, or the video stream added for it stops (re-INVITE). */
  stopSharing(): Promise<void> {
    this.#require();
    return this.#media.stopSharing();
  }

  /** Whether this call is sharing the screen. */
  get sharingScreen(): boolean {
    return !!webRtcOf(this.call)?.sharingScreen;
  }

  /** The call's RTCStatsReport: quality displays, and tests that prove media flows. */
  getStats(): Promise<RTCStatsReport> {
    return this.#require().getStats() as Promise<RTCStatsReport>;
  }

  #require(): CallHandle {
    if (!this.call) throw new Error('This <sip-call> has no call: set its `call` property');
    return this.call;
  }

  /**
   * Runs a control from the UI: a failure becomes a sip-error (prefixed with `what`), never an exception in the page.
   */
  async #run(action: () => unknown, what: string): Promise<void> {
    try {
      await action();
    } catch (error) {
      emitError(this, error, what);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('call')) {
      if (this.call != null && !asCall(this.call)) {
        emitError(this, new Error(`call must be a call of the stack or of <sip-phone>, got ${typeof this.call}`));
        this.call = undefined;
      }
      this.#controller.bind(this.call);
    }
    if (!isLive(this.state)) this.panel = undefined;
    this.#media.follow(isLive(this.state));
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.toggleAttribute('muted', this.muted);
    const audio = this.renderRoot.querySelector('audio')!;
    attachStream(audio, callStreams(this.call).remoteStream);
    if (changed.has('speaker')) void setAudioOutput(audio, this.speaker);
    const live = isLive(this.state);
    // A device chosen during the call: its track replaces the one in use (no renegotiation).
    if (live && changed.has('microphone') && changed.get('microphone') !== undefined)
      this.#media.switchDevice('audio', this.microphone);
    if (live && changed.has('camera') && changed.get('camera') !== undefined)
      this.#media.switchDevice('video', this.camera);
  }

  override render() {
    const t = this.#t;
    const remote = this.call?.remote;
    const live = isLive(this.state);
    return html`<div part="base" lang=${t.lang} dir=${t.dir}>
      <div part="identity">
        <slot name="identity">
          <strong part="remote-name">${remote?.displayName || remote?.uri.replace(/^sips?:/, '') || t.text('noCall')}</strong>
          ${remote?.displayName ? html`<span part="remote-uri">${remote.uri}</span>` : nothing}
        </slot>
      </div>
      <div class="row">
        <span part="state" role="status">${t.text(stateKey(this.state, this.call, this.#controller.ended?.cause))}</span>
        ${live ? html`<time part="duration" datetime="PT${this.duration}S">${formatDuration(this.duration)}</time>` : nothing}
        ${live ? mediaIndicators(this.#media.figures, t) : nothing}
      </div>
      <div part="controls" class="row" role="group" aria-label=${t.text('controls')}>
        ${this.call ? callControls(this, this.call, live, this.#ui) : nothing}
        <slot name="actions"></slot>
      </div>
      ${transferPrompt(this.#controller.consent, t)}
      ${
        this.panel === 'keypad'
          ? dtmfKeypad(this, this.#ui)
          : this.panel === 'transfer'
            ? transferForm(
                this,
                this.#ui,
                () => this.transferTarget,
                (value) => (this.transferTarget = value),
              )
            : nothing
      }
      <audio></audio>
    </div>`;
  }
}
