import { html, nothing } from 'lit';
import { formatParts } from '../i18n/strings';
import type { CallUi } from './call-controls';
import type { TransferConsent } from './transfer-consent';
import type { SipCall } from './sip-call.component';

/**
 * The transfer form (the `transfer` panel): the user types where the peer should go and the call
 * transfers it there (blind, REFER). The field's text is `target()`, kept by the element across
 * renders; `setTarget` follows each keystroke.
 */
export function transferForm(element: SipCall, ui: CallUi, target: () => string, setTarget: (value: string) => void) {
  return html`<form
      part="transfer"
      id="transfer"
      class="row"
      @submit=${(event: SubmitEvent) => {
        event.preventDefault();
        const to = target().trim();
        if (to) ui.run(() => element.transfer(to), 'Transfer');
      }}
    >
      <label for="transfer-target">${ui.t.text('transferTo')}</label>
      <input
        id="transfer-target"
        name="target"
        autocomplete="off"
        required
        .value=${target()}
        @input=${(event: InputEvent) => setTarget((event.target as HTMLInputElement).value)}
      />
      <button part="button" class="accent" type="submit">${ui.t.text('transfer')}</button>
    </form>`;
}

/**
 * The peer's transfer request (`transfer-policy="ask"`): the target as text only (remote text,
 * never markup) in its own part, in a live region so that a screen reader says it, and two
 * buttons named for what they do. Real buttons: reachable by Tab and operated by Enter or Space.
 */
export function transferPrompt(consent: TransferConsent, t: CallUi['t']) {
  const pending = consent.pending;
  if (!pending) return nothing;
  const target = html`<span part="transfer-target" dir="auto">${pending.target}</span>`;
  return html`<div part="transfer-request" class="row" role="group" aria-labelledby="transfer-request-text">
      <span id="transfer-request-text" role="status">${formatParts(t.template('transferRequested'), { target })}</span>
      <button part="button accept-transfer-button" class="success" aria-label=${t.text('acceptTransfer', { target: pending.target })} @click=${pending.accept}>${t.text('accept')}</button>
      <button part="button decline-transfer-button" class="danger" aria-label=${t.text('declineTransfer')} @click=${pending.decline}>${t.text('decline')}</button>
    </div>`;
}
