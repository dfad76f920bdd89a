import { css } from 'lit';

export const sipVideoStyles = css`
  :host {
    display: block;
    position: relative;
    background: var(--sip-video-background, #000000);
    aspect-ratio: var(--sip-video-aspect-ratio, 16 / 9);
  }
  :host([hidden]) {
    display: none;
  }
  video {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: var(--sip-video-object-fit, cover);
  }
  [part='local'] {
    position: absolute;
    right: var(--sip-video-preview-inset, 8px);
    bottom: var(--sip-video-preview-inset, 8px);
    width: var(--sip-video-preview-width, 28%);
    height: auto;
    border-radius: var(--sip-video-preview-radius, 6px);
  }
`;
