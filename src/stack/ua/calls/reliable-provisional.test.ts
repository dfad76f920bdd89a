import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SipRequest, SipResponse } from '../../message/message';
import { responseTo } from '../../transaction/requests';
import { FakeMediaSession, fakeMediaSessionFactory } from '../media-session.fake';
import { setup } from '../user-agent.fixtures';
import { MAX_PRACKS_PER_CALL, parseRAck } from './reliable-provisional';

/** Our phone (alice) on the fake clock, a scripted far end on the other side of the memory transport. */
async function phone() {
  const media = fakeMediaSessionFactory();
  const t = setup({ password: undefined, calls: { mediaSessionFactory: media } });
  const started = t.ua.start();
  await t.flush();
  await started;
  return { ...t, media };
}

/** The far end's provisional response to our INVITE: its To tag, Contact, and reliable when `rseq` is given. */
function provisional(invite: SipRequest, status: number, tag: string, rseq?: number, sdp?: string): SipResponse {
  const response = responseTo(invite, status, undefined, tag);
  response.setHeader('Record-Route', '<sip:proxy.example.test;lr>');
  response.setHeader('Contact', `<sip:${tag}@far.invalid;transport=ws>`);
  if (rseq !== undefined) {
    response.setHeader('Require', '100rel');
    response.setHeader('RSeq', String(rseq));
  }
  if (sdp !== undefined) {
    response.setHeader('Content-Type', 'application/sdp');
    response.body = sdp;
  }
  return response;
}

const SDP_OFFER_INVITE = (require: string) =>
  'INVITE sip:alice@example.test SIP/2.0\r\nVia: SIP/2.0/WS far.invalid;branch=z9hG4bKrel1\r\nMax-Forwards: 70\r\n' +
  'Record-Route: <sip:proxy.example.test;lr>\r\n' +
  `From: <sip:bob@example.test>;tag=b1\r\nTo: <sip:alice@example.test>\r\nCall-ID: rel-call\r\nCSeq: 7 INVITE\r\n${require}` +
  'Contact: <sip:bob@far.invalid;transport=ws>\r\n';

async function incomingInvite(t: Awaited<ReturnType<typeof phone>>, require: string) {
  const offer = await new FakeMediaSession({}).createOffer();
  t.inject(
    `${SDP_OFFER_INVITE(require)}Content-Type: application/sdp\r\nContent-Length: ${new TextEncoder().encode(offer).length}\r\n\r\n${offer}`,
  );
  const incoming = new Promise<import('./incoming-call').IncomingCall>((resolve) =>
    t.ua.events.on('incoming-call', resolve),
  );
  await t.flush();
  return incoming;
}

/** A PRACK from the far end in the dialog of `response` (RFC 3262 §7.2: RAck = RSeq, CSeq number, method). */
function prackFor(
  response: SipResponse,
  seq = 8,
  rack = `${response.header('RSeq')} ${response.cseq.seq} INVITE`,
): string {
  return (
    `PRACK sip:alice@example.test SIP/2.0\r\nVia: SIP/2.0/WS far.invalid;branch=z9hG4bKprack${seq}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:bob@example.test>;tag=b1\r\nTo: ${response.to.toString()}\r\nCall-ID: rel-call\r\nCSeq: ${seq} PRACK\r\n` +
    `RAck: ${rack}\r\nContent-Length: 0\r\n\r\n`
  );
}

