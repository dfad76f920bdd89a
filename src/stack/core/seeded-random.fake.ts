/**
 * A repeatable Random for tests: the same seed gives the same tokens, floats and bytes, so a test
 * can assert an exact backoff sequence or Via host. Not for production: it is predictable.
 */
import { randomFromBytes } from './random';
import type { Random } from './random';

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), seeded from one 32-bit number. */
export function seededRandom(seed: number): Random {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Let the state mix before the first value is used, so nearby seeds do not start alike.
  for (let i = 0; i < 15; i++) next();
  return randomFromBytes((out) => {
    for (let i = 0; i < out.length; i += 4) {
      const word = next();
      for (let j = 0; j < 4 && i + j < out.length; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
    }
  });
}
