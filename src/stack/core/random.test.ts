import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALPHANUMERIC, cryptoRandom, randomFromBytes } from './random';
import { seededRandom } from './seeded-random.fake';

describe('cryptoRandom', () => {
  it('makes tokens of the asked length from the alphabet', () => {
    const token = cryptoRandom.token(32);
    assert.equal(token.length, 32);
    assert.match(token, /^[A-Za-z0-9]{32}$/);
    assert.match(cryptoRandom.token(20, 'abcdef'), /^[a-f]{20}$/);
    assert.equal(cryptoRandom.token(0), '');
    assert.notEqual(cryptoRandom.token(16), cryptoRandom.token(16));
  });

  it('makes floats in [0, 1) and bytes of the asked length, also beyond one crypto call', () => {
    for (let i = 0; i < 1000; i++) {
      const x = cryptoRandom.float();
      assert.ok(x >= 0 && x < 1, `${x} in [0, 1)`);
    }
    assert.equal(cryptoRandom.bytes(70_000).length, 70_000);
  });

  it('rejects invalid lengths and alphabets (bugs, not input)', () => {
    assert.throws(() => cryptoRandom.token(-1), RangeError);
    assert.throws(() => cryptoRandom.token(1.5), RangeError);
    assert.throws(() => cryptoRandom.token(4, 'a'), RangeError);
    assert.throws(() => cryptoRandom.bytes(-2), RangeError);
  });
});

describe('randomFromBytes', () => {
  it('does not favour the first characters of an alphabet whose size does not divide 256', () => {
    // A byte source that counts 0..255 over and over: every byte value equally often. With 62
    // characters, 256 % 62 = 8 bytes (248..255) must be rejected, else 'A'..'H' would win.
    let counter = 0;
    const random = randomFromBytes((out) => {
      for (let i = 0; i < out.length; i++) out[i] = counter++ & 0xff;
    });
    const counts = new Map<string, number>();
    for (const ch of random.token(248 * 20)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    assert.equal(counts.size, 62);
    for (const ch of ALPHANUMERIC) assert.equal(counts.get(ch), 80, `count of ${ch}`);
  });

  it('builds floats from 53 bits: all-zero bytes give 0, all-one bytes the largest double below 1', () => {
    assert.equal(randomFromBytes((out) => out.fill(0)).float(), 0);
    assert.equal(randomFromBytes((out) => out.fill(0xff)).float(), 1 - 2 ** -53);
  });
});

describe('seededRandom', () => {
  it('repeats exactly for the same seed and differs for another', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const draw = (r: ReturnType<typeof seededRandom>): unknown[] => [r.token(12), r.float(), [...r.bytes(5)]];
    const first = draw(a);
    assert.deepEqual(first, draw(b));
    assert.notDeepEqual(first, draw(c));
  });

  it('spreads floats over [0, 1)', () => {
    const random = seededRandom(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(random.float() * 10)]!++;
    for (const count of buckets) assert.ok(count > 850 && count < 1150, `bucket count ${count}`);
  });
});
