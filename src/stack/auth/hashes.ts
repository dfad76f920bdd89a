/**
 * The three hash functions of SIP digest authentication (RFC 7616 §6.1, RFC 8760 §2.1): MD5
 * (RFC 1321), SHA-256 and SHA-512/256 (FIPS 180-4), written for size, not speed: a digest hashes
 * a few short strings per request.
 *
 * Why not a library: WebCrypto has neither MD5 nor SHA-512/256, is asynchronous (the digest API is
 * synchronous) and exists only in secure contexts; @noble/hashes, the well-kept choice, costs
 * 11.7 KB minified (4.9 KB gzip) for these three, most of it SHA-512 on 32-bit halves, a sixth of
 * the whole widget's 30 KB budget. Here SHA-256 and SHA-512 are one BigInt routine, their
 * constants computed from the primes as FIPS 180-4 §4.2.2/§4.2.3/§5.3 define them. The tests
 * check the FIPS and RFC 1321 vectors, the RFC 7616 §3.9 examples and random inputs against
 * node:crypto.
 */
import { toHex } from '../core/hex';

/** A hash function giving its digest as lower-case hex, as digest authentication uses it (RFC 7616 §3.4.1). */
export type HashFunction = (data: Uint8Array) => string;

/**
 * Merkle–Damgård padding (RFC 1321 §3.1–3.2, FIPS 180-4 §5.1): a 1 bit, zeros, then the bit length
 * in the last 8 bytes (a 64-bit count; SHA-512's 128-bit field has its high half zero for any
 * input a page can hold).
 */
function pad(data: Uint8Array, block: number, littleEndian: boolean): DataView {
  const size = Math.ceil((data.length + 1 + block / 8) / block) * block;
  const bytes = new Uint8Array(size);
  bytes.set(data);
  bytes[data.length] = 0x80;
  const view = new DataView(bytes.buffer);
  const bits = data.length * 8;
  view.setUint32(size - (littleEndian ? 8 : 4), bits >>> 0, littleEndian);
  view.setUint32(size - (littleEndian ? 4 : 8), bits / 2 ** 32, littleEndian);
  return view;
}

/**
 * RFC 1321 §3.4: T[i] = floor(2^32 * abs(sin(i))), i = 1..64. Math.sin is only "approximated" by
 * the spec, but every 2^32·|sin(i)| here lies at least 0.015 from an integer, some 60,000 ulps, so
 * any engine's sine floors to the RFC's table (the tests check it against node:crypto).
 */
const MD5_T = Array.from({ length: 64 }, (_, i) => Math.floor(2 ** 32 * Math.abs(Math.sin(i + 1))));
/** RFC 1321 §3.4: the shift amounts of the four rounds. */
const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/** MD5, RFC 1321 §3. */
export const md5: HashFunction = (data) => {
  const view = pad(data, 64, true);
  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  for (let offset = 0; offset < view.byteLength; offset += 64) {
    let [a, b, c, d] = state as [number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const round = i >> 4;
      // Rounds 1-4: F, G, H, I and the word order of §3.4.
      const f = [(b & c) | (~b & d), (d & b) | (~d & c), b ^ c ^ d, c ^ (b | ~d)][round]!;
      const k = [i, 5 * i + 1, 3 * i + 5, 7 * i][round]! % 16;
      const sum = (a + f + MD5_T[i]! + view.getUint32(offset + 4 * k, true)) | 0;
      const shift = MD5_S[4 * round + (i % 4)]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
    }
    [a, b, c, d].forEach((word, i) => (state[i] = (state[i]! + word) | 0));
  }
  const out = new DataView(new ArrayBuffer(16));
  state.forEach((word, i) => out.setUint32(4 * i, word, true));
  return toHex(new Uint8Array(out.buffer));
};

/**
 * The first 64 bits of the fractional parts of the `n`-th roots of the first `count` primes:
 * floor(root(prime * 2^(64n))), found bit by bit from the top (the integer part is below 2^4).
 */
function rootFractions(count: number, n: bigint): bigint[] {
  const primes: bigint[] = [];
  for (let candidate = 2n; primes.length < count; candidate++) {
    if (primes.every((prime) => candidate % prime)) primes.push(candidate);
  }
  return primes.map((prime) => {
    const scaled = prime << (64n * n);
    let root = 0n;
    for (let bit = 68n; bit-- > 0n; ) if ((root | (1n << bit)) ** n <= scaled) root |= 1n << bit;
    return root & ((1n << 64n) - 1n);
  });
}