describe('RFC 3262 as the caller: PRACK for reliable provisional responses', () => {
  it('offers 100rel, PRACKs each new reliable 1xx in its early dialog, ignores retransmissions and gaps, and takes the early answer as final', async () => {
    const t = await phone();
    t.serve((request) => (request.method === 'PRACK' ? responseTo(request, 200) : undefined));
    const call = t.ua.call('bob');
    await t.flush();
    const invite = t.requests('INVITE')[0]!;
    assert.ok(invite.headers('Supported').includes('100rel'), '§4: Supported: 100rel in the INVITE');
    const answer = await new FakeMediaSession({}).applyOffer(invite.body);
    const session183 = provisional(invite, 183, 'f1', 41, answer);
    t.inject(session183.toString());
    await t.flush();
    let pracks = t.requests('PRACK');
    assert.equal(pracks.length, 1);
    assert.equal(pracks[0]!.header('RAck'), '41 1 INVITE');
    assert.equal(pracks[0]!.cseq.seq, 2, "the early dialog's next CSeq");
    assert.equal(pracks[0]!.to.tag, 'f1');
    assert.equal(pracks[0]!.uri.toString(), 'sip:f1@far.invalid;transport=ws', "to the 1xx's Contact");
    assert.equal(pracks[0]!.header('Route'), '<sip:proxy.example.test;lr>', 'through the route set of the 1xx');
    assert.equal(call.state, 'early');
    assert.deepEqual(t.media.sessions[0]!.calls.at(-1), { op: 'applyAnswer', sdp: answer, provisional: true });

    t.inject(session183.toString()); // a retransmission: same RSeq
    t.inject(provisional(invite, 180, 'f1', 43).toString()); // a gap: 42 is missing
    await t.flush();
    assert.equal(t.requests('PRACK').length, 1, '§4: neither a retransmission nor an out-of-order 1xx is PRACKed');

    t.inject(provisional(invite, 180, 'f1', 42).toString());
    await t.flush();
    pracks = t.requests('PRACK');
    assert.equal(pracks.length, 2);
    assert.equal(pracks[1]!.header('RAck'), '42 1 INVITE');
    assert.equal(pracks[1]!.cseq.seq, 3);

    // §5: the 2xx of the fork that answered in a reliable 1xx carries no SDP: the early answer is final.
    const ok = provisional(invite, 200, 'f1');
    t.inject(ok.toString());
    await t.flush();
    assert.equal(call.state, 'connected');
    assert.deepEqual(t.media.sessions[0]!.calls.at(-1), { op: 'applyAnswer', sdp: answer, provisional: false });
    const ack = t.requests('ACK')[0]!;
    assert.equal(ack.cseq.seq, 1, "the ACK has the INVITE's CSeq, whatever the PRACKs took");
  });

  it('numbers each fork on its own and PRACKs each in its own dialog', async () => {
    const t = await phone();
    t.serve((request) => (request.method === 'PRACK' ? responseTo(request, 200) : undefined));
    t.ua.call('bob');
    await t.flush();
    const invite = t.requests('INVITE')[0]!;
    t.inject(provisional(invite, 180, 'a', 100).toString());
    t.inject(provisional(invite, 180, 'b', 9).toString());
    t.inject(provisional(invite, 183, 'b', 10).toString());
    await t.flush();
    const pracks = t.requests('PRACK').map((prack) => `${prack.to.tag} ${prack.header('RAck')} CSeq ${prack.cseq.seq}`);
    assert.deepEqual(pracks, ['a 100 1 INVITE CSeq 2', 'b 9 1 INVITE CSeq 2', 'b 10 1 INVITE CSeq 3']);
  });

  it("plays early media from reliable 183s of two forks, and a 2xx without SDP from the second takes that fork's answer", async () => {
    const t = await phone();
    t.serve((request) => (request.method === 'PRACK' ? responseTo(request, 200) : undefined));
    const call = t.ua.call('bob');
    await t.flush();
    const invite = t.requests('INVITE')[0]!;
    const first = await new FakeMediaSession({ name: 'a' }).applyOffer(invite.body);
    const second = await new FakeMediaSession({ name: 'b' }).applyOffer(invite.body);
    t.inject(provisional(invite, 183, 'a', 5, first).toString());
    await t.flush();
    t.inject(provisional(invite, 183, 'b', 70, second).toString());
    await t.flush();
    assert.deepEqual(
      t.requests('PRACK').map((prack) => `${prack.to.tag} ${prack.header('RAck')}`),
      ['a 5 1 INVITE', 'b 70 1 INVITE'],
    );
    const applied = () => t.media.sessions[0]!.calls.filter((c) => c.op === 'applyAnswer');
    assert.deepEqual(
      applied().map((c) => c.op === 'applyAnswer' && c.sdp),
      [first, second],
      'early media follows the latest fork, as with plain 183s',
    );
    t.inject(provisional(invite, 200, 'b').toString());
    await t.flush();
    assert.equal(call.state, 'connected');
    assert.deepEqual(applied().at(-1), { op: 'applyAnswer', sdp: second, provisional: false });
    assert.equal(call.dialog?.remoteTag, 'b');
  });

  it('acknowledges a retransmitted 1xx again when its PRACK failed', async () => {
    const t = await phone();
    let status = 503;
    t.serve((request) => (request.method === 'PRACK' ? responseTo(request, status) : undefined));
    t.ua.call('bob');
    await t.flush();
    const ringing = provisional(t.requests('INVITE')[0]!, 180, 'f1', 1);
    t.inject(ringing.toString());
    await t.flush();
    status = 200;
    t.inject(ringing.toString());
    await t.flush();
    t.inject(ringing.toString());
    await t.flush();
    assert.deepEqual(
      t.requests('PRACK').map((prack) => prack.header('RAck')),
      ['1 1 INVITE', '1 1 INVITE'],
      'once more after the 503, then no more',
    );
  });

  it(`sends at most ${MAX_PRACKS_PER_CALL} PRACKs in one call, however many in-order reliable 1xx come`, async () => {
    const t = await phone();
    t.serve((request) => (request.method === 'PRACK' ? responseTo(request, 200) : undefined));
    t.ua.call('bob');
    await t.flush();
    const invite = t.requests('INVITE')[0]!;
    for (let rseq = 1; rseq <= MAX_PRACKS_PER_CALL + 20; rseq++)
      t.inject(provisional(invite, 180, 'f1', rseq).toString());
    await t.flush();
    assert.equal(t.requests('PRACK').length, MAX_PRACKS_PER_CALL);
  });

  it('treats a 1xx whose RSeq is malformed or out of range as unreliable: no PRACK', async () => {
    const t = await phone();
    t.ua.call('bob');
    await t.flush();
    const invite = t.requests('INVITE')[0]!;
    for (const [tag, rseq] of [
      ['x', '0'],
      ['y', '4294967296'],
      ['z', '12a'],
    ] as const) {
      const response = provisional(invite, 180, tag, 1);
      response.setHeader('RSeq', rseq);
      t.inject(response.toString());
    }
    await t.flush();
    assert.equal(t.requests('PRACK').length, 0);
  });
});

