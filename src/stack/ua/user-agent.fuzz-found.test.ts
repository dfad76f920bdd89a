// Regressions the user agent's fuzz test (user-agent.fuzz.test.ts) found, each reduced to the
// smallest exchange that showed it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isRequest, type SipResponse } from '../message/message';
import { parseMessage } from '../message/parser';
import { responseTo } from '../transaction/requests';
import type { IncomingCall } from './calls/incoming-call';
import { RequestFailedError } from './request-failed-error';
import { FakeMediaSession, fakeMediaSessionFactory } from './media-session.fake';
import { setup } from './user-agent.fixtures';

/** A request from the server end in the call `callId`; `toTag` puts it in a dialog. */
function request(method: string, callId: string, seq: number, branch: string, toTag?: string, body = ''): string {
  return (
    `${method} sip:alice@example.test SIP/2.0\r\n` +
    `Via: SIP/2.0/WSS proxy.example;branch=z9hG4bK${branch}\r\n` +
    'Max-Forwards: 69\r\n' +
    'From: <sip:bob@example.test>;tag=b1\r\n' +
    `To: <sip:alice@example.test>${toTag ? `;tag=${toTag}` : ''}\r\n` +
    `Call-ID: ${callId}\r\n` +
    `CSeq: ${seq} ${method}\r\n` +
    'Contact: <sip:bob@proxy.example;transport=ws>\r\n' +
    (body ? 'Content-Type: application/sdp\r\n' : '') +
    `Content-Length: ${new TextEncoder().encode(body).length}\r\n\r\n${body}`
  );
}

const OFFER =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 50000 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 127.0.0.1\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n';

