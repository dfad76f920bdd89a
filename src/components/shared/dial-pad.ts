import { html } from 'lit';

const KEYS = [...'123456789*0#'];

/** Whether a key press is a dial-pad key (digits, star, pound). */
export function isDialKey(key: string): boolean {
  return KEYS.includes(key);
}

/**
 * The twelve-key pad of the phone's dial field and of a call's DTMF keypad; `names` are what a
 * screen reader says for star and pound, in the element's language. Its digits stay left to right
 * in a right-to-left language, as on a phone (`dir="ltr"`).
 */
export function dialPad(label: string, names: { '*': string; '#': string }, press: (key: string) => void) {
  return html`<div class="keys" part="keypad" role="group" aria-label=${label} id="keypad" dir="ltr">
    ${KEYS.map((key) => html`<button type="button" aria-label=${key === '*' || key === '#' ? names[key] : key} @click=${() => press(key)}>${key}</button>`)}
  </div>`;
}