describe('RFC 3262 as the callee: reliable provisional responses', () => {
  it('sends reliable 1xx only when the INVITE requires 100rel', async () => {
    const t = await phone();
    await incomingInvite(t, 'Supported: 100rel\r\n');
    const ringing = t.responses().find((r) => r.status === 180)!;
    assert.equal(ringing.header('RSeq'), undefined);
    assert.ok(!ringing.headers('Require').includes('100rel'));
  });

  it('retransmits the reliable 180 at T1, 2T1, 4T1 until its PRACK, answers the PRACK 200 and a wrong RAck 481', async () => {
    const t = await phone();
    await incomingInvite(t, 'Require: 100rel\r\n');
    const ringing = () => t.responses().filter((r) => r.status === 180);
    const first = ringing()[0]!;
    assert.ok(first.headers('Require').includes('100rel'));
    const rseq = Number(first.header('RSeq'));
    assert.ok(rseq >= 1 && rseq < 2 ** 31, `§3: RSeq ${rseq} in 1..2^31-1`);
    t.clock.advance(500);
    await t.flush();
    t.clock.advance(1000);
    await t.flush();
    assert.equal(ringing().length, 3, 'sent, then at T1 and 2T1');
    assert.ok(
      ringing().every((r) => r.header('RSeq') === String(rseq)),
      'a retransmission keeps its RSeq',
    );
    t.inject(prackFor(first, 8, `${rseq + 1} 7 INVITE`));
    t.inject(prackFor(first, 9, `${rseq} 6 INVITE`));
    t.inject(prackFor(first, 10));
    await t.flush();
    const prackAnswers = t
      .responses()
      .filter((r) => r.cseq.method === 'PRACK')
      .map((r) => r.status);
    assert.deepEqual(prackAnswers, [481, 481, 200]);
    t.clock.advance(30000);
    await t.flush();
    assert.equal(ringing().length, 3, 'the PRACK stopped the retransmissions');
  });

  it('rejects the INVITE with a 5xx and ends the call when no PRACK comes within 64*T1 (§3)', async () => {
    const t = await phone();
    const incoming = await incomingInvite(t, 'Require: 100rel\r\n');
    for (let i = 0; i < 40; i++) {
      t.clock.advance(1000);
      await t.flush();
    }
    const final = t.responses().find((r) => r.status >= 200 && r.cseq.method === 'INVITE');
    assert.equal(final?.status, 500);
    assert.equal(incoming.ended?.cause, 'failed');
    const count = t.responses().filter((r) => r.status === 180).length;
    assert.ok(count >= 6 && count <= 8, `T1 doubling: ${count} sends in 32 s`);
  });

  it('sends the early-media 183 only after the 180 is PRACKed, holds the 200 until the 183 is PRACKed, and puts no SDP in it (§3, §5)', async () => {
    const t = await phone();
    const incoming = await incomingInvite(t, 'Require: 100rel\r\n');
    const early = incoming.earlyMedia();
    await t.flush();
    await early;
    const of = (status: number) => t.responses().filter((r) => r.status === status && r.cseq.method === 'INVITE');
    assert.equal(of(183).length, 0, '§3: no second reliable 1xx before the first is PRACKed');
    const ringing = of(180)[0]!;
    t.inject(prackFor(ringing, 8));
    await t.flush();
    const progress = of(183)[0]!;
    assert.equal(Number(progress.header('RSeq')), Number(ringing.header('RSeq')) + 1);
    assert.match(progress.body, /^v=0/, 'the 183 carries our answer');
    assert.equal(incoming.state, 'incoming');

    const answered = incoming.answer();
    await t.flush();
    assert.equal(of(200).length, 0, '§3: no 2xx while the 183 with SDP waits for its PRACK');
    t.inject(prackFor(progress, 9));
    await t.flush();
    await answered;
    const ok = of(200)[0]!;
    assert.ok(ok, 'the 200 went once the PRACK came');
    assert.equal(ok.body, '', '§5: the answer was in the 183; the 200 has no SDP');
    assert.equal(incoming.state, 'connected');
    assert.equal(t.media.sessions.length, 1, "the early session is the call's session");
  });

  it('acknowledges a PRACK that carries a new offer, and refuses the offer with 488 (§5)', async () => {
    const t = await phone();
    await incomingInvite(t, 'Require: 100rel\r\n');
    const ringing = t.responses().find((r) => r.status === 180)!;
    const offer = await new FakeMediaSession({}).createOffer();
    const prack = prackFor(ringing, 8).replace(
      'Content-Length: 0\r\n\r\n',
      `Content-Type: application/sdp\r\nContent-Length: ${offer.length}\r\n\r\n${offer}`,
    );
    t.inject(prack);
    await t.flush();
    assert.deepEqual(
      t
        .responses()
        .filter((r) => r.cseq.method === 'PRACK')
        .map((r) => r.status),
      [488],
    );
    const count = t.responses().filter((r) => r.status === 180).length;
    t.clock.advance(8000);
    await t.flush();
    assert.equal(t.responses().filter((r) => r.status === 180).length, count, 'the 180 counts as acknowledged');
  });

  it('sends the 200 at once when only a 1xx without SDP waits for its PRACK, stops retransmitting it, and still answers its late PRACK', async () => {
    const t = await phone();
    const incoming = await incomingInvite(t, 'Require: 100rel\r\n');
    const answered = incoming.answer();
    await t.flush();
    await answered;
    const ok = t.responses().find((r) => r.status === 200)!;
    assert.match(ok.body, /^v=0/, 'the answer goes in the 200');
    const count = t.responses().filter((r) => r.status === 180).length;
    t.clock.advance(4000);
    await t.flush();
    assert.equal(t.responses().filter((r) => r.status === 180).length, count);
    // §3: a PRACK for it that comes after the 2xx is still answered.
    t.inject(
      prackFor(
        t.responses().find((r) => r.status === 180)!,
        8,
      ),
    );
    await t.flush();
    assert.deepEqual(
      t
        .responses()
        .filter((r) => r.cseq.method === 'PRACK')
        .map((r) => r.status),
      [200],
    );
    assert.equal(incoming.state, 'connected');
  });
});

