import { html } from 'lit';
import { dialPad } from '../shared/dial-pad';
import type { Localize } from '../i18n/localize';
import type { CallAvailability } from './call-availability';
import type { phoneStrings } from './phone-strings';

type Texts = Localize<typeof phoneStrings>;

/**
 * The dial form: the number or address field (`target`, which holds its own value: the user types
 * in it, the dial pad adds to it), the dial pad, and the call and video call buttons, disabled
 * (`noCalls`) while the phone is not connected or calls cannot work on this page, with the note
 * that says why. `dial(video)` places the call of the field.
 */
export function phoneDialer(
  t: Texts,
  noCalls: boolean,
  availability: CallAvailability,
  dial: (video: boolean) => void,
  input: () => HTMLInputElement,
) {
  return html`<form
        part="dialer"
        @submit=${(event: SubmitEvent) => {
          event.preventDefault();
          dial(false);
        }}
      >
        <label for="target">${t.text('target')}</label>
        <input id="target" part="target" name="target" autocomplete="off" inputmode="tel" dir="auto" />
        ${dialPad(t.text('dialPad'), { '*': t.text('star'), '#': t.text('pound') }, (key) => (input().value += key))}
        <div class="row call-buttons">
          <button part="button call-button" class="accent" type="submit" ?disabled=${noCalls} aria-describedby=${availability.describedBy}>${t.text('call')}</button>
          <button part="button video-call-button" type="button" ?disabled=${noCalls} aria-describedby=${availability.describedBy} @click=${() => dial(true)}>${t.text('videoCall')}</button>
        </div>
        ${availability.note((reason) => t.text(reason.code === 'insecure-context' ? 'insecureContext' : 'noWebRtc', { missing: new Intl.ListFormat(t.lang, { type: 'conjunction' }).format(reason.missing) }))}
      </form>`;
}
