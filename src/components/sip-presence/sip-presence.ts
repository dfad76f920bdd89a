import { SipPresence } from './sip-presence.component';

export { SipPresence };

if (!customElements.get('sip-presence')) customElements.define('sip-presence', SipPresence);

declare global {
  interface HTMLElementTagNameMap {
    'sip-presence': SipPresence;
  }
}
