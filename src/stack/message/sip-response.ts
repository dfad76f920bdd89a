/** A SIP response (RFC 3261 §7.2): `SIP-Version SP Status-Code SP Reason-Phrase`. */
import { reasonPhrase } from './reason-phrases';
import { SipMessage } from './sip-message';

export class SipResponse extends SipMessage {
  readonly kind = 'response' as const;
  /** Status-Code, 100 to 699. */
  status: number;
  /** Reason-Phrase, free text (possibly empty or non-ASCII, RFC 4475 §3.1.1.12-13). */
  reason: string;

  /**
   * @param reason the Reason-Phrase; the RFC 3261 §21 phrase for the code by default.
   * @throws RangeError when `status` is not 100-699 or `reason` holds CR or LF.
   */
  constructor(status: number, reason: string = reasonPhrase(status)) {
    super();
    if (!(Number.isInteger(status) && status >= 100 && status <= 699))
      throw new RangeError(`invalid status code ${status}`);
    if (reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0)
      throw new RangeError('a reason phrase cannot hold CR or LF');
    this.status = status;
    this.reason = reason;
  }

  startLine(): string {
    return `${this.version} ${this.status} ${this.reason}`;
  }

  clone(): this {
    return this.copyInto(new SipResponse(this.status, this.reason)) as this;
  }
}
