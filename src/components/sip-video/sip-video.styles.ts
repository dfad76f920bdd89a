import { css } from 'lit';
import { themeStyles } from '../shared/theme.styles';

export const sipVideoStyles = [
  themeStyles,
  css`
    :host {
      position: relative;
      overflow: hidden;
      background: var(--sip-video-background, #000);
      aspect-ratio: var(--sip-video-aspect-ratio, 16 / 9);
      border-radius: var(--_radius);
    }
    [hidden] {
      display: none !important;
    }
    [part='remote'] {
      display: block;
      width: 100%;
      height: 100%;
      object-fit: var(--sip-video-object-fit, cover);
    }
    [part='placeholder'] {
      display: grid;
      place-items: center;
      height: 100%;
      color: var(--sip-video-placeholder-color, #e6edf3);
    }
    [part='local'] {
      position: absolute;
      inset-inline-end: var(--sip-video-preview-inset, 8px);
      inset-block-end: var(--sip-video-preview-inset, 8px);
      width: var(--sip-video-preview-width, 28%);
      height: auto;
      border-radius: var(--sip-video-preview-radius, 6px);
      box-shadow: 0 0 0 1px rgb(255 255 255 / 40%);
    }
  `,
];