describe('regressions found by the user agent fuzz test', () => {
  it('answers a re-INVITE on an early dialog it has not answered yet with 500 and Retry-After (RFC 3261 §14.2)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const t = setup({ calls: { mediaSessionFactory: fakeMediaSessionFactory() } });
      await t.ua.start();
      t.inject(request('INVITE', 'early-1', 1, 'inv1', undefined, OFFER));
      await t.flush();
      const ringing = t.responses().find((r) => r.status === 180)!;
      t.inject(request('INVITE', 'early-1', 2, 'inv2', ringing.to.tag, OFFER));
      await t.flush();
      const answer = t.responses().find((r) => r.cseq.seq === 2 && r.status >= 200) as SipResponse;
      assert.equal(answer.status, 500);
      assert.equal(answer.header('Retry-After'), '1');
      assert.equal(t.ua.calls[0]?.state, 'incoming', 'the first INVITE still rings');
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('settles a request still waiting for its response when the user agent stops (RFC 3261 §8.1.3.1)', async () => {
    const t = setup();
    await t.ua.start();
    const sent = t.ua.sendMessage('bob', 'nobody answers');
    await t.flush();
    assert.equal(t.requests('MESSAGE').length, 1);
    const outcome = sent.then(
      () => 'resolved',
      (error: unknown) => (error instanceof RequestFailedError ? error.status : error),
    );
    await t.ua.stop();
    await t.flush();
    const settled = await Promise.race([
      outcome,
      new Promise((resolve) => setImmediate(() => resolve('still pending'))),
    ]);
    assert.equal(settled, 503);
  });

  it('makes no media for a call canceled while answer() waits for the other calls to hold (RFC 3261 §9.2)', async () => {
    const media = fakeMediaSessionFactory();
    const t = setup({ calls: { mediaSessionFactory: media } });
    const incoming: IncomingCall[] = [];
    t.ua.events.on('incoming-call', (call) => incoming.push(call));
    await t.ua.start();
    t.inject(request('INVITE', 'first', 1, 'first', undefined, OFFER));
    await t.flush();
    await incoming[0]!.answer();
    await t.flush();
    // §14.1: the first call's hold waits for the ACK of its 200; here it has come.
    const ok = t.responses().find((r) => r.callId === 'first' && r.status === 200)!;
    t.inject(request('ACK', 'first', 1, 'ack', ok.to.tag));
    t.inject(request('INVITE', 'second', 1, 'second', undefined, OFFER));
    await t.flush();
    const answering = incoming[1]!.answer();
    await t.flush(); // the first call's hold re-INVITE is out, unanswered
    t.inject(request('CANCEL', 'second', 1, 'second'));
    await t.flush();
    assert.equal(incoming[1]!.ended?.cause, 'remote-canceled');
    t.inject(responseTo(t.requests('INVITE')[0]!, 488, undefined, 'srv').toString());
    await t.flush();
    await answering;
    assert.equal(media.sessions.length, 1, 'only the first call has media');
    assert.equal(incoming[1]!.media, undefined);
  });

  it('sends the ACK for a retransmitted 2xx quietly: a failed send is no bad message (RFC 3261 §13.2.2.4)', async () => {
    const errors: unknown[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (...data: unknown[]) => errors.push(data),
    };
    const t = setup({ logger, calls: { mediaSessionFactory: fakeMediaSessionFactory() } });
    const bad: Error[] = [];
    t.ua.events.on('bad-message', ({ error }) => bad.push(error));
    await t.ua.start();
    const call = t.ua.call('bob');
    await t.flush();
    const invite = t.requests('INVITE')[0]!;
    const ok = responseTo(invite, 200, undefined, 'srv');
    ok.setHeader('Contact', '<sip:bob@proxy.example;transport=ws>');
    ok.setHeader('Content-Type', 'application/sdp');
    ok.body = await new FakeMediaSession({ name: 'bob' }).applyOffer(invite.body);
    t.inject(ok.toString());
    await t.flush();
    assert.equal(call.state, 'connected');
    t.pair.a.failNextSend('socket hiccup');
    t.inject(ok.toString()); // the ACK for this retransmission cannot be sent
    await t.flush();
    t.inject(ok.toString()); // the next one is ACKed again
    await t.flush();
    assert.deepEqual(bad, []);
    assert.deepEqual(errors, []);
    assert.equal(t.requests('ACK').length, 2);
    assert.equal(call.state, 'connected');
  });

  it('declines a call that arrives while stop() waits for the un-REGISTER (RFC 3261 §13.3.1.3)', async () => {
    const t = setup({ calls: { mediaSessionFactory: fakeMediaSessionFactory() } });
    const incoming: IncomingCall[] = [];
    t.ua.events.on('incoming-call', (call) => incoming.push(call));
    t.serve((request) => responseTo(request, 200, undefined, 'srv'));
    await t.ua.start();
    await Promise.all([t.ua.register(), t.flush()]);
    t.serve(() => undefined); // the un-REGISTER waits for its answer
    const stopped = t.ua.stop();
    await t.flush();
    t.inject(request('INVITE', 'late', 1, 'late', undefined, OFFER));
    await t.flush();
    assert.equal(incoming.length, 1);
    const unregister = t.requests('REGISTER')[1]!;
    assert.equal(unregister.header('Expires'), '0');
    t.inject(responseTo(unregister, 200, undefined, 'srv').toString());
    await t.flush();
    await stopped;
    assert.equal(incoming[0]!.state, 'ended');
    // What the UA sent: the memory link drops what is in flight when the UA disconnects.
    const finals = t.pair.a.sent
      .map((text) => parseMessage(text))
      .filter((m) => !isRequest(m) && m.callId === 'late' && m.status >= 200);
    assert.deepEqual(
      finals.map((m) => (m as SipResponse).status),
      [603],
    );
  });

  it('answers the INVITE 487 when the caller ends the early dialog with BYE (RFC 3261 §15.1.2)', async () => {
    const t = setup({ calls: { mediaSessionFactory: fakeMediaSessionFactory() } });
    await t.ua.start();
    t.inject(request('INVITE', 'bye-early', 1, 'inv', undefined, OFFER));
    await t.flush();
    const ringing = t.responses().find((r) => r.status === 180)!;
    t.inject(request('BYE', 'bye-early', 2, 'bye', ringing.to.tag));
    await t.flush();
    const finals = t.responses().filter((r) => r.callId === 'bye-early' && r.status >= 200);
    assert.deepEqual(
      finals.map((r) => `${r.status} ${r.cseq.method}`),
      ['200 BYE', '487 INVITE'],
    );
    assert.equal(t.ua.calls.length, 0);
  });
});
