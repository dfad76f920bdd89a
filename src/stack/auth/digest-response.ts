/**
 * The request-digest of RFC 7616 §3.4.1–§3.4.3 (RFC 2617 §3.2.2.1 for the qop-less form),
 * a pure function so that both the client here and a test or dev server can compute it.
 */
import type { DigestAlgorithm } from './digest-algorithm';

export type DigestQop = 'auth' | 'auth-int';

export interface DigestResponseInput {
  readonly algorithm: DigestAlgorithm;
  /** The real username, also when the credentials carry its userhash (RFC 7616 §3.4.4). */
  readonly username: string;
  readonly realm: string;
  readonly password: string;
  readonly nonce: string;
  /** The method of the request (RFC 3261 §22.4: A2 uses it, also for ACK and CANCEL). */
  readonly method: string;
  /** The digest-uri: the Request-URI as sent (RFC 3261 §22.4). */
  readonly uri: string;
  /** Absent for the RFC 2069 form, which has no nc or cnonce. */
  readonly qop?: DigestQop;
  /** nc as sent: 8 hex digits (RFC 7616 §3.4). Required with qop. */
  readonly nc?: string;
  /** Required with qop or a "-sess" algorithm. */
  readonly cnonce?: string;
  /** The message body for auth-int; strings are taken as UTF-8 octets, absent means empty. */
  readonly body?: string | Uint8Array;
}

/** The `response` parameter value: lower-case hex of the algorithm's length. */
export function computeDigestResponse(input: DigestResponseInput): string {
  const { algorithm: H, qop } = input;
  const ha1 = hashA1(input);
  // RFC 7616 §3.4.3: auth-int adds H(entity-body); SIP's body is the message body (RFC 3261 §22.4).
  const a2 =
    qop === 'auth-int' ? `${input.method}:${input.uri}:${H.hex(input.body ?? '')}` : `${input.method}:${input.uri}`;
  const ha2 = H.hex(a2);
  if (qop === undefined) return H.hex(`${ha1}:${input.nonce}:${ha2}`);
  return H.hex(`${ha1}:${input.nonce}:${needed(input.nc, 'nc')}:${needed(input.cnonce, 'cnonce')}:${qop}:${ha2}`);
}

/** RFC 7616 §3.4.2: for "-sess", A1 also binds the server and client nonces. */
function hashA1(input: DigestResponseInput): string {
  const H = input.algorithm;
  const secret = H.hex(`${input.username}:${input.realm}:${input.password}`);
  if (!H.session) return secret;
  return H.hex(`${secret}:${input.nonce}:${needed(input.cnonce, 'cnonce')}`);
}

function needed(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`digest ${name} is required for this qop or algorithm`);
  return value;
}
