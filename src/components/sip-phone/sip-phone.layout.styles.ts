import { css } from 'lit';

/**
 * The phone as a widget: a phone-sized box whatever the page's width (at most
 * `--sip-phone-max-width`), laid out by its own width through a container query rather than by the
 * viewport's, so a phone in a narrow column of a wide page gets the narrow layout too. Flow-relative
 * properties only (inline-start, not left), so a right-to-left language mirrors it.
 */
export const sipPhoneLayoutStyles = css`
  :host {
    container: sip-phone / inline-size;
    inline-size: 100%;
    max-inline-size: var(--sip-phone-max-width, 22rem);
  }
  @container sip-phone (max-width: 20rem) {
    [part='base'] {
      gap: 0.5rem;
      padding: var(--sip-phone-padding, 8px);
    }
    .call-buttons {
      flex-direction: column;
      align-items: stretch;
    }
    [part~='register-button'] {
      inline-size: 100%;
    }
    .keys {
      gap: 0.25rem;
    }
    .devices {
      grid-template-columns: 1fr;
    }
  }
`;
