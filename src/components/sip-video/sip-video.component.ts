import { LitElement, html } from 'lit';
import { sipVideoStyles } from './sip-video.styles';

/**
 * A call's remote video with the local preview in a picture-in-picture corner. Can be placed
 * anywhere in the page and bound to a call.
 *
 * @summary Remote video and local preview of a call.
 *
 * @csspart remote - The remote video.
 * @csspart local - The local preview.
 *
 * @cssprop --sip-video-background - Background behind the videos.
 * @cssprop --sip-video-aspect-ratio - Aspect ratio of the element.
 * @cssprop --sip-video-object-fit - How the remote video fills the element.
 * @cssprop --sip-video-preview-inset - Distance of the preview from the corner.
 * @cssprop --sip-video-preview-width - Width of the preview.
 * @cssprop --sip-video-preview-radius - Corner radius of the preview.
 */
export class SipVideo extends LitElement {
  static override styles = sipVideoStyles;

  override render() {
    return html`
      <video part="remote" autoplay playsinline aria-label="Remote video"></video>
      <video part="local" autoplay playsinline muted aria-label="Local preview"></video>
    `;
  }
}
