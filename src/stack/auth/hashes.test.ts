import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { md5, sha256, sha512_256 } from './hashes';

const ascii = (text: string) => new TextEncoder().encode(text);
const HASHES = [
  ['md5', md5],
  ['sha256', sha256],
  ['sha512-256', sha512_256],
] as const;

describe('hash functions of digest authentication', () => {
  it('gives the RFC 1321 §A.5 MD5 test suite', () => {
    const suite: Array<[string, string]> = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [input, digest] of suite) assert.equal(md5(ascii(input)), digest, JSON.stringify(input));
  });

  it('gives the FIPS 180-4 example values (NIST CSRC) for SHA-256 and SHA-512/256', () => {
    assert.equal(sha256(ascii('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(
      sha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    assert.equal(sha512_256(ascii('abc')), '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23');
    assert.equal(
      sha512_256(
        ascii(
          'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
        ),
      ),
      '3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a',
    );
  });

  it('agrees with node:crypto at every padding boundary', () => {
    // One block or two: the length field fits after the 1 bit or spills into a new block.
    for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 111, 112, 113, 119, 120, 127, 128, 129, 1000]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 7 + length) & 255);
      for (const [name, hash] of HASHES)
        assert.equal(hash(data), createHash(name).update(data).digest('hex'), `${name} ${length}`);
    }
  });

  it('agrees with node:crypto on random inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        for (const [name, hash] of HASHES) assert.equal(hash(data), createHash(name).update(data).digest('hex'), name);
      }),
      { seed: 7616, numRuns: 200 },
    );
  });
});
