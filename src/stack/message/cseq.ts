/** The CSeq header field (RFC 3261 §20.16): `CSeq = 1*DIGIT LWS Method`. Immutable. */
import { TOKEN, isAll, isDigit, parseDigits, excerpt } from './chars';
import { Scanner } from './scanner';
import { fail } from './sip-parse-error';

/** RFC 3261 §8.1.1.5: the sequence number MUST be expressible as a 32-bit unsigned integer. */
const MAX_SEQ = 0xffffffff;

export class CSeq {
  readonly seq: number;
  readonly method: string;
  #text: string | undefined;

  /**
   * @param source the exact text this value was parsed from (used by the parser only).
   * @throws RangeError when `seq` is not a 32-bit unsigned integer or `method` not a token.
   */
  constructor(seq: number, method: string, source?: string) {
    this.seq = seq;
    this.method = method;
    this.#text = source;
    if (source !== undefined) return;
    if (!(Number.isInteger(seq) && seq >= 0 && seq <= MAX_SEQ)) throw new RangeError(`invalid CSeq number ${seq}`);
    if (!isAll(method, TOKEN)) throw new RangeError(`invalid CSeq method ${excerpt(method)}`);
  }

  toString(): string {
    return (this.#text ??= `${this.seq} ${this.method}`);
  }
}

/** Parses a CSeq value. @throws SipParseError naming the problem. */
export function parseCSeq(value: string, start = 0, end = value.length): CSeq {
  const sc = new Scanner(value, start, end);
  while (sc.i < sc.end && isDigit(value.charCodeAt(sc.i))) sc.i++;
  const seq = parseDigits(value, start, sc.i, 10);
  if (sc.i === start) fail('missing sequence number');
  if (seq < 0 || seq > MAX_SEQ) fail(`sequence number ${value.slice(start, sc.i)} is larger than 2**32-1`);
  const digitsEnd = sc.i;
  sc.wsp();
  if (sc.i === digitsEnd) fail(sc.done ? 'missing method' : `unexpected ${sc.describe()} after the sequence number`);
  const method = sc.token('method');
  const methodEnd = sc.i;
  sc.expectEnd(false);
  return new CSeq(seq, method, value.slice(start, methodEnd));
}
