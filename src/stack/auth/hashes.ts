/**
 * The three hash functions of SIP digest authentication (RFC 7616 §6.1, RFC 8760 §2.1): MD5
 * (RFC 1321), SHA-256 and SHA-512/256 (FIPS 180-4), written for size, not speed: a digest hashes
 * a few short strings per request.
 *
 * Why not a library: WebCrypto has neither MD5 nor SHA-512/256, is asynchronous (the digest API is
 * synchronous) and exists only in secure contexts; @noble/hashes, the well-kept choice, costs
 * 11.7 KB minified (4.9 KB gzip) for these three, most of it SHA-512 on 32-bit halves. Here
 * SHA-256 and SHA-512 are one BigInt routine over FIPS 180-4's constant tables (1.3 KB gzip of
 * the page, measured with `npm run bench -- size`: a quarter of the library's cost). The tests
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
 * FIPS 180-4 §4.2.3: SHA-512's 80 round constants, the first 64 bits of the fractional parts of the
 * cube roots of the first 80 primes. §4.2.2: SHA-256's 64 are the upper 32 bits of the first 64.
 */
const K512: readonly bigint[] = [
  0x428a2f98d728ae22n,
  0x7137449123ef65cdn,
  0xb5c0fbcfec4d3b2fn,
  0xe9b5dba58189dbbcn,
  0x3956c25bf348b538n,
  0x59f111f1b605d019n,
  0x923f82a4af194f9bn,
  0xab1c5ed5da6d8118n,
  0xd807aa98a3030242n,
  0x12835b0145706fben,
  0x243185be4ee4b28cn,
  0x550c7dc3d5ffb4e2n,
  0x72be5d74f27b896fn,
  0x80deb1fe3b1696b1n,
  0x9bdc06a725c71235n,
  0xc19bf174cf692694n,
  0xe49b69c19ef14ad2n,
  0xefbe4786384f25e3n,
  0x0fc19dc68b8cd5b5n,
  0x240ca1cc77ac9c65n,
  0x2de92c6f592b0275n,
  0x4a7484aa6ea6e483n,
  0x5cb0a9dcbd41fbd4n,
  0x76f988da831153b5n,
  0x983e5152ee66dfabn,
  0xa831c66d2db43210n,
  0xb00327c898fb213fn,
  0xbf597fc7beef0ee4n,
  0xc6e00bf33da88fc2n,
  0xd5a79147930aa725n,
  0x06ca6351e003826fn,
  0x142929670a0e6e70n,
  0x27b70a8546d22ffcn,
  0x2e1b21385c26c926n,
  0x4d2c6dfc5ac42aedn,
  0x53380d139d95b3dfn,
  0x650a73548baf63den,
  0x766a0abb3c77b2a8n,
  0x81c2c92e47edaee6n,
  0x92722c851482353bn,
  0xa2bfe8a14cf10364n,
  0xa81a664bbc423001n,
  0xc24b8b70d0f89791n,
  0xc76c51a30654be30n,
  0xd192e819d6ef5218n,
  0xd69906245565a910n,
  0xf40e35855771202an,
  0x106aa07032bbd1b8n,
  0x19a4c116b8d2d0c8n,
  0x1e376c085141ab53n,
  0x2748774cdf8eeb99n,
  0x34b0bcb5e19b48a8n,
  0x391c0cb3c5c95a63n,
  0x4ed8aa4ae3418acbn,
  0x5b9cca4f7763e373n,
  0x682e6ff3d6b2b8a3n,
  0x748f82ee5defb2fcn,
  0x78a5636f43172f60n,
  0x84c87814a1f0ab72n,
  0x8cc702081a6439ecn,
  0x90befffa23631e28n,
  0xa4506cebde82bde9n,
  0xbef9a3f7b2c67915n,
  0xc67178f2e372532bn,
  0xca273eceea26619cn,
  0xd186b8c721c0c207n,
  0xeada7dd6cde0eb1en,
  0xf57d4f7fee6ed178n,
  0x06f067aa72176fban,
  0x0a637dc5a2c898a6n,
  0x113f9804bef90daen,
  0x1b710b35131c471bn,
  0x28db77f523047d84n,
  0x32caab7b40c72493n,
  0x3c9ebe0a15c9bebcn,
  0x431d67c49c100d4cn,
  0x4cc5d4becb3e42b6n,
  0x597f299cfc657e2an,
  0x5fcb6fab3ad6faecn,
  0x6c44198c4a475817n,
];

/**
 * FIPS 180-4 §5.3.5: SHA-512's initial hash value, the square roots of the first 8 primes; §5.3.3:
 * SHA-256's is the upper 32 bits of each.
 */
const IV512 = [
  0x6a09e667f3bcc908n,
  0xbb67ae8584caa73bn,
  0x3c6ef372fe94f82bn,
  0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n,
  0x9b05688c2b3e6c1fn,
  0x1f83d9abfb41bd6bn,
  0x5be0cd19137e2179n,
];

/** FIPS 180-4 §5.3.6.2: the initial hash value of SHA-512/256. */
const IV512_256 = [
  0x22312194fc2bf72cn,
  0x9f555fa3c84c64c2n,
  0x2393b86b6f53b151n,
  0x963877195940eabdn,
  0x96283ee2a88effe3n,
  0xbe5e1e2553863992n,
  0x2b0199fc2c85b8aan,
  0x0eb72ddc81c52ca2n,
];

interface Sha2 {
  readonly bits: bigint;
  readonly K: readonly bigint[];
  readonly IV: readonly bigint[];
  /** Σ0, Σ1, σ0, σ1 rotations and the σ shifts (FIPS 180-4 §4.1.2, §4.1.3). */
  readonly r: readonly bigint[];
}

const SHA256: Sha2 = {
  bits: 32n,
  K: K512.slice(0, 64).map((k) => k >> 32n),
  IV: IV512.map((iv) => iv >> 32n),
  r: [2n, 13n, 22n, 6n, 11n, 25n, 7n, 18n, 3n, 17n, 19n, 10n],
};

const SHA512_256: Sha2 = {
  bits: 64n,
  K: K512,
  IV: IV512_256,
  r: [28n, 34n, 39n, 14n, 18n, 41n, 1n, 8n, 7n, 19n, 61n, 6n],
};

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
export const sha256: HashFunction = (data) => hex(sha2(SHA256, data), 8, 32n);

/** SHA-512/256, FIPS 180-4 §6.7: SHA-512 with its own IV, the first 256 bits kept. */
export const sha512_256: HashFunction = (data) => hex(sha2(SHA512_256, data), 4, 64n);
