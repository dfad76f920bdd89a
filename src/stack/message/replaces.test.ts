import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatReplaces, parseReplaces } from './replaces';
import { SipParseError } from './sip-parse-error';

describe('Replaces (RFC 3891 §6.1)', () => {
  it('reads the Call-ID, both tags and early-only, with LWS and in any order', () => {
    assert.deepEqual(parseReplaces('98732@sip.example.com ; from-tag=r33th4x0r ;to-tag=ff87ff'), {
      callId: '98732@sip.example.com',
      toTag: 'ff87ff',
      fromTag: 'r33th4x0r',
      earlyOnly: false,
    });
    assert.equal(parseReplaces('425928@bobster.example.org;to-tag=7743;from-tag=6472;early-only;x=1').earlyOnly, true);
  });

  it('writes what it reads', () => {
    const value = '090459243588173445;to-tag=7553452;from-tag=31431;early-only';
    assert.equal(formatReplaces(parseReplaces(value)), value);
  });

  for (const bad of [
    '',
    ';to-tag=a;from-tag=b',
    'abc;to-tag=a',
    'abc;from-tag=b',
    'abc;to-tag=a;to-tag=c;from-tag=b',
    'a b;to-tag=a;from-tag=b',
    'abc;to-tag;from-tag=b',
    'abc;to-tag=a b;from-tag=b',
    'abc@;to-tag=a;from-tag=b',
  ]) {
    it(`rejects ${JSON.stringify(bad)} with SipParseError`, () => {
      assert.throws(() => parseReplaces(bad), SipParseError);
    });
  }
});
