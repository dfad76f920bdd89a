import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../message/parser';
import type { SipRequest } from '../../message/message';
import { assertLinearTime } from '../../../../tools/test-support/linear-time';
import { MAX_AUTO_ANSWER_DELAY_S, readAutoAnswer } from './auto-answer';
import { sent, twoPhones } from './calls.fixtures';

let n = 0;
/** An INVITE from a PBX with the given extra header lines. */
function invite(headers: string): string {
  n++;
  return (
    `INVITE sip:alice@example.test SIP/2.0\r\nVia: SIP/2.0/WS pbx.invalid;branch=z9hG4bKaa${n}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:page@example.test>;tag=p${n}\r\nTo: <sip:alice@example.test>\r\nCall-ID: aa${n}\r\nCSeq: 1 INVITE\r\n` +
    `Contact: <sip:page@pbx.invalid;transport=ws>\r\n${headers}Content-Length: 0\r\n\r\n`
  );
}

const read = (headers: string) => readAutoAnswer(parseMessage(invite(headers)) as SipRequest);

describe('auto-answer requests (RFC 5373, Call-Info answer-after, Alert-Info alert-autoanswer)', () => {
  it('reads each dialect: RFC 5373 Answer-Mode and Priv-Answer-Mode, Call-Info answer-after, Alert-Info with and without a URI', () => {
    assert.deepEqual(read('Answer-Mode: Auto\r\n'), { delay: 0, required: false, via: 'answer-mode' });
    assert.deepEqual(read('Answer-Mode: auto;require\r\n'), { delay: 0, required: true, via: 'answer-mode' });
    assert.deepEqual(read('Priv-Answer-Mode: Auto\r\n'), { delay: 0, required: false, via: 'priv-answer-mode' });
    assert.deepEqual(read('Call-Info: <sip:pbx.example>;answer-after=0\r\n'), {
      delay: 0,
      required: false,
      via: 'call-info',
    });
    assert.deepEqual(read('Call-Info: <http://x.example/a>;purpose=icon, <sip:pbx.example>;Answer-After=5\r\n'), {
      delay: 5,
      required: false,
      via: 'call-info',
    });
    assert.deepEqual(read('Alert-Info: <http://www.notused.com>;info=alert-autoanswer;delay=2\r\n'), {
      delay: 2,
      required: false,
      via: 'alert-info',
    });
    assert.deepEqual(read('Alert-Info: info=alert-autoanswer\r\n'), { delay: 0, required: false, via: 'alert-info' });
    // Forms PBX administrators are told to try per phone model (SIPAddHeader in Asterisk dialplans).
    assert.deepEqual(read('Alert-Info: Info=Alert-Autoanswer\r\n'), { delay: 0, required: false, via: 'alert-info' });
    assert.deepEqual(read('Alert-Info: ;info=alert-autoanswer\r\n'), { delay: 0, required: false, via: 'alert-info' });
    assert.deepEqual(read('Alert-Info: answer-after=3\r\n'), { delay: 3, required: false, via: 'alert-info' });
    assert.deepEqual(read('Call-Info: ;answer-after=0\r\n'), { delay: 0, required: false, via: 'call-info' });
    assert.deepEqual(read('Call-Info: answer-after=2\r\n'), { delay: 2, required: false, via: 'call-info' });
  });

  it('reads nothing from ordinary INVITEs, Answer-Mode: Manual, or values that are not numbers', () => {
    assert.equal(read(''), undefined);
    assert.equal(read('Alert-Info: <http://x.example/ring.wav>\r\n'), undefined);
    assert.equal(read('Call-Info: <sip:pbx.example>;purpose=info\r\n'), undefined);
    assert.equal(read('Call-Info: <sip:pbx.example>;answer-after=soon\r\n'), undefined);
    assert.equal(
      read('Answer-Mode: Manual\r\nCall-Info: <sip:pbx.example>;answer-after=0\r\n'),
      undefined,
      'Manual wins',
    );
    assert.equal(
      read('Priv-Answer-Mode: Manual\r\nAnswer-Mode: Auto\r\n'),
      undefined,
      'Priv-Answer-Mode takes precedence',
    );
  });

  it('reads hostile header values in linear time (values up to the length it reads at all)', () => {
    const hostile = (size: number) => {
      const request = parseMessage(
        invite(
          `Call-Info: <${'<'.repeat(size)}>${';a'.repeat(size)}\r\nAlert-Info: ${'info='.repeat(size)}${';info='.repeat(size)}\r\n`,
        ),
      ) as SipRequest;
      return () => readAutoAnswer(request);
    };
    assertLinearTime('auto-answer headers', hostile, { n: 30 });
  });
});

