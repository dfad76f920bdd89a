/**
 * The digest algorithms of the IANA "Hash Algorithms for HTTP Digest Authentication" registry
 * (RFC 7616 §6.1) that SIP may use (RFC 8760 §2.1), on the hash functions of ./hashes (why not
 * WebCrypto or a library: see there).
 */
import { utf8Encode } from '../message/utf8';
import { md5, sha256, sha512_256 } from './hashes';

export type DigestAlgorithmName = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

export interface DigestAlgorithm {
  /** The registry spelling. */
  readonly name: DigestAlgorithmName;
  /** A "-sess" variant: H(A1) also covers nonce and cnonce (RFC 7616 §3.4.2). */
  readonly session: boolean;
  /** Higher is stronger; a "-sess" variant ranks with its hash. */
  readonly strength: number;
  /** H(data) as lower-case hex (RFC 7616 §3.4.1); strings are hashed as UTF-8 (§3.4, charset). */
  hex(data: string | Uint8Array): string;
}

/** Each hash with its "-sess" variant; strength is the rank (1 = MD5). */
const ALGORITHMS = new Map<string, DigestAlgorithm>();
for (const [strength, base, hash] of [
  [1, 'MD5', md5],
  [2, 'SHA-256', sha256],
  [3, 'SHA-512-256', sha512_256],
] as const) {
  for (const name of [base, `${base}-sess`] as const) {
    // A string is hashed as UTF-8 (RFC 7616 §3.4, charset).
    const hex = (data: string | Uint8Array) => hash(typeof data === 'string' ? utf8Encode(data) : data);
    ALGORITHMS.set(name.toLowerCase(), { name, session: name !== base, strength, hex });
  }
}

/**
 * The algorithm a challenge's `algorithm` parameter names, compared case-insensitively as servers
 * vary in spelling; an absent parameter means MD5 (RFC 7616 §3.3, RFC 3261 §20.44). Unknown names
 * give undefined: such a challenge is ignored, not answered (RFC 7616 §3.3).
 */
export function digestAlgorithm(name: string | undefined): DigestAlgorithm | undefined {
  return ALGORITHMS.get((name ?? 'MD5').toLowerCase());
}