interface Sha2 {
  readonly bits: bigint;
  readonly K: readonly bigint[];
  readonly IV: readonly bigint[];
  /** Σ0, Σ1, σ0, σ1 rotations and the σ shifts (FIPS 180-4 §4.1.2, §4.1.3). */
  readonly r: readonly bigint[];
}

let tables: { sha256: Sha2; sha512_256: Sha2 } | undefined;

/**
 * Computed on first use, not at page load. FIPS 180-4 §4.2.3 and §5.3.5: SHA-512's K is the cube
 * roots of the first 80 primes, its IV the square roots of the first 8; SHA-256 takes the first
 * 32 bits of the first 64 and 8 of them (§4.2.2, §5.3.3). §5.3.6: the SHA-512/256 IV is SHA-512,
 * with its IV XORed with a5a5…, of "SHA-512/256".
 */
function sha2Tables(): { sha256: Sha2; sha512_256: Sha2 } {
  if (tables) return tables;
  const K = rootFractions(80, 3n);
  const IV = rootFractions(8, 2n);
  const sha512 = { bits: 64n, K, IV: IV.map((iv) => iv ^ 0xa5a5a5a5a5a5a5a5n), r: [28n, 34n, 39n, 14n, 18n, 41n, 1n, 8n, 7n, 19n, 61n, 6n] };
  return (tables = {
    sha256: {
      bits: 32n,
      K: K.slice(0, 64).map((k) => k >> 32n),
      IV: IV.map((iv) => iv >> 32n),
      r: [2n, 13n, 22n, 6n, 11n, 25n, 7n, 18n, 3n, 17n, 19n, 10n],
    },
    sha512_256: { ...sha512, IV: sha2(sha512, Uint8Array.from('SHA-512/256', (char) => char.charCodeAt(0))) },
  });
}

/** The SHA-256 / SHA-512 compression over the padded message (FIPS 180-4 §6.2.2, §6.4.2). */
function sha2({ bits, K, IV, r }: Sha2, data: Uint8Array): bigint[] {
  const bytes = Number(bits) / 8;
  const mask = (1n << bits) - 1n;
  const rotr = (x: bigint, n: bigint) => ((x >> n) | (x << (bits - n))) & mask;
  // A big-endian word from 32-bit reads (DataView.getBigUint64 is newer than BigInt in Safari).
  const word = (view: DataView, at: number) => {
    let value = 0n;
    for (let i = 0; i < bytes; i += 4) value = (value << 32n) | BigInt(view.getUint32(at + i));
    return value;
  };
  const view = pad(data, 16 * bytes, false);
  const state = [...IV];
  for (let offset = 0; offset < view.byteLength; offset += 16 * bytes) {
    const w: bigint[] = [];
    for (let t = 0; t < K.length; t++) {
      if (t < 16) {
        w[t] = word(view, offset + t * bytes);
      } else {
        const [x, y] = [w[t - 15]!, w[t - 2]!];
        const s0 = rotr(x, r[6]!) ^ rotr(x, r[7]!) ^ (x >> r[8]!);
        const s1 = rotr(y, r[9]!) ^ rotr(y, r[10]!) ^ (y >> r[11]!);
        w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) & mask;
      }
    }
    let [a, b, c, d, e, f, g, h] = state as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
    for (let t = 0; t < K.length; t++) {
      const t1 = h + (rotr(e, r[3]!) ^ rotr(e, r[4]!) ^ rotr(e, r[5]!)) + ((e & f) ^ (~e & g)) + K[t]! + w[t]!;
      const t2 = (rotr(a, r[0]!) ^ rotr(a, r[1]!) ^ rotr(a, r[2]!)) + ((a & b) ^ (a & c) ^ (b & c));
      [h, g, f, e, d, c, b, a] = [g, f, e, (d + t1) & mask, c, b, a, (t1 + t2) & mask];
    }
    [a, b, c, d, e, f, g, h].forEach((value, i) => (state[i] = (state[i]! + value) & mask));
  }
  return state;
}

/** The first `words` words of a SHA-2 state as hex (big-endian words, FIPS 180-4 §6.2.2 step 4). */
function hex(state: readonly bigint[], words: number, bits: bigint): string {
  return state
    .slice(0, words)
    .map((word) => word.toString(16).padStart(Number(bits) / 4, '0'))
    .join('');
}

/** SHA-256, FIPS 180-4 §6.2. */
export const sha256: HashFunction = (data) => hex(sha2(sha2Tables().sha256, data), 8, 32n);

/** SHA-512/256, FIPS 180-4 §6.7: SHA-512 with its own IV, the first 256 bits kept. */
export const sha512_256: HashFunction = (data) => hex(sha2(sha2Tables().sha512_256, data), 4, 64n);
