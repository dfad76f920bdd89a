import { SipCall } from './sip-call.component';

export { SipCall };

if (!customElements.get('sip-call')) customElements.define('sip-call', SipCall);

declare global {
  interface HTMLElementTagNameMap {
    'sip-call': SipCall;
  }
}
