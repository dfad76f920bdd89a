import { css } from 'lit';
import { themeStyles } from '../shared/theme.styles';

export const sipPresenceStyles = [
  themeStyles,
  css`
    :host {
      display: inline-block;
    }
    [part='button'] {
      display: inline-flex;
      align-items: center;
      gap: 0.5em;
    }
    [part='lamp'] {
      display: inline-block;
      flex: none;
      width: var(--sip-presence-lamp-size, 0.75em);
      height: var(--sip-presence-lamp-size, 0.75em);
      border-radius: 50%;
      background: var(--sip-presence-unknown-color, var(--_muted));
    }
    :host([state='idle']) [part='lamp'],
    :host([state='available']) [part='lamp'] {
      background: var(--sip-presence-idle-color, var(--_success));
    }
    :host([state='ringing']) [part='lamp'],
    :host([state='away']) [part='lamp'] {
      background: var(--sip-presence-ringing-color, #b35900);
    }
    :host([state='ringing']) [part='lamp'] {
      animation: blink 1s steps(2, start) infinite;
    }
    :host([state='busy']) [part='lamp'] {
      background: var(--sip-presence-busy-color, var(--_danger));
    }
    [part='state'],
    [part='note'] {
      color: var(--_muted);
      font-size: 0.875em;
    }
    @keyframes blink {
      to {
        visibility: hidden;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      :host([state='ringing']) [part='lamp'] {
        animation: none;
      }
    }
  `,
];
