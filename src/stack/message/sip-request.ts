/** A SIP request (RFC 3261 §7.1): `Method SP Request-URI SP SIP-Version`. */
import { TOKEN, isAll, excerpt } from './chars';
import { SipMessage } from './sip-message';
import { parseUri } from './uri';
import type { Uri } from './uri';

export class SipRequest extends SipMessage {
  readonly kind = 'request' as const;
  /** The method, case-sensitive (RFC 3261 §7.1): `INVITE`, `REGISTER`, ... */
  method: string;
  /** The Request-URI. */
  uri: Uri;

  /**
   * @param uri a URI, or its text (parsed, so a malformed one throws SipParseError).
   * @throws RangeError when `method` is not a token.
   */
  constructor(method: string, uri: Uri | string) {
    super();
    if (!isAll(method, TOKEN)) throw new RangeError(`invalid method ${excerpt(method)}`);
    this.method = method;
    this.uri = typeof uri === 'string' ? parseUri(uri) : uri;
  }

  startLine(): string {
    return `${this.method} ${this.uri} ${this.version}`;
  }

  /**
   * The option tags of Require that are not in `supported`: a UAS answers 420 Bad Extension
   * listing them in Unsupported when there is any (RFC 3261 §8.2.2.3). CANCEL and ACK are exempt.
   */
  unsupportedExtensions(supported: Iterable<string>): string[] {
    if (this.method === 'CANCEL' || this.method === 'ACK') return [];
    const known = new Set(supported);
    return this.headers('Require').filter((tag) => !known.has(tag));
  }

  clone(): this {
    return this.copyInto(new SipRequest(this.method, this.uri)) as this;
  }
}
