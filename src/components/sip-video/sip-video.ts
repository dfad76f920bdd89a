import { SipVideo } from './sip-video.component';

export { SipVideo };

if (!customElements.get('sip-video')) customElements.define('sip-video', SipVideo);

declare global {
  interface HTMLElementTagNameMap {
    'sip-video': SipVideo;
  }
}