describe('incoming calls that ask to be auto-answered', () => {
  it('say so on the call, allowed only with auto-answer on, no other call, and a delay within the bound', async () => {
    const { alice, pair, flush } = await twoPhones();
    pair.b.send(invite('Call-Info: <sip:pbx.example>;answer-after=0\r\n'));
    await flush();
    assert.deepEqual(
      alice.incoming[0]!.autoAnswer,
      { delay: 0, required: false, via: 'call-info', allowed: false },
      'off by default',
    );
    alice.incoming[0]!.decline();
    alice.ua.autoAnswer = true;
    pair.b.send(invite(`Alert-Info: info=alert-autoanswer;delay=${MAX_AUTO_ANSWER_DELAY_S}\r\n`));
    await flush();
    assert.equal(alice.incoming[1]!.autoAnswer?.allowed, true);
    pair.b.send(invite('Answer-Mode: Auto\r\n'));
    await flush();
    assert.equal(alice.incoming[2]!.autoAnswer?.allowed, false, 'another call is up');
    alice.incoming[1]!.decline();
    alice.incoming[2]!.decline();
    pair.b.send(invite(`Call-Info: <sip:pbx.example>;answer-after=${MAX_AUTO_ANSWER_DELAY_S + 1}\r\n`));
    await flush();
    assert.equal(alice.incoming[3]!.autoAnswer?.allowed, false, 'too long a delay');
    alice.incoming[3]!.decline();
    pair.b.send(invite(''));
    await flush();
    assert.equal(alice.incoming[4]!.autoAnswer, undefined);
  });

  it('answers 403 to Answer-Mode: Auto;require when it will not be honoured (RFC 5373 §6), and takes it when it will', async () => {
    const { alice, pair, flush } = await twoPhones();
    pair.b.send(invite('Answer-Mode: Auto;require\r\n'));
    await flush();
    assert.equal(alice.incoming.length, 0, 'no call');
    assert.equal(sent(pair.a, 'SIP/2.0 403').length, 1);
    alice.ua.autoAnswer = true;
    pair.b.send(invite('Priv-Answer-Mode: Auto;require\r\n'));
    await flush();
    assert.equal(alice.incoming[0]?.autoAnswer?.allowed, true);
    assert.equal(sent(pair.a, 'SIP/2.0 403').length, 1);
  });

  it('reports the answer mode in the 200 (RFC 5373): Auto when answered without the user, Manual when the user answered; nothing for vendor dialects', async () => {
    const { alice, pair, flush } = await twoPhones();
    alice.ua.autoAnswer = true;
    const answered = async (headers: string, auto: boolean) => {
      pair.b.send(invite(headers));
      await flush();
      const call = alice.incoming.at(-1)!;
      const answering = call.answer({ auto });
      await flush();
      await answering;
      const ok = sent(pair.a, 'SIP/2.0 200').at(-1)!;
      void call.hangup();
      await flush();
      return (name: string) => new RegExp(`^${name}: (.*)\r$`, 'm').exec(ok)?.[1];
    };
    assert.equal((await answered('Answer-Mode: Auto\r\n', true))('Answer-Mode'), 'Auto');
    const priv = await answered('Priv-Answer-Mode: Auto\r\n', true);
    assert.equal(priv('Priv-Answer-Mode'), 'Auto');
    assert.equal(priv('Answer-Mode'), undefined);
    assert.equal((await answered('Answer-Mode: Auto\r\n', false))('Answer-Mode'), 'Manual', 'the user answered first');
    assert.equal((await answered('Call-Info: <sip:pbx.example>;answer-after=0\r\n', true))('Answer-Mode'), undefined);
  });

  it('takes an INVITE that requires answermode or privanswermode (no 420: RFC 3261 §8.2.2.3), and says it supports them', async () => {
    const { alice, pair, flush } = await twoPhones();
    pair.b.send(invite('Require: answermode\r\nAnswer-Mode: Auto\r\n'));
    pair.b.send(invite('Require: privanswermode\r\nPriv-Answer-Mode: Auto\r\n'));
    await flush();
    assert.equal(sent(pair.a, 'SIP/2.0 420').length, 0);
    assert.equal(alice.incoming.length, 2);
    const ringing = sent(pair.a, 'SIP/2.0 180')[0]!;
    assert.match(/^Supported: (.*)\r$/m.exec(ringing)![1]!, /\banswermode\b.*\bprivanswermode\b/);
  });
});
