import { html, nothing } from 'lit';
import type { CallHandle } from '../shared/call-handle';
import { dialPad, isDialKey } from '../shared/dial-pad';
import type { Localize } from '../i18n/localize';
import type { PlainKeys } from '../i18n/strings';
import type { callStrings } from './call-strings';
import type { SipCall } from './sip-call.component';

/** The panels a live call's controls open below them. */
export type Panel = 'keypad' | 'transfer';

/** What the controls need of the element besides its public methods. */
export interface CallUi {
  readonly t: Localize<typeof callStrings>;
  /**
   * Runs a control from the UI: a failure becomes a sip-error (prefixed with `what`), never an exception in the page.
   */
  run(action: () => unknown, what: string): void;
  /** The panel open now, if any. */
  panel(): Panel | undefined;
  /** Opens `panel`, or closes it when it is open. */
  togglePanel(panel: Panel): void;
}

const canShareScreen = (): boolean => typeof navigator.mediaDevices?.getDisplayMedia === 'function';

/**
 * A control button: part `button <name>-button`, labelled with the text `label` of the call's
 * table; `what` names it in a sip-error (English: the page's log, not the user's screen).
 */
function button(
  ui: CallUi,
  name: string,
  label: PlainKeys<typeof callStrings>,
  what: string,
  action: () => unknown,
  kind?: 'success' | 'danger',
  pressed?: boolean,
) {
  return html`<button part="button ${name}-button" class=${kind ?? nothing} aria-pressed=${pressed ?? nothing} @click=${() => ui.run(action, what)}>${ui.t.text(label)}</button>`;
}

/** A button that shows or hides a panel (the DTMF keypad, the transfer form). */
function panelButton(ui: CallUi, panel: Panel) {
  return html`<button
      part="button ${panel}-button"
      aria-expanded=${ui.panel() === panel}
      aria-controls=${panel}
      @click=${() => ui.togglePanel(panel)}
    >${ui.t.text(panel)}</button>`;
}

/**
 * The call's controls for its state: answer (with video when the call offers it) and decline while
 * it rings here; cancel while it is placed; mute, hold, camera, screen sharing, the keypad and
 * transfer panels, and hang up while it is live; none once it has ended.
 */
export function callControls(element: SipCall, call: CallHandle, live: boolean, ui: CallUi) {
  const state = element.state;
  if (state === 'ended') return nothing;
  if (state === 'incoming') {
    return [
      button(ui, 'answer', 'answer', 'Answer', () => element.answer(), 'success'),
      call.offersVideo === false
        ? nothing
        : button(
            ui,
            'answer-video',
            'answerVideo',
            'Answer with video',
            () => element.answer({ video: true }),
            'success',
          ),
      button(ui, 'decline', 'decline', 'Decline', () => element.decline(), 'danger'),
    ];
  }
  if (!live) return button(ui, 'hangup', 'cancel', 'Cancel', () => element.hangup(), 'danger');
  const muted = element.muted;
  const held = call.localHold;
  const video = !!call.media?.video;
  return [
    button(ui, 'mute', 'mute', 'Mute', () => (muted ? element.unmute() : element.mute()), undefined, muted),
    button(ui, 'hold', 'hold', 'Hold', () => (held ? element.unhold() : element.hold()), undefined, held),
    button(ui, 'video', 'video', 'Video', () => element.setVideo(!video), undefined, video),
    canShareScreen()
      ? button(
          ui,
          'share',
          'shareScreen',
          'Share screen',
          () => (element.sharingScreen ? element.stopSharing() : element.shareScreen()),
          undefined,
          element.sharingScreen,
        )
      : nothing,
    panelButton(ui, 'keypad'),
    panelButton(ui, 'transfer'),
    button(ui, 'hangup', 'hangup', 'Hang up', () => element.hangup(), 'danger'),
  ];
}

/** The DTMF keypad: a key pressed, clicked or typed (0-9, *, #, A-D) is sent at once. */
export function dtmfKeypad(element: SipCall, ui: CallUi) {
  const send = (key: string) => ui.run(() => element.sendDtmf(key), 'DTMF');
  return html`<div
      @keydown=${(event: KeyboardEvent) => {
        if (!isDialKey(event.key)) return;
        event.preventDefault();
        send(event.key);
      }}
    >
      ${dialPad(ui.t.text('dtmfKeypad'), { '*': ui.t.text('star'), '#': ui.t.text('pound') }, send)}
    </div>`;
}
