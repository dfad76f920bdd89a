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
    [part='quality'] {
      display: inline-flex;
      align-items: end;
      gap: 2px;
      height: 0.9rem;
    }
    [part='quality'] i {
      width: 4px;
      background: var(--_muted);
      opacity: 0.35;
    }
    [part='quality'] i:nth-child(1) {
      height: 40%;
    }
    [part='quality'] i:nth-child(2) {
      height: 70%;
    }
    [part='quality'] i:nth-child(3) {
      height: 100%;
    }
    [part='quality'].poor i:nth-child(1),
    [part='quality'].fair i:nth-child(-n + 2),
    [part='quality'].good i {
      opacity: 1;
    }
    [part='quality'].poor i {
      background: var(--_danger);
    }
    [part='quality'].fair i {
      background: var(--_accent);
    }
    [part='quality'].good i {
      background: var(--_success);
    }
    [part='mic-level'] {
      width: 4rem;
      height: 0.5rem;
    }
  `,
];
