import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage } from './parser';
import {
  MAX_REASON_FIELD_LENGTH,
  MAX_REASON_PARAMS,
  MAX_REASON_TEXT_LENGTH,
  MAX_REASONS,
  completedElsewhere,
  parseReason,
  reasonsOf,
} from './reason';
import { SipParseError } from './sip-parse-error';

/** A CANCEL as a forking proxy sends it, with the given header lines added. */
function cancel(...lines: string[]) {
  return parseMessage(
    [
      'CANCEL sip:bob@192.0.2.4;transport=ws SIP/2.0',
      'Via: SIP/2.0/WS 192.0.2.1;branch=z9hG4bK776asdhds',
      'Max-Forwards: 70',
      'To: <sip:bob@example.com>',
      'From: <sip:alice@example.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710',
      'CSeq: 314159 CANCEL',
      ...lines,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
}

describe('Reason (RFC 3326 §2)', () => {
  it('reads the protocol, cause and text, with LWS as RFC 3326 writes it and without as Kamailio does', () => {
    assert.deepEqual(parseReason('SIP ;cause=200 ;text="Call completed elsewhere"'), [
      { protocol: 'SIP', cause: 200, text: 'Call completed elsewhere' },
    ]);
    assert.deepEqual(parseReason('SIP;cause=200;text="Call completed elsewhere"'), [
      { protocol: 'SIP', cause: 200, text: 'Call completed elsewhere' },
    ]);
    assert.deepEqual(parseReason('Q.850 ; cause = 16 ; text = "Terminated \\"normally\\""'), [
      { protocol: 'Q.850', cause: 16, text: 'Terminated "normally"' },
    ]);
  });

  it('reads a list, extension parameters, a value without cause or text, and leading zeros', () => {
    assert.deepEqual(parseReason('SIP;cause=0200;x-ext;y=[::1], Q.850;cause=31, preemption'), [
      { protocol: 'SIP', cause: 200, text: undefined },
      { protocol: 'Q.850', cause: 31, text: undefined },
      { protocol: 'preemption', cause: undefined, text: undefined },
    ]);
  });

  for (const bad of [
    '',
    ';cause=200',
    'SIP;cause',
    'SIP;cause=',
    'SIP;cause="200"',
    'SIP;cause=2x0',
    'SIP;cause=1000',
    'SIP;text=plain',
    'SIP;text="open',
    'SIP cause=200',
    'SIP;cause=200,',
    'SIP;;cause=200',
    'SIP;x=',
    'SIP;x="a" b',
  ]) {
    it(`rejects ${JSON.stringify(bad)} with SipParseError`, () => {
      assert.throws(() => parseReason(bad), SipParseError);
    });
  }

  it('refuses hostile input within its bounds: a huge field unread, too many parameters, an endless list and text cut short', () => {
    // Well-formed but huge: refused for its length alone, before any of it is read.
    assert.throws(() => parseReason(`SIP;cause=200;text="${'x'.repeat(60_000)}"`), /Reason longer than 1024/);
    assert.equal(MAX_REASON_FIELD_LENGTH, 1024);

    const params = (n: number) => `SIP;cause=200${';x'.repeat(n - 1)}`;
    assert.equal(parseReason(params(MAX_REASON_PARAMS)).length, 1);
    assert.throws(() => parseReason(params(MAX_REASON_PARAMS + 1)), /more than 8 Reason parameters/);

    const list = Array.from({ length: 80 }, (_, i) => `P${i}`).join(',');
    assert.deepEqual(
      parseReason(list).map((reason) => reason.protocol),
      ['P0', 'P1', 'P2', 'P3'],
    );
    assert.equal(MAX_REASONS, 4);

    const long = parseReason(`SIP;cause=200;text="${'y'.repeat(500)}"`)[0]!;
    assert.equal(long.text, 'y'.repeat(MAX_REASON_TEXT_LENGTH));
  });

  it('reads a message: values of several lines up to the limit, a malformed line skipped alone', () => {
    const message = cancel(
      'Reason: nonsense;;',
      'Reason: Q.850;cause=26',
      `Reason: X;${'a=1;'.repeat(400)}b=2`,
      'Reason: SIP;cause=200;text="Call completed elsewhere", A, B, C',
    );
    assert.deepEqual(
      reasonsOf(message).map((reason) => reason.protocol),
      ['Q.850', 'SIP', 'A', 'B'],
    );
  });

  it("says a CANCEL was sent because another branch answered only for 'SIP;cause=200'", () => {
    assert.equal(completedElsewhere(cancel('Reason: SIP;cause=200;text="Call completed elsewhere"')), true);
    assert.equal(completedElsewhere(cancel('Reason: Q.850;cause=16, sip ; cause=200')), true, 'protocol without case');
    assert.equal(completedElsewhere(cancel()), false, 'no Reason: the caller gave up');
    assert.equal(completedElsewhere(cancel('Reason: SIP;cause=487;text="Request Terminated"')), false);
    assert.equal(completedElsewhere(cancel('Reason: Q.850;cause=200')), false, 'a Q.850 cause is no SIP status');
    assert.equal(
      completedElsewhere(cancel(`Reason: SIP;cause=200;text="${'z'.repeat(2000)}"`)),
      false,
      'an oversized line is not read',
    );
  });
});
