import { LitElement, html } from 'lit';
import { property } from 'lit/decorators.js';
import type { CallState } from '../shared/events';
import { sipCallStyles } from './sip-call.styles';

/**
 * One call: its state and its controls. Created by `<sip-phone>` for every call, or used by itself
 * and attached to a phone by property.
 *
 * @summary One SIP call's state and controls.
 *
 * @attr state - The call state, reflected for CSS: calling, ringing, incoming, early, connected, held, ended.
 *
 * @csspart state - The call state label.
 *
 * @cssprop --sip-call-font-family - Font family of the call.
 * @cssprop --sip-call-text-color - Text color.
 * @cssprop --sip-call-accent-color - Color of the state label.
 */
export class SipCall extends LitElement {
  static override styles = sipCallStyles;

  /** The call state, reflected so that CSS can style each state. */
  @property({ reflect: true }) state: CallState = 'calling';

  override render() {
    return html`<span part="state" role="status" aria-live="polite">${this.state}</span>`;
  }
}
