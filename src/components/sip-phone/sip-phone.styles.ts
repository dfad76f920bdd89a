import { css } from 'lit';

export const sipPhoneStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--sip-phone-font-family, system-ui, sans-serif);
    color: var(--sip-phone-text-color, #1d232a);
    background: var(--sip-phone-background, #ffffff);
    border: 1px solid var(--sip-phone-border-color, #c9d1d9);
    border-radius: var(--sip-phone-radius, 12px);
    padding: var(--sip-phone-padding, 12px);
    max-width: var(--sip-phone-max-width, 22rem);
  }
  :host([hidden]) {
    display: none;
  }
  [part='status'] {
    font-size: 0.875rem;
  }
`;
