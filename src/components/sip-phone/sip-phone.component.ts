import { LitElement, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { emit } from '../shared/events';
import { parseIceServers } from './ice-servers';
import { sipPhoneStyles } from './sip-phone.styles';

/**
 * A SIP phone: one user agent and its WebSocket connection, registration, and the calls it places
 * and receives. Configuration comes from attributes; the password is a property only, so it never
 * appears in markup, URLs or logs.
 *
 * @summary A complete SIP softphone in one tag.
 *
 * @attr server - The SIP-over-WebSocket server, a ws:// or wss:// URL.
 * @attr user - The user part of the address of record.
 * @attr domain - The SIP domain of the address of record.
 * @attr display-name - The display name sent in From.
 * @attr auth-user - The digest user name when it differs from `user`.
 * @attr register - Register on connect.
 * @attr ice-servers - JSON array of RTCIceServer objects.
 *
 * @csspart status - The connection and registration status line.
 *
 * @fires sip-error - A configuration or runtime error; `detail.error.message` is readable.
 *
 * @cssprop --sip-phone-font-family - Font family of the phone.
 * @cssprop --sip-phone-text-color - Text color.
 * @cssprop --sip-phone-background - Background of the phone.
 * @cssprop --sip-phone-border-color - Border color.
 * @cssprop --sip-phone-radius - Corner radius.
 * @cssprop --sip-phone-padding - Inner spacing.
 * @cssprop --sip-phone-max-width - Maximum width.
 */
export class SipPhone extends LitElement {
  static override styles = sipPhoneStyles;

  /** The SIP-over-WebSocket server, a ws:// or wss:// URL. */
  @property() server = '';

  /** The user part of the address of record. */
  @property() user = '';

  /** The SIP domain of the address of record. */
  @property() domain = '';

  /** The display name sent in From. */
  @property({ attribute: 'display-name' }) displayName = '';

  /** The digest user name when it differs from `user`. */
  @property({ attribute: 'auth-user' }) authUser = '';

  /**
   * Register on connect (the `register` attribute; the property has another name because
   * `register()` is the method that registers now).
   */
  @property({ type: Boolean, attribute: 'register' }) autoRegister = false;

  /** JSON array of RTCIceServer objects, as written in the `ice-servers` attribute. */
  @property({ attribute: 'ice-servers' }) iceServersJson = '';

  /** The ICE servers in use, parsed from `ice-servers`; empty when the attribute is absent or invalid. */
  iceServers: RTCIceServer[] = [];

  /** The digest password. A property only: never an attribute. */
  @property({ attribute: false }) password = '';

  /** The address of record, `sip:user@domain`, or empty while unconfigured. */
  get aor(): string {
    return this.user && this.domain ? `sip:${this.user}@${this.domain}` : '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('iceServersJson')) {
      const parsed = parseIceServers(this.iceServersJson);
      this.iceServers = parsed.servers;
      if (parsed.error) emit(this, 'sip-error', { error: parsed.error });
    }
  }

  override render() {
    return html`<div part="status" role="status">${this.aor || 'Not configured'}</div>`;
  }
}