/** An UPDATE with the SDP `offer` in an early dialog: `from` and `to` as the sender writes them (RFC 3311 §5.1). */
function updateWith(offer: string, from: string, to: string, callId: string, seq: number): string {
  return (
    `UPDATE sip:alice@example.test SIP/2.0\r\nVia: SIP/2.0/WS far.invalid;branch=z9hG4bKupdate${seq}\r\nMax-Forwards: 70\r\n` +
    `From: ${from}\r\nTo: ${to}\r\nCall-ID: ${callId}\r\nCSeq: ${seq} UPDATE\r\nContact: <sip:bob@far.invalid;transport=ws>\r\n` +
    `Content-Type: application/sdp\r\nContent-Length: ${new TextEncoder().encode(offer).length}\r\n\r\n${offer}`
  );
}

const holdOffer = () => {
  const far = new FakeMediaSession({});
  far.hold();
  return far.createOffer();
};

describe('UPDATE with an offer in an early dialog, once the initial offer/answer is complete (RFC 3311 §5.1, RFC 3262 §5)', () => {
  it('as the callee: 500 while our reliable 183 awaits its PRACK, answered in the 200 once it came; the 200 to the INVITE then carries no SDP', async () => {
    const t = await phone();
    const incoming = await incomingInvite(t, 'Require: 100rel\r\n');
    const early = incoming.earlyMedia();
    await t.flush();
    await early;
    const of = (status: number, method = 'INVITE') =>
      t.responses().filter((r) => r.status === status && r.cseq.method === method);
    t.inject(prackFor(of(180)[0]!, 8));
    await t.flush();
    const progress = of(183)[0]!;
    const update = async (seq: number) => {
      t.inject(updateWith(await holdOffer(), '<sip:bob@example.test>;tag=b1', progress.to.toString(), 'rel-call', seq));
      await t.flush();
      return t.responses().filter((r) => r.cseq.method === 'UPDATE' && r.cseq.seq === seq)[0]!;
    };
    const early500 = await update(9);
    assert.equal(
      early500.status,
      500,
      "our answer in the 183 is not known to have arrived: the INVITE's offer is still open",
    );
    assert.match(early500.header('Retry-After') ?? '', /^([0-9]|10)$/);

    t.inject(prackFor(progress, 10));
    await t.flush();
    const ok = await update(11);
    assert.equal(ok.status, 200);
    assert.match(ok.body, /a=recvonly/, 'the answer to the hold offer');
    const media = t.media.sessions[0]!;
    assert.equal(media.calls.at(-1)!.op, 'applyOffer');
    assert.equal(incoming.state, 'incoming', 'an UPDATE does not answer the call');

    const answered = incoming.answer();
    await t.flush();
    await answered;
    assert.equal(of(200)[0]!.body, '', 'the session was agreed in the early dialog: no SDP in the 200');
    assert.equal(incoming.state, 'connected');
    assert.equal(t.media.sessions.length, 1);
  });

  it('as the caller: 491 while the far end has not answered reliably, answered once a reliable 183 brought its answer; its 2xx then confirms that session', async () => {
    const t = await phone();
    t.serve((request) => (request.method === 'PRACK' ? responseTo(request, 200) : undefined));
    const call = t.ua.call('bob');
    await t.flush();
    const invite = t.requests('INVITE')[0]!;
    const answer = await new FakeMediaSession({}).applyOffer(invite.body);
    const update = async (seq: number) => {
      t.inject(
        updateWith(await holdOffer(), '<sip:bob@example.test>;tag=f1', invite.from.toString(), invite.callId, seq),
      );
      await t.flush();
      return t.responses().filter((r) => r.cseq.method === 'UPDATE' && r.cseq.seq === seq)[0]!;
    };
    t.inject(provisional(invite, 180, 'f1').toString()); // an early dialog, no answer yet
    await t.flush();
    assert.equal((await update(1)).status, 491, "our INVITE's offer is unanswered (§5.2)");

    t.inject(provisional(invite, 183, 'f1', 1, answer).toString());
    await t.flush();
    assert.equal(t.requests('PRACK').length, 1);
    const ok = await update(2);
    assert.equal(ok.status, 200);
    assert.match(ok.body, /a=recvonly/);
    const media = t.media.sessions[0]!;
    assert.deepEqual(
      media.calls.slice(-2).map((c) => (c.op === 'applyAnswer' ? `${c.op} ${c.provisional}` : c.op)),
      ['applyAnswer false', 'applyOffer'],
      'the early answer became final, then the new offer was answered',
    );
    assert.equal(call.state, 'early');

    t.inject(provisional(invite, 200, 'f1').toString());
    await t.flush();
    assert.equal(call.state, 'connected', 'the 2xx confirms the session the UPDATE changed (no answer applied twice)');
    assert.equal(media.calls.at(-1)!.op, 'applyOffer');
    assert.equal(t.requests('BYE').length, 0);
  });
});

describe('RAck', () => {
  it('reads RSeq, CSeq number and method, and nothing else', () => {
    assert.deepEqual(parseRAck(' 776656 1 INVITE'), { rseq: 776656, seq: 1, method: 'INVITE' });
    assert.equal(parseRAck('1 INVITE'), undefined);
    assert.equal(parseRAck(`${'9'.repeat(11)} 1 INVITE`), undefined);
    assert.equal(parseRAck(undefined), undefined);
  });
});
