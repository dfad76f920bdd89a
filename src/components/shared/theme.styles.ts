import { css } from 'lit';

// The dark palette, spliced into the two rules that choose it.
const dark = css`
  --_text: var(--sip-color-text, #e6edf3);
  --_muted: var(--sip-color-muted, #9da7b3);
  --_bg: var(--sip-color-background, #0d1117);
  --_surface: var(--sip-color-surface, #161b22);
  --_border: var(--sip-color-border, #6e7681);
  --_accent: var(--sip-color-accent, #4493f8);
  --_on-accent: var(--sip-color-on-accent, #0d1117);
  --_danger: var(--sip-color-danger, #f85149);
  --_success: var(--sip-color-success, #3fb950);
  --_focus: var(--sip-color-focus, #4493f8);
  color-scheme: dark;
`;

/**
 * The shared theme: every color comes from a `--sip-color-*` custom property with a light default,
 * a dark default under `prefers-color-scheme: dark`, and `theme="light|dark"` to force one. The
 * defaults keep WCAG AA contrast (4.5:1) for every text and button pairing. Buttons with a `class`
 * (accent, success, danger) are filled with that color (`--_fill`).
 */
export const themeStyles = css`
  :host {
    --_text: var(--sip-color-text, #1d232a);
    --_muted: var(--sip-color-muted, #57606a);
    --_bg: var(--sip-color-background, #fff);
    --_surface: var(--sip-color-surface, #f3f5f7);
    --_border: var(--sip-color-border, #8c959f);
    --_accent: var(--sip-color-accent, #0b6bcb);
    --_on-accent: var(--sip-color-on-accent, #fff);
    --_danger: var(--sip-color-danger, #c62828);
    --_success: var(--sip-color-success, #1a7f37);
    --_focus: var(--sip-color-focus, #0b6bcb);
    --_radius: var(--sip-radius, 8px);
    color-scheme: light;
    font-family: var(--sip-font-family, system-ui, sans-serif);
    display: block;
    color: var(--_text);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([theme='dark']) {
    ${dark}
  }
  :host([hidden]) {
    display: none;
  }
  button,
  input,
  select {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.4em 0.75em;
  }
  button {
    cursor: pointer;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  button[aria-pressed='true'] {
    background: var(--_text);
    color: var(--_bg);
  }
  .accent {
    --_fill: var(--_accent);
  }
  .success {
    --_fill: var(--_success);
  }
  .danger {
    --_fill: var(--_danger);
  }
  button[class] {
    background: var(--_fill);
    border-color: var(--_fill);
    color: var(--_on-accent);
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .keys {
    display: grid;
    grid-template-columns: repeat(3, 1fr);
    gap: 0.375rem;
  }
  .keys button {
    font-size: 1.125rem;
    padding: 0.35em 0;
  }
  [part='base'] {
    display: grid;
    gap: 0.5rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
`;
