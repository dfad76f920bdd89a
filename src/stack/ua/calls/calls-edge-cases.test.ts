import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../message/parser';
import type { SipRequest } from '../../message/message';
import { FakeMediaSession } from '../media-session.fake';
import { sent, twoPhones } from './calls.fixtures';

const startLine = (text: string) => text.slice(0, text.indexOf('\r\n'));

describe('calls: the edges (RFC 3261 §9.1, §13.3.1.4, §13.2.1, RFC 3264)', () => {
  it('retransmits the 200 until the ACK comes (§13.3.1.4), over a reliable transport too', async () => {
    const { alice, bob, pair, clock, flush } = await twoPhones();
    alice.ua.call('bob');
    await flush();
    const incoming = bob.incoming[0]!;
    const undrop = pair.a.drop((text) => text.startsWith('ACK '));
    await incoming.answer();
    await flush();
    clock.advance(500 + 1000 + 2000);
    await flush();
    assert.equal(sent(pair.b, 'SIP/2.0 200').length, 4, 'sent, then at T1, 2T1, 4T1');
    undrop();
    clock.advance(4000);
    await flush();
    const count = sent(pair.b, 'SIP/2.0 200').length;
    clock.advance(16000);
    await flush();
    assert.equal(sent(pair.b, 'SIP/2.0 200').length, count, 'the ACK stopped retransmission');
    assert.equal(incoming.state, 'connected');
  });

  it('ends a call whose 200 is never ACKed after 64*T1 with BYE', async () => {
    const { alice, bob, pair, clock, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    pair.a.drop((text) => text.startsWith('ACK '));
    const incoming = bob.incoming[0]!;
    await incoming.answer();
    await flush();
    for (let i = 0; i < 40; i++) {
      clock.advance(1000);
      await flush();
    }
    assert.equal(incoming.ended?.cause, 'failed');
    assert.match(incoming.ended!.reason!, /no ACK/);
    assert.equal(sent(pair.b, 'BYE').length, 1);
    assert.equal(call.ended?.cause, 'remote-hangup');
  });

  it('a 200 that crosses the CANCEL is ACKed and ended with BYE (§9.1)', async () => {
    const { alice, bob, pair, clock, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    const incoming = bob.incoming[0]!;
    // Bob answers while alice's CANCEL is still in flight.
    pair.a.delay(50);
    await call.hangup();
    await incoming.answer();
    await flush();
    clock.advance(50);
    await flush();
    const aliceLines = pair.a.sent.map(startLine);
    assert.ok(
      aliceLines.some((l) => l.startsWith('CANCEL')),
      aliceLines.join('\n'),
    );
    assert.ok(
      aliceLines.some((l) => l.startsWith('ACK')),
      'the 200 is ACKed',
    );
    assert.ok(
      aliceLines.some((l) => l.startsWith('BYE')),
      'and the call ended with BYE',
    );
    assert.equal(call.ended?.cause, 'canceled');
    assert.ok(incoming.ended, "bob's side ended too");
  });

  it('plays early media from a 183 with SDP before the answer', async () => {
    const { alice, pair, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    const invite = parseMessage(sent(pair.a, 'INVITE')[0]!) as SipRequest;
    const ringing = parseMessage(sent(pair.b, 'SIP/2.0 180')[0]!);
    const sdp = await new FakeMediaSession({}).applyOffer(invite.body);
    const copied = ringing.headerFields.filter((f) =>
      ['via', 'from', 'to', 'call-id', 'cseq', 'contact'].includes(f.key),
    );
    pair.b.send(
      `SIP/2.0 183 Session Progress\r\n${copied.map((f) => `${f.name}: ${f.value}`).join('\r\n')}\r\n` +
        `Content-Type: application/sdp\r\nContent-Length: ${new TextEncoder().encode(sdp).length}\r\n\r\n${sdp}`,
    );
    await flush();
    assert.equal(call.state, 'early');
    assert.equal(alice.media.sessions[0]!.remoteDescription, sdp);
  });

  it('answers an INVITE without SDP with an offer in the 200 and takes the answer from the ACK (§13.2.1)', async () => {
    const { alice, pair, flush } = await twoPhones();
    // The far end (pair.b) acts as a gateway that sends an INVITE without a body to alice.
    pair.b.send(
      'INVITE sip:alice@example.test SIP/2.0\r\nVia: SIP/2.0/WS gw.invalid;branch=z9hG4bKnosdp\r\nMax-Forwards: 70\r\n' +
        'From: <sip:gw@example.test>;tag=g1\r\nTo: <sip:alice@example.test>\r\nCall-ID: nosdp\r\nCSeq: 1 INVITE\r\n' +
        'Contact: <sip:gw@gw.invalid;transport=ws>\r\nContent-Length: 0\r\n\r\n',
    );
    await flush();
    const incoming = alice.incoming[0]!;
    await incoming.answer();
    await flush();
    const ok = parseMessage(sent(pair.a, 'SIP/2.0 200')[0]!);
    assert.match(ok.body, /^v=0/, 'the 200 carries our offer');
    const answer = await new FakeMediaSession({}).applyOffer(ok.body);
    pair.b.send(
      `ACK ${ok.contact[0]!.toString().replace(/^<|>$/g, '')} SIP/2.0\r\nVia: SIP/2.0/WS gw.invalid;branch=z9hG4bKack\r\nMax-Forwards: 70\r\n` +
        `From: <sip:gw@example.test>;tag=g1\r\nTo: ${ok.to.toString()}\r\nCall-ID: nosdp\r\nCSeq: 1 ACK\r\n` +
        `Content-Type: application/sdp\r\nContent-Length: ${new TextEncoder().encode(answer).length}\r\n\r\n${answer}`,
    );
    await flush();
    assert.equal(alice.media.sessions[0]!.remoteDescription, answer, 'the answer in the ACK reached the media');
    assert.equal(incoming.state, 'connected');
  });

  it('answers a re-INVITE without SDP in a confirmed call with an offer in its 200 and takes the answer from the ACK (§14.2; Asterisk, FreeSWITCH)', async () => {
    const { alice, bob, pair, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    await bob.incoming[0]!.answer();
    await flush();
    const dialog = call.dialog!;
    const target = sent(pair.b, 'SIP/2.0 200')[0]!;
    const bobContact = parseMessage(target).contact[0]!.toString().replace(/^<|>$/g, '');
    const lines = (method: string, seq: number, branch: string) =>
      `${method} ${bobContact} SIP/2.0\r\nVia: SIP/2.0/WS ${pair.a.viaHost};branch=z9hG4bK${branch}\r\nMax-Forwards: 70\r\n` +
      `From: <sip:alice@example.test>;tag=${dialog.localTag}\r\nTo: <sip:bob@example.test>;tag=${dialog.remoteTag}\r\n` +
      `Call-ID: ${dialog.callId}\r\nCSeq: ${seq} ${method}\r\nContact: <sip:alice@${pair.a.viaHost};transport=ws>\r\n`;
    // Alice's end of the wire plays the PBX: a re-INVITE with no body.
    pair.a.send(`${lines('INVITE', 50, 'reinv')}Content-Length: 0\r\n\r\n`);
    await flush();
    const ok = parseMessage(sent(pair.b, 'SIP/2.0 200').at(-1)!);
    assert.equal(ok.cseq.method, 'INVITE');
    assert.equal(ok.cseq.seq, 50);
    assert.match(ok.body, /^v=0/m, 'the 200 carries an offer');
    const answer = await new FakeMediaSession({}).applyOffer(ok.body);
    pair.a.send(
      `${lines('ACK', 50, 'reack')}Content-Type: application/sdp\r\nContent-Length: ${new TextEncoder().encode(answer).length}\r\n\r\n${answer}`,
    );
    await flush();
    assert.equal(bob.media.sessions[0]!.remoteDescription, answer, 'the answer in the ACK reached the media');
    assert.equal(bob.incoming[0]!.state, 'connected');
  });
});

describe('calls behind a record-routing proxy (RFC 3261 §12.1.1)', () => {
  it('copies Record-Route from the INVITE into the 180 and the 200', async () => {
    const { alice, pair, flush } = await twoPhones();
    pair.b.send(
      'INVITE sip:alice@example.test SIP/2.0\r\nRecord-Route: <sip:p2.example;lr>, <sip:p1.example;lr;ftag=x>\r\n' +
        'Via: SIP/2.0/WS p2.example;branch=z9hG4bKrr\r\nMax-Forwards: 70\r\nFrom: <sip:gw@example.test>;tag=g1\r\n' +
        'To: <sip:alice@example.test>\r\nCall-ID: rr\r\nCSeq: 1 INVITE\r\nContact: <sip:gw@gw.invalid;transport=ws>\r\nContent-Length: 0\r\n\r\n',
    );
    await flush();
    await alice.incoming[0]!.answer();
    await flush();
    for (const prefix of ['SIP/2.0 180', 'SIP/2.0 200']) {
      const response = parseMessage(sent(pair.a, prefix)[0]!);
      assert.deepEqual(response.recordRoute.map(String), ['<sip:p2.example;lr>', '<sip:p1.example;lr;ftag=x>'], prefix);
    }
  });
});

describe('calls across a signalling drop (RFC 5626 §4.4, issue: resilience)', () => {
  it('keeps the call, refreshes the target with a re-INVITE on the new flow, and delivers a BYE asked for while offline', async () => {
    const { alice, bob, pair, clock, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    const incoming = bob.incoming[0]!;
    await incoming.answer();
    await flush();
    const invitesBefore = sent(pair.a, 'INVITE').length;
    pair.sever('server restarted');
    await flush();
    assert.equal(call.state, 'connected', 'a signalling drop does not end the call');
    pair.restore();
    await flush();
    clock.advance(1000); // past the callee's recovery wait
    await flush();
    // One exchange refreshes both targets: the caller re-INVITEs, the callee's 2xx leaves over its
    // own new flow, so the callee skips its own re-INVITE (no glare).
    assert.equal(sent(pair.a, 'INVITE').length, invitesBefore + 1, 'the caller re-INVITEs from its new flow');
    assert.equal(sent(pair.b, 'INVITE').length, 0, 'the callee does not collide with it');
    assert.equal(call.state, 'connected');
    assert.equal(incoming.state, 'connected');

    pair.sever('gone again');
    await flush();
    await call.hangup();
    assert.equal(call.ended?.cause, 'hangup', 'ended for the user at once');
    assert.equal(sent(pair.a, 'BYE').length, 0);
    pair.restore();
    await flush();
    clock.advance(1000);
    await flush();
    assert.equal(sent(pair.a, 'BYE').length, 1, 'the BYE went out after the reconnect');
    assert.equal(incoming.ended?.cause, 'remote-hangup');
  });
});

describe('calls: a malformed header found late', () => {
  it('answers an INVITE whose Record-Route is malformed with 400, reports it, and keeps working', async () => {
    const { alice, pair, flush } = await twoPhones();
    const bad: string[] = [];
    alice.ua.events.on('bad-message', ({ error, answered }) => bad.push(`${answered}: ${error.message}`));
    pair.b.send(
      'INVITE sip:alice@example.test SIP/2.0\r\nRecord-Route: <sip:p1.example;lr\r\n' +
        'Via: SIP/2.0/WS p2.example;branch=z9hG4bKbadrr\r\nMax-Forwards: 70\r\nFrom: <sip:gw@example.test>;tag=g1\r\n' +
        'To: <sip:alice@example.test>\r\nCall-ID: badrr\r\nCSeq: 1 INVITE\r\nContact: <sip:gw@gw.invalid;transport=ws>\r\nContent-Length: 0\r\n\r\n',
    );
    await flush();
    assert.equal(bad.length, 1, bad.join('\n'));
    assert.match(bad[0]!, /^true: /);
    assert.ok(sent(pair.a, 'SIP/2.0 400').length === 1, 'a 400 went back');
    assert.equal(alice.ua.core.transactions.size.servers, 1, 'only the INVITE transaction, now completed');
    assert.equal(
      alice.ua.core.transactions.serverTransactionFor(parseMessage(sent(pair.b, 'INVITE')[0]!) as SipRequest)?.state,
      'completed',
    );
    const call = alice.ua.call('bob');
    await flush();
    assert.notEqual(call.state, 'ended', 'the phone still places calls');
  });
});

describe('calls: ICE failure (issue: resilience)', () => {
  it('re-INVITEs with an ICE restart by itself when ICE fails, and the call goes on', async () => {
    const { alice, bob, pair, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    await bob.incoming[0]!.answer();
    await flush();
    const before = sent(pair.a, 'INVITE');
    alice.media.sessions[0]!.simulate('ice-failed');
    await flush();
    const reinvites = sent(pair.a, 'INVITE').slice(before.length);
    assert.equal(reinvites.length, 1, 'one re-INVITE');
    const offered = parseMessage(reinvites[0]!).body.match(/a=ice-ufrag:(\S+)/)?.[1];
    const original = parseMessage(before[0]!).body.match(/a=ice-ufrag:(\S+)/)?.[1];
    assert.ok(
      offered && original && offered !== original,
      `new ICE credentials: an ICE restart (RFC 8445 §9): ${original} -> ${offered}`,
    );
    assert.equal(call.state, 'connected');
  });
});

describe('calls: network change (issue: resilience)', () => {
  it('restarts ICE by re-INVITE at once when the network changes, and probes the signalling flow', async () => {
    const { alice, bob, pair, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    await bob.incoming[0]!.answer();
    await flush();
    const before = sent(pair.a, 'INVITE').length;
    let probed = 0;
    const probe = pair.a.networkChanged.bind(pair.a);
    pair.a.networkChanged = () => {
      probed += 1;
      probe();
    };
    alice.ua.networkChanged();
    await flush();
    assert.equal(probed, 1, 'the flow was probed');
    const reinvites = sent(pair.a, 'INVITE').slice(before);
    assert.equal(reinvites.length, 1);
    assert.equal(
      alice.media.sessions[0]!.calls.filter((c) => c.op === 'createOffer' && c.iceRestart).length,
      1,
      'the offer restarts ICE',
    );
    assert.equal(call.state, 'connected');
  });
});

describe('calls: one INVITE transaction at a time in a dialog (RFC 3261 §14.1)', () => {
  it('holds only once its 200 to the INVITE is ACKed', async () => {
    const { alice, bob, pair, clock, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    const undrop = pair.a.drop((text) => text.startsWith('ACK '));
    const incoming = bob.incoming[0]!;
    await incoming.answer();
    await flush();
    const held = incoming.hold();
    await flush();
    assert.equal(sent(pair.b, 'INVITE').length, 0, 'no re-INVITE while the 200 waits for its ACK');
    undrop();
    clock.advance(500); // the 200 goes again and is ACKed (§13.3.1.4, §13.2.2.4)
    await flush();
    clock.advance(50);
    await flush();
    await held;
    assert.equal(sent(pair.b, 'INVITE').length, 1);
    assert.equal(sent(pair.a, 'SIP/2.0 500').length, 0);
    assert.equal(incoming.state, 'held');
    assert.equal(call.state, 'held');
  });

  it('rejects a hold that waited for an ACK that never came, and sends no re-INVITE (§13.3.1.4)', async () => {
    const { alice, bob, pair, clock, flush } = await twoPhones();
    alice.ua.call('bob');
    await flush();
    pair.a.drop((text) => text.startsWith('ACK '));
    const incoming = bob.incoming[0]!;
    await incoming.answer();
    await flush();
    const held = incoming.hold().then(
      () => 'resolved',
      (error: Error) => error.name,
    );
    for (let i = 0; i < 40; i++) {
      clock.advance(1000);
      await flush();
    }
    assert.equal(await held, 'StateError');
    assert.equal(incoming.ended?.cause, 'failed');
    assert.equal(sent(pair.b, 'INVITE').length, 0);
  });

  it('queues the target refresh after a running hold instead of dropping it', async () => {
    const { alice, bob, pair, clock, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    await bob.incoming[0]!.answer();
    await flush();
    const before = sent(pair.a, 'INVITE').length;
    pair.b.delay(10); // bob's answers are on their way while alice recovers
    const held = call.hold();
    await flush();
    const recovered = call.recover();
    await flush();
    assert.equal(sent(pair.a, 'INVITE').length, before + 1, 'one INVITE at a time');
    for (let i = 0; i < 4; i++) {
      clock.advance(50);
      await flush();
    }
    await Promise.all([held, recovered]);
    const reinvites = sent(pair.a, 'INVITE').slice(before);
    assert.equal(reinvites.length, 2, 'the refresh went out after the hold');
    assert.match(parseMessage(reinvites[1]!).body, /a=sendonly/, 'and keeps the hold');
    assert.equal(call.state, 'held');
  });
});
