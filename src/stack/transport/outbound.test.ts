import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoRandom } from '../core/random';
import { seededRandom } from '../core/seeded-random.fake';
import { createInstanceId, ensureInstanceId, isInstanceId, outboundContactParams, uuidV4 } from './outbound';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('RFC 5626 outbound helpers', () => {
  it('makes version 4 UUIDs from the injected random, repeatably with a seed', () => {
    for (let i = 0; i < 200; i++) assert.match(uuidV4(cryptoRandom), UUID_V4);
    assert.equal(uuidV4(seededRandom(9)), uuidV4(seededRandom(9)));
    assert.notEqual(uuidV4(seededRandom(9)), uuidV4(seededRandom(10)));
    // Fixed bits set whatever the random bytes are.
    const allOnes = { ...cryptoRandom, bytes: (n: number) => new Uint8Array(n).fill(0xff) };
    assert.equal(uuidV4(allOnes), 'ffffffff-ffff-4fff-bfff-ffffffffffff');
  });

  it('makes instance ids as a URN in angle brackets (RFC 5626 §4.1)', () => {
    const id = createInstanceId(cryptoRandom);
    assert.match(id, /^<urn:uuid:[0-9a-f-]{36}>$/);
    assert.ok(isInstanceId(id));
    assert.ok(isInstanceId('<urn:uuid:00000000-0000-1000-8000-00aa00389b71>'));
    for (const bad of ['', 'urn:uuid:1234', '<urn:uuid:>', '<http://x>', '<urn:uuid:a b>', '<urn:uuid:"x">']) {
      assert.ok(!isInstanceId(bad), bad);
    }
  });

  it('keeps a valid stored instance id and replaces a missing or malformed one', () => {
    const stored = '<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>';
    assert.equal(ensureInstanceId(stored, cryptoRandom), stored);
    for (const missing of [undefined, null, '', 'garbage']) {
      const id = ensureInstanceId(missing, cryptoRandom);
      assert.ok(isInstanceId(id) && id !== missing);
    }
  });

  it('gives the Contact parameters as maps and as text', () => {
    const instanceId = '<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>';
    const params = outboundContactParams({ instanceId });
    assert.deepEqual(
      [...params.uriParams],
      [
        ['transport', 'ws'],
        ['ob', null],
      ],
    );
    assert.deepEqual(
      [...params.headerParams],
      [
        ['reg-id', '1'],
        ['+sip.instance', `"${instanceId}"`],
      ],
    );
    assert.equal(params.uriParamsText, ';transport=ws;ob');
    assert.equal(params.headerParamsText, `;reg-id=1;+sip.instance="${instanceId}"`);
    assert.equal(
      `Contact: <sip:alice@df7jal23ls0d.invalid${params.uriParamsText}>${params.headerParamsText}`,
      'Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws;ob>;reg-id=1;+sip.instance="<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>"',
    );
    const plain = outboundContactParams({ instanceId, regId: 2, ob: false });
    assert.equal(plain.uriParamsText, ';transport=ws');
    assert.equal(plain.headerParamsText.startsWith(';reg-id=2;'), true);
  });

  it('refuses a malformed instance id or reg-id (caller bugs)', () => {
    const instanceId = createInstanceId(cryptoRandom);
    assert.throws(() => outboundContactParams({ instanceId: 'urn:uuid:x' }), /not an RFC 5626 instance id/);
    for (const regId of [0, -1, 1.5, 2 ** 31]) {
      assert.throws(() => outboundContactParams({ instanceId, regId }), RangeError, String(regId));
    }
  });
});
