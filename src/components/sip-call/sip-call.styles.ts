import { css } from 'lit';

export const sipCallStyles = css`
  :host {
    display: block;
    font-family: var(--sip-call-font-family, system-ui, sans-serif);
    color: var(--sip-call-text-color, #1d232a);
  }
  :host([hidden]) {
    display: none;
  }
  [part='state'] {
    font-weight: 600;
    color: var(--sip-call-accent-color, #0b6bcb);
  }
`;
