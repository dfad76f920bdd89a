import '../sip-call/sip-call';
import { SipPhone } from './sip-phone.component';

export { SipPhone };

if (!customElements.get('sip-phone')) customElements.define('sip-phone', SipPhone);

declare global {
  interface HTMLElementTagNameMap {
    'sip-phone': SipPhone;
  }
}
