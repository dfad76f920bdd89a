import { html } from 'lit';

const KEYS = [...'123456789*0#'];
const NAMES: Record<string, string> = { '*': 'star', '#': 'pound' };

/** Whether a key press is a dial-pad key (digits, star, pound). */
export function isDialKey(key: string): boolean {
  return KEYS.includes(key);
}

/** The twelve-key pad of the phone's dial field and of a call's DTMF keypad. */
export function dialPad(label: string, press: (key: string) => void) {
  return html`<div class="keys" part="keypad" role="group" aria-label=${label} id="keypad">
    ${KEYS.map((key) => html`<button type="button" aria-label=${NAMES[key] ?? key} @click=${() => press(key)}>${key}</button>`)}
  </div>`;
}
