import { css } from 'lit';
import { themeStyles } from '../shared/theme.styles';
import { sipPhoneLayoutStyles } from './sip-phone.layout.styles';

// Compact, one rule per line (see theme.styles.ts).
export const sipPhoneStyles = [
  themeStyles,
  css`
:host{box-sizing:border-box}
[part=base]{gap:.75rem;background:var(--sip-phone-background,var(--_bg));border-color:var(--sip-phone-border-color,var(--_border));border-radius:calc(var(--_radius)*1.5);padding:var(--sip-phone-padding,12px)}
[part=header]{display:grid}
[part=title]{font-weight:700;font-size:1.1rem}
[part=aor],.meta{color:var(--_muted);font-size:.875rem;overflow-wrap:anywhere}
[part=calls-unavailable]{margin:0;color:var(--_muted);font-size:.875rem}
[part=status]{font-size:.875rem;flex:1 1 10rem}
:host([registered]) [part=status]::before{content:'';display:inline-block;width:.6em;height:.6em;margin-inline-end:.4em;border-radius:50%;background:var(--_success)}
[part=dialer],[part=calls]{display:grid;gap:.5rem}
[part=dialer] .row button{flex:1}
[part=target]{font-size:1.1rem}
summary{cursor:pointer}
.devices{display:grid;grid-template-columns:auto 1fr;gap:.5rem;align-items:center;margin-top:.5rem}
.devices select{min-width:0}
.trace{list-style:none;margin:.5rem 0 0;padding:0;max-height:var(--sip-phone-trace-height,20rem);overflow:auto}
.trace pre{margin:.25rem 0 .75rem;font-size:.75rem;white-space:pre-wrap;overflow-wrap:anywhere}
.sent .meta::before{content:'→ '}
.received .meta::before{content:'← '}
`,
  sipPhoneLayoutStyles,
];
