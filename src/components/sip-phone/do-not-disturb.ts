import { html } from 'lit';
import type { CallHandle } from '../shared/call-handle';
import type { Localize } from '../i18n/localize';
import type { phoneStrings } from './phone-strings';

/**
 * Do-not-disturb: with `dnd` on, the phone declines each incoming call at once with 486 Busy Here
 * (RFC 3261 §21.4.7: "the callee's end system was contacted successfully, but the callee is
 * currently not willing or able to take additional calls at this end system"), before it rings:
 * the caller hears busy, nothing rings here. The page still gets `sip-incoming`, not cancelable,
 * with `declined: 'dnd'`; the history records the call as missed.
 *
 * Returns what `sip-incoming`'s `declined` says: 'dnd' once declined, undefined when dnd is off.
 */
export function declineForDnd(dnd: boolean, call: CallHandle): 'dnd' | undefined {
  if (!dnd || call.state !== 'incoming') return undefined;
  call.decline?.(486);
  return 'dnd';
}

/** The do-not-disturb switch (a toggle button, `aria-pressed`), labelled in the phone's language. */
export function dndButton(host: { dnd: boolean }, t: Localize<typeof phoneStrings>) {
  return html`<button part="button dnd-button" type="button" aria-pressed=${host.dnd ? 'true' : 'false'} @click=${() => (host.dnd = !host.dnd)}>
    ${t.text('dnd')}
  </button>`;
}
