import { css } from 'lit';
import { themeStyles } from '../shared/theme.styles';

export const sipCallStyles = [
  themeStyles,
  css`
    [part='base'] {
      padding: var(--sip-call-padding, 0.75rem);
      background: var(--sip-call-background, var(--_bg));
    }
    [part='identity'] {
      display: grid;
    }
    [part='remote-name'] {
      font-size: 1.05rem;
      overflow-wrap: anywhere;
    }
    [part='remote-uri'],
    [part='duration'] {
      color: var(--_muted);
      font-size: 0.875rem;
      overflow-wrap: anywhere;
    }
    [part='state'] {
      font-weight: 600;
      color: var(--sip-call-accent-color, var(--_accent));
    }
    :host([state='ended']) [part='state'] {
      color: var(--_muted);
    }
    [part='duration'] {
      font-variant-numeric: tabular-nums;
    }
    [part='transfer'] input {
      flex: 1 1 8rem;
      min-width: 0;
    }
  `,
];
