import { css } from 'lit';
import { themeStyles } from '../shared/theme.styles';
import { sipPhoneLayoutStyles } from './sip-phone.layout.styles';

export const sipPhoneStyles = [
  themeStyles,
  css`
    :host {
      box-sizing: border-box;
    }
    [part='base'] {
      gap: 0.75rem;
      background: var(--sip-phone-background, var(--_bg));
      border-color: var(--sip-phone-border-color, var(--_border));
      border-radius: calc(var(--_radius) * 1.5);
      padding: var(--sip-phone-padding, 12px);
    }
    [part='header'] {
      display: grid;
    }
    [part='title'] {
      font-weight: 700;
      font-size: 1.1rem;
    }
    [part='aor'],
    .meta {
      color: var(--_muted);
      font-size: 0.875rem;
      overflow-wrap: anywhere;
    }
    [part='calls-unavailable'] {
      margin: 0;
      color: var(--_muted);
      font-size: 0.875rem;
    }
    [part='status'] {
      font-size: 0.875rem;
      flex: 1 1 10rem;
    }
    :host([registered]) [part='status']::before {
      content: '';
      display: inline-block;
      width: 0.6em;
      height: 0.6em;
      margin-inline-end: 0.4em;
      border-radius: 50%;
      background: var(--_success);
    }
    [part='dialer'],
    [part='calls'] {
      display: grid;
      gap: 0.5rem;
    }
    [part='dialer'] .row button {
      flex: 1;
    }
    [part='target'] {
      font-size: 1.1rem;
    }
    summary {
      cursor: pointer;
    }
    .devices {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0.5rem;
      align-items: center;
      margin-top: 0.5rem;
    }
    .devices select {
      min-width: 0;
    }
    .trace {
      list-style: none;
      margin: 0.5rem 0 0;
      padding: 0;
      max-height: var(--sip-phone-trace-height, 20rem);
      overflow: auto;
    }
    .trace pre {
      margin: 0.25rem 0 0.75rem;
      font-size: 0.75rem;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .sent .meta::before {
      content: '→ ';
    }
    .received .meta::before {
      content: '← ';
    }
    [part='missed-badge'] {
      display: inline-block;
      min-width: 1.3em;
      margin-inline-start: 0.4em;
      padding: 0 0.35em;
      border-radius: 1em;
      background: var(--_danger);
      color: var(--_on-accent);
      font-size: 0.8rem;
      text-align: center;
    }
    .history {
      list-style: none;
      margin: 0.5rem 0;
      padding: 0;
      display: grid;
      gap: 0.5rem;
      max-height: var(--sip-phone-history-height, 16rem);
      overflow: auto;
    }
    .history li {
      display: grid;
      grid-template-columns: 1fr auto;
      align-items: center;
      column-gap: 0.5rem;
    }
    .history button {
      grid-area: 1 / 2 / 3;
    }
    [part='history-party'] {
      overflow-wrap: anywhere;
    }
    [part~='missed-call'] [part='history-party'] {
      color: var(--_danger);
    }
  `,
  sipPhoneLayoutStyles,
];
