import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../message/parser';
import { assertLinearTime } from '../../../tools/test-support/linear-time';
import { badRequestResponse } from './bad-request';

/** A request the parser refuses (a CSeq without a number) with `vias` Via lines. */
function malformed(vias: number): string {
  return `INVITE sip:a@b SIP/2.0\r\n${'v: SIP/2.0/WS a.invalid;branch=z9hG4bK1\r\n'.repeat(vias)}f: <sip:a@b>;tag=1\r\nt: <sip:b@b>\r\ni: c\r\nCSeq: x INVITE\r\n\r\n`;
}

describe('the 400 for a request the parser could not read (RFC 3261 §8.2)', () => {
  it('copies every Via, in order, with From, To (tagged), Call-ID and CSeq', () => {
    const text = badRequestResponse(malformed(3).replace('z9hG4bK1', 'z9hG4bKtop'), 'bad CSeq', 'tt')!;
    const answer = parseMessage(text.replace('CSeq: x INVITE', 'CSeq: 1 INVITE'));
    assert.equal(answer.kind, 'response');
    assert.deepEqual(
      answer.via.map((via) => via.branch),
      ['z9hG4bKtop', 'z9hG4bK1', 'z9hG4bK1'],
    );
    assert.equal(answer.to.tag, 'tt');
    assert.match(text, /^SIP\/2\.0 400 bad CSeq\r\n/);
  });

  // Issue 15: each Via line copied the list of those before it.
  it('is built in linear time however many Via lines the request has', () => {
    assertLinearTime(
      'Via lines',
      (n) => {
        const text = malformed(n);
        return () => badRequestResponse(text, 'bad', 't');
      },
      { n: 2_000 },
    );
  });
});
