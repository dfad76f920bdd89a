// Regressions found by the two-UA fuzz test (user-agent.pair-fuzz.test.ts): each is the shrunk
// counterexample, replayed on the same rig, with the outcome the RFC asks for asserted directly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncomingCall } from './calls/incoming-call';
import { FakeMediaSession } from './media-session.fake';
import type { Call } from './calls/call';
import { PairRig, type PairStep } from './user-agent.pair-fuzz.fixtures';

const ALICE = 0;
const BOB = 1;
const deliverAll: PairStep = { t: 'flush' };

async function rig(): Promise<PairRig> {
  const r = new PairRig();
  await r.start();
  return r;
}

/** Alice's REGISTER reached the registrar and bound her, but its 200 never came back (Timer F). */
async function boundButTimedOut(): Promise<PairRig> {
  const r = await rig();
  await r.run({ t: 'api', phone: ALICE, op: 'register', call: 0, arg: 0 });
  await r.run({ t: 'deliver', queue: 0, count: 1 }); // the registrar binds alice; its 200 waits
  await r.run({ t: 'time', ms: 35_000 }); // Timer F: alice does not know
  assert.ok(r.switchboard.bindings.has('alice'));
  return r;
}

describe('regressions found by the two-UA fuzz test', () => {
  it('CANCELs a ringing call from the new flow when the connection dropped under it (RFC 3261 §9.1)', async () => {
    const r = await rig();
    await r.run({ t: 'api', phone: ALICE, op: 'call', call: 0, arg: 0 });
    await r.run(deliverAll); // bob rings, alice hears ringing
    const [bobs] = r.phones[BOB]!.calls;
    assert.equal(bobs?.state, 'incoming');
    await r.run({ t: 'drop', phone: ALICE, reconnectMs: 1000 });
    await r.quiesce();
    assert.equal(r.phones[ALICE]!.calls[0]!.state, 'ended');
    assert.equal(bobs.ended?.cause, 'remote-canceled', 'bob no longer rings for a caller who gave up');
    assert.deepEqual(r.problems(), []);
  });

  it('shows a MESSAGE sent again after a lost 200 once, not twice (RFC 3428 §7, RFC 3261 §8.2.2.2)', async () => {
    const r = await rig();
    await r.run({ t: 'api', phone: ALICE, op: 'message', call: 0, arg: 0 });
    await r.run({ t: 'deliver', queue: 0, count: 1 }); // the MESSAGE reaches the switchboard, then bob
    await r.run({ t: 'deliver', queue: 0, count: 1 });
    assert.equal(r.phones[BOB]!.received.size, 1);
    await r.run({ t: 'drop', phone: ALICE, reconnectMs: 0 }); // bob's 200 never reaches alice
    await r.quiesce();
    assert.deepEqual([...r.phones[BOB]!.received.values()], [1]);
    await r.stopAll();
    r.checkStopped();
    assert.deepEqual(r.problems(), []);
  });

  it('sends the 2xx again over the new flow when answering while disconnected (RFC 3261 §13.3.1.4)', async () => {
    const r = await rig();
    await r.run({ t: 'api', phone: BOB, op: 'call', call: 0, arg: 0 });
    await r.run(deliverAll); // alice rings
    await r.run({ t: 'drop', phone: ALICE, reconnectMs: 5000 });
    const alices = r.phones[ALICE]!.calls[0] as IncomingCall;
    await r.run({ t: 'api', phone: ALICE, op: 'answer', call: 0, arg: 0 });
    await r.quiesce();
    assert.equal(alices.state, 'connected');
    assert.equal(
      r.phones[BOB]!.calls[0]!.state,
      'connected',
      'bob got the 200 and ACKed it; no re-INVITE hit his early dialog',
    );
    assert.deepEqual(r.problems(), []);
  });

  it('sends a BYE again on the new flow when the connection dropped under it (RFC 3261 §15.1.1, RFC 5626 §4.4)', async () => {
    const r = await rig();
    await r.run({ t: 'api', phone: ALICE, op: 'call', call: 0, arg: 0 });
    await r.run(deliverAll);
    await r.run({ t: 'api', phone: BOB, op: 'answer', call: 0, arg: 0 });
    await r.run(deliverAll);
    const [bobs] = r.phones[BOB]!.calls;
    assert.equal(bobs?.state, 'connected');
    await r.run({ t: 'api', phone: ALICE, op: 'hangup', call: 0, arg: 0 });
    await r.run({ t: 'drop', phone: ALICE, reconnectMs: 1000 }); // the BYE is lost with the connection
    await r.advance(10_000, 'deliver'); // no media in the fake: only signalling can tell bob
    assert.equal(bobs.ended?.cause, 'remote-hangup');
    assert.deepEqual(r.problems(), []);
  });

  it('CANCELs and then gives up a re-INVITE whose final response was lost, so the call can renegotiate again (RFC 3261 §9.1)', async () => {
    const r = await rig();
    await r.run({ t: 'connect', phone: ALICE });
    await r.run({ t: 'api', phone: BOB, op: 'hold', call: 0, arg: 0 });
    await r.run({ t: 'api', phone: ALICE, op: 'video', call: 0, arg: 0 }); // glare: both re-INVITEs cross
    // Bob gets alice's re-INVITE and answers 100 and 491, but only the 100 reaches her: the 491
    // is lost with his connection, while his own re-INVITE still reaches her.
    for (const queue of [0, 1, 0, 7]) await r.run({ t: 'deliver', queue, count: 1 });
    await r.run({ t: 'drop', phone: BOB, reconnectMs: 0 });
    await r.quiesce();
    const alices: Call = r.phones[ALICE]!.calls[0]!;
    assert.equal((alices.media as FakeMediaSession).state.phase, 'stable');
    const cancels = r.phones[ALICE]!.transport.sent.filter((text) => text.startsWith('CANCEL '));
    assert.equal(cancels.length, 1);
    await r.run({ t: 'api', phone: ALICE, op: 'hold', call: 0, arg: 0 });
    await r.quiesce();
    assert.equal(alices.state, 'held');
    assert.deepEqual(r.problems(), []);
  });

  it('forgets the video stream of an offer rolled back after glare, so an audio-only offer of the peer is answered (RFC 3264 §8)', async () => {
    const alice = new FakeMediaSession({ name: 'alice' });
    const bob = new FakeMediaSession({ name: 'bob' });
    await alice.applyAnswer(await bob.applyOffer(await alice.createOffer()));
    bob.setVideo(true);
    await bob.createOffer(); // crosses alice's hold offer: both get 491 (RFC 3261 §14.1)
    alice.hold();
    const hold = await alice.createOffer();
    await bob.rollback();
    await alice.rollback();
    alice.hold();
    await bob.applyOffer(await alice.createOffer()); // the retry, still audio only
    assert.equal(hold.match(/^m=/gm)?.length, 1);
    assert.equal(bob.video, false);
  });

  it('registers again when a REGISTER times out (RFC 3261 §17.1.2.2 Timer F, §10.2)', async () => {
    const r = await rig();
    await r.run({ t: 'api', phone: ALICE, op: 'register', call: 0, arg: 0 });
    await r.run({ t: 'time', ms: 35_000 }); // nothing delivered: Timer F fires at 32 s
    assert.equal(r.phones[ALICE]!.ua.registered, false);
    await r.quiesce();
    assert.equal(r.phones[ALICE]!.ua.registered, true);
    assert.equal(r.switchboard.bindings.get('alice')?.flowId, r.phones[ALICE]!.transport.flowId);
  });

  it('unregisters with Expires 0 after a REGISTER timed out, which may have bound all the same (RFC 3261 §10.2.2)', async () => {
    const r = await boundButTimedOut();
    await r.run({ t: 'api', phone: ALICE, op: 'unregister', call: 0, arg: 0 });
    await r.quiesce();
    assert.equal(r.switchboard.bindings.has('alice'), false);
    assert.equal(r.phones[ALICE]!.ua.registered, false);
    assert.deepEqual(r.problems(), []);
  });

  it('stop() also unregisters after a REGISTER timed out, which may have bound all the same (RFC 3261 §10.2.2)', async () => {
    const r = await boundButTimedOut();
    await r.stopAll();
    assert.equal(r.switchboard.bindings.has('alice'), false, 'the binding is removed, not left to expire');
    assert.deepEqual(r.problems(), []);
  });
});
