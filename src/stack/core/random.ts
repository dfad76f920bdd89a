/**
 * Randomness, injected: tags, branches, Call-IDs, cnonces, `.invalid` hosts (RFC 7118 App. B.1),
 * instance UUIDs (RFC 5626 §4.1) and backoff jitter all come from a Random, so tests can make them
 * repeatable with seededRandom(). The default draws on Web Crypto, present in browsers and Node.
 */

export interface Random {
  /** `length` characters drawn uniformly from `alphabet` (default: A-Z, a-z, 0-9). */
  token(length: number, alphabet?: string): string;
  /** A number drawn uniformly from [0, 1). */
  float(): number;
  /** `length` random bytes. */
  bytes(length: number): Uint8Array;
}

export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Builds a Random from a source of random bytes; the shared logic of the real and seeded ones. */
export function randomFromBytes(fill: (bytes: Uint8Array) => void): Random {
  const bytes = (length: number): Uint8Array => {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`invalid byte count ${length}`);
    const out = new Uint8Array(length);
    fill(out);
    return out;
  };
  return {
    bytes,
    float() {
      // 53 random bits: every double in [0, 1) that is a multiple of 2^-53, equally likely.
      const b = bytes(7);
      const high = ((b[0]! & 0x1f) << 16) | (b[1]! << 8) | b[2]!; // 21 bits
      const low = ((b[3]! << 24) | (b[4]! << 16) | (b[5]! << 8) | b[6]!) >>> 0; // 32 bits
      return (high * 2 ** 32 + low) / 2 ** 53;
    },
    token(length, alphabet = ALPHANUMERIC) {
      if (!Number.isInteger(length) || length < 0) throw new RangeError(`invalid token length ${length}`);
      if (alphabet.length < 2 || alphabet.length > 256) {
        throw new RangeError('a token alphabet needs 2 to 256 characters');
      }
      // Rejection sampling: bytes at or above the largest multiple of the alphabet size would
      // favour the first characters, so they are drawn again.
      const limit = 256 - (256 % alphabet.length);
      let out = '';
      while (out.length < length) {
        for (const byte of bytes(length - out.length + 8)) {
          if (byte < limit) out += alphabet[byte % alphabet.length];
          if (out.length === length) break;
        }
      }
      return out;
    },
  };
}

// crypto.getRandomValues() fills at most 65,536 bytes per call.
const CRYPTO_CHUNK = 65_536;

/** The default Random: Web Crypto (globalThis.crypto.getRandomValues), looked up when used. */
export const cryptoRandom: Random = randomFromBytes((out) => {
  const source = globalThis.crypto;
  if (typeof source?.getRandomValues !== 'function') {
    throw new Error('globalThis.crypto.getRandomValues is not available: inject a Random');
  }
  for (let offset = 0; offset < out.length; offset += CRYPTO_CHUNK) {
    source.getRandomValues(out.subarray(offset, offset + CRYPTO_CHUNK));
  }
});
