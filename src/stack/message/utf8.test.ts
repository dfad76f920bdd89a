import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { utf8Advance, utf8Decode, utf8Encode, utf8Length } from './utf8';

const encoder = new TextEncoder();

describe('UTF-8 octets of JavaScript strings', () => {
  it('counts and encodes exactly as TextEncoder does, lone surrogates included', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(
            fc.constantFrom('a', 'é', '€', '😀', '\ud800', '\udfff', '\r'),
            fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
          ),
        }),
        (text) => {
          const expected = encoder.encode(text);
          assert.equal(utf8Length(text), expected.length);
          assert.deepEqual(utf8Encode(text), expected);
        },
      ),
      { seed: 3261, numRuns: 300 },
    );
  });

  it('advances by octets to character boundaries, and says when a count splits a character or runs out', () => {
    const text = 'aé😀b';
    assert.deepEqual(
      [0, 1, 3, 7, 8].map((n) => utf8Advance(text, 0, n)),
      [0, 1, 2, 4, 5],
    );
    assert.equal(utf8Advance(text, 0, 2), -2);
    assert.equal(utf8Advance(text, 0, 5), -2);
    assert.equal(utf8Advance(text, 0, 9), -1);
    assert.equal(utf8Advance(text, 2, 4), 4);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.nat(40), (body, cut) => {
        const end = utf8Advance(body, 0, cut);
        const total = encoder.encode(body).length;
        if (cut > total) assert.equal(end, -1);
        else if (end >= 0) assert.equal(encoder.encode(body.slice(0, end)).length, cut);
        else assert.equal(end, -2);
      }),
      { seed: 4475, numRuns: 300 },
    );
  });

  it('advances through long texts (the encoder path) exactly as a character walk does', () => {
    // Reference: walk characters, lone surrogates counting 3 octets as TextEncoder writes them.
    const reference = (text: string, start: number, octets: number): number => {
      let i = start;
      let left = octets;
      while (left > 0) {
        if (i >= text.length) return -1;
        const c = text.charCodeAt(i);
        const pair = c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
        const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
        if (size > left) return -2;
        left -= size;
        i += pair ? 2 : 1;
      }
      return i;
    };
    const unit = fc.oneof(
      fc.constantFrom('a', 'é', '€', '😀', '\ud800', '\udfff'),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    );
    fc.assert(
      fc.property(fc.string({ unit, minLength: 250, maxLength: 400 }), fc.nat(5), fc.nat(1300), (text, start, cut) => {
        assert.equal(utf8Advance(text, start, cut), reference(text, start, cut));
      }),
      { seed: 5118, numRuns: 300 },
    );
    const long = 'x'.repeat(300);
    assert.equal(utf8Advance(`${long}é`, 0, 301), -2);
    assert.equal(utf8Advance(`${long}é`, 0, 302), 301);
    assert.equal(utf8Advance(`${long}é`, 0, 303), -1);
    assert.equal(utf8Advance(`${long}😀`, 1, 299 + 2), -2);
    assert.equal(utf8Advance(`${long}😀`, 1, 299 + 4), 302);
  });

  it('decodes octets, replacing invalid sequences and keeping a byte order mark', () => {
    assert.equal(utf8Decode(encoder.encode('\ufeffGrüße')), '\ufeffGrüße');
    assert.equal(utf8Decode(new Uint8Array([0x61, 0xff, 0x62])), 'a\ufffdb');
    assert.equal(utf8Decode(encoder.encode('xyz'), 1, 2), 'y');
  });
});
