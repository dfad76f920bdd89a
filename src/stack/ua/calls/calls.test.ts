import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../message/parser';
import type { CallEndInfo } from './call-types';
import { history, sent, twoPhones } from './calls.fixtures';

function ended(call: { events: { on(name: 'ended', fn: (info: CallEndInfo) => void): unknown } }): CallEndInfo[] {
  const out: CallEndInfo[] = [];
  call.events.on('ended', (info) => out.push(info));
  return out;
}

describe('calls (RFC 3261 §13–15, RFC 3264)', () => {
  it('rings, answers with an SDP answer, ACKs, and ends with BYE from the caller', async () => {
    const { alice, bob, pair, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    const states = history(call);
    await flush();
    const incoming = bob.incoming[0];
    assert.ok(incoming, 'bob sees the call');
    assert.equal(incoming.remote.displayName, 'alice');
    assert.equal(call.state, 'ringing');
    await incoming.answer();
    await flush();
    assert.equal(call.state, 'connected');
    assert.equal(incoming.state, 'connected');
    assert.equal(sent(pair.a, 'ACK').length, 1);
    const [aliceMedia] = alice.media.sessions;
    assert.ok(aliceMedia?.remoteDescription?.includes('m=audio'), "the answer reached alice's media");
    const bobEnded = ended(incoming);
    await call.hangup();
    await flush();
    assert.deepEqual(states, ['calling', 'ringing', 'connected', 'ended']);
    assert.deepEqual(
      bobEnded.map((e) => e.cause),
      ['remote-hangup'],
    );
    assert.equal(call.ended?.cause, 'hangup');
    assert.ok(aliceMedia!.closed && bob.media.sessions[0]!.closed, 'both media sessions closed');
    assert.deepEqual(alice.ua.calls, []);
    assert.deepEqual(bob.ua.calls, []);
  });

  it('ends with the status of a decline: 603 declined, 486 busy', async () => {
    const { alice, bob, flush } = await twoPhones();
    const first = alice.ua.call('bob');
    await flush();
    bob.incoming[0]!.decline();
    await flush();
    assert.deepEqual(first.ended, { cause: 'declined', status: 603, reason: 'Decline' });
    const second = alice.ua.call('bob');
    await flush();
    bob.incoming[1]!.decline(486);
    await flush();
    assert.equal(second.ended?.cause, 'busy');
    assert.equal(second.ended?.status, 486);
  });

  it('declines with 488 Not Acceptable Here when the application cannot take part in any session (no WebRTC)', async () => {
    const { alice, bob, pair, flush } = await twoPhones();
    // Decided during the incoming-call event, as <sip-phone> does where calls cannot work.
    bob.ua.events.on('incoming-call', (incoming) => incoming.decline(488));
    const call = alice.ua.call('bob');
    const states = history(call);
    await flush();
    const incoming = bob.incoming[0]!;
    assert.equal(sent(pair.b, 'SIP/2.0 488 Not Acceptable Here').length, 1, 'bob answers the INVITE with 488');
    assert.deepEqual(sent(pair.b, 'SIP/2.0 180'), [], 'and never rang: no 180 for a call declined at once');
    assert.deepEqual(states, ['calling', 'ended']);
    assert.deepEqual(incoming.ended, { cause: 'declined', status: 488, reason: undefined });
    assert.deepEqual(call.ended, { cause: 'rejected', status: 488, reason: 'Not Acceptable Here' });
    assert.equal(bob.media.sessions.length, 0, 'no media session was made for it');
  });

  it('rings (180) once the incoming-call listeners have run, also for a call they answer at once', async () => {
    const { alice, bob, pair, flush } = await twoPhones();
    bob.ua.events.on('incoming-call', (incoming) => void incoming.answer());
    const call = alice.ua.call('bob');
    const states = history(call);
    await flush();
    const ringing = sent(pair.b, 'SIP/2.0 180');
    assert.equal(ringing.length, 1);
    assert.ok(
      pair.b.sent.indexOf(ringing[0]!) < pair.b.sent.indexOf(sent(pair.b, 'SIP/2.0 200')[0]!),
      '180 before the 200',
    );
    assert.deepEqual(states, ['calling', 'ringing', 'connected']);
  });

  it('CANCELs before the answer: the callee ends with 487, the caller as canceled', async () => {
    const { alice, bob, pair, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    const incoming = bob.incoming[0]!;
    await call.hangup();
    await flush();
    assert.equal(sent(pair.a, 'CANCEL').length, 1);
    assert.deepEqual(incoming.ended, { cause: 'remote-canceled', status: 487, reason: undefined });
    assert.equal(call.ended?.cause, 'canceled');
    assert.equal(call.ended?.status, 487);
    assert.equal(sent(pair.b, 'SIP/2.0 487').length, 1);
  });

  it('holds with a re-INVITE (sendonly / recvonly), both sides show held, and resumes', async () => {
    const { alice, bob, pair, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    const incoming = bob.incoming[0]!;
    await incoming.answer();
    await flush();
    const holding = call.hold();
    await flush();
    await holding;
    const reinvite = parseMessage(sent(pair.a, 'INVITE').at(-1)!);
    assert.match(reinvite.body, /a=sendonly/);
    assert.ok(reinvite.headers('Allow').includes('INVITE'), 'a re-INVITE says what we allow, too');
    assert.equal(call.state, 'held');
    assert.equal(incoming.state, 'held');
    assert.equal(incoming.remoteHold, true);
    const resuming = call.unhold();
    await flush();
    await resuming;
    assert.equal(call.state, 'connected');
    assert.equal(incoming.state, 'connected');
    assert.equal(sent(pair.a, 'INVITE').length, 3, 'the INVITE and two re-INVITEs');
  });

  it('resolves glare: both re-INVITE at once, each gets 491 and one retries after the §14.1 wait', async () => {
    const { alice, bob, clock, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    const incoming = bob.incoming[0]!;
    await incoming.answer();
    await flush();
    const a = call.hold();
    const b = incoming.hold();
    await flush();
    // Step time so each side's retry goes out when its own §14.1 timer fires.
    for (let ms = 0; ms < 8000; ms += 100) {
      clock.advance(100);
      await flush();
    }
    const outcomes = await Promise.allSettled([a, b]);
    assert.ok(
      outcomes.every((o) => o.status === 'fulfilled'),
      JSON.stringify(outcomes),
    );
    assert.equal(call.localHold && incoming.localHold, true);
    assert.equal(call.state, 'held');
  });

  it('sends DTMF by INFO (application/dtmf-relay) when RFC 4733 was not negotiated, in order', async () => {
    const { alice, bob, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    const incoming = bob.incoming[0]!;
    const digits: string[] = [];
    incoming.events.on('dtmf', ({ digit, via }) => digits.push(`${digit}/${via}`));
    await incoming.answer();
    await flush();
    const sending = call.sendDtmf('12#', { mode: 'info' });
    await flush();
    await sending;
    assert.deepEqual(digits, ['1/info', '2/info', '#/info']);
    await assert.rejects(call.sendDtmf('x'), RangeError);
  });

  it('blind transfer: the peer accepts the REFER, calls the target, reports by NOTIFY, and the transferor leaves', async () => {
    const { alice, bob, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    const incoming = bob.incoming[0]!;
    await incoming.answer();
    await flush();
    const progress: number[] = [];
    incoming.events.on('transfer-progress', ({ status }) => progress.push(status));
    call.events.on('refer', (refer) => {
      assert.equal(refer.target, 'sip:carol@example.test');
      refer.accept();
    });
    const transferring = incoming.transfer('carol');
    await flush();
    await transferring;
    // With no proxy the referred call to carol lands at bob's user agent again: answer it there.
    const referred = bob.incoming[1];
    assert.ok(referred, 'alice called the transfer target');
    // Answering holds bob's other call first (call waiting), so time must run meanwhile.
    const answering = referred.answer();
    await flush();
    await answering;
    await flush();
    assert.deepEqual(progress, [100, 200]);
    assert.equal(incoming.ended?.cause, 'transferred');
    assert.equal(call.ended?.cause, 'remote-hangup');
    assert.equal(referred.state, 'connected');
  });

  it('declines a REFER nobody accepts with 603', async () => {
    const { alice, bob, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    await bob.incoming[0]!.answer();
    await flush();
    const refused = assert.rejects(
      bob.incoming[0]!.transfer('carol'),
      (e: Error & { status?: number }) => e.status === 603,
    );
    await flush();
    await refused;
    assert.equal(call.state, 'connected');
  });

  it('call waiting: answering a second call holds the first', async () => {
    const { alice, bob, flush } = await twoPhones();
    const first = alice.ua.call('bob');
    await flush();
    await bob.incoming[0]!.answer();
    await flush();
    const second = alice.ua.call('bob');
    await flush();
    const answering = bob.incoming[1]!.answer();
    await flush();
    await answering;
    await flush();
    assert.equal(bob.incoming[0]!.localHold, true);
    assert.equal(bob.incoming[0]!.state, 'held');
    assert.equal(first.state, 'held');
    assert.equal(second.state, 'connected');
  });
});
