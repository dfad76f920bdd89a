// Issue 5's proof: two phones in a real browser (fake devices, real WebRTC) call each other through
// a real Kamailio with digest auth; getStats shows media both ways, hold stops it in the held
// direction and unhold brings it back; DTMF by INFO arrives; a blind transfer reaches a third
// phone, and an attended transfer (Replaces) joins two of alice's peers; CANCEL and decline end
// with the right status. Runs in Chromium and in Firefox.
import { expect } from '@open-wc/testing';
import type { Call } from '../../src/stack/ua/calls/call';
import type { CallEndInfo } from '../../src/stack/ua/calls/call-types';
import { closeAll, growth, waitForGrowth, waitForStill } from './media-test-helpers';
import { kamailio, mediaOf, registeredPhone, stateOf, within, type TestPhone } from './phone-fixtures';
import { describeNeedingWebRTC } from './webrtc-capability';

function ended(call: {
  events: { on(name: 'ended', fn: (info: CallEndInfo) => void): () => void };
}): Promise<CallEndInfo> {
  return within(10000, 'the call to end', new Promise((resolve) => call.events.on('ended', resolve)));
}

describeNeedingWebRTC('calls through Kamailio', function () {
  this.timeout(60000);
  let alice: TestPhone;
  let bob: TestPhone;
  let carol: TestPhone;

  before(async () => {
    const server = await kamailio();
    [alice, bob, carol] = await Promise.all([
      registeredPhone(server, 'alice'),
      registeredPhone(server, 'bob'),
      registeredPhone(server, 'carol'),
    ]);
  });

  after(async () => {
    await Promise.allSettled([alice?.ua.stop(), bob?.ua.stop(), carol?.ua.stop()]);
    closeAll();
  });

  it('connects with media flowing both ways, holds and resumes, carries INFO DTMF, and hangs up', async () => {
    const call = alice.ua.call('bob');
    const incoming = await bob.nextIncoming();
    expect(incoming.remote.displayName).to.equal('Alice');
    await stateOf(call, 'ringing');
    await incoming.answer();
    await stateOf(call, 'connected');
    await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio at alice');
    await waitForGrowth(mediaOf(incoming), 'audio', 'bytesReceived', 'audio at bob');

    // Alice holds: she stays sendonly, bob goes recvonly, so nothing reaches alice while held.
    await call.hold();
    expect(call.state).to.equal('held');
    await stateOf(incoming, 'held');
    await waitForStill(mediaOf(call), 'audio', 'packetsReceived', 'bob to stop sending');
    expect(await growth(mediaOf(call), 'audio', 'packetsReceived')).to.equal(0);
    await call.unhold();
    await stateOf(incoming, 'connected');
    await waitForGrowth(mediaOf(call), 'audio', 'packetsReceived', 'audio at alice after unhold');

    const digits: string[] = [];
    incoming.events.on('dtmf', ({ digit }) => digits.push(digit));
    await call.sendDtmf('4#', { mode: 'info' });
    expect(digits).to.deep.equal(['4', '#']);

    const bobEnd = ended(incoming);
    await call.hangup();
    expect((await bobEnd).cause).to.equal('remote-hangup');
  });

  it('adds video to an audio call by re-INVITE and removes it again', async () => {
    const call = alice.ua.call('bob', { audio: true, video: false });
    const incoming = await bob.nextIncoming();
    await incoming.answer({ audio: true, video: true });
    await stateOf(call, 'connected');
    await call.setVideo(true);
    await waitForGrowth(mediaOf(incoming), 'video', 'framesDecoded', 'video frames from alice at bob');
    await waitForGrowth(mediaOf(call), 'video', 'framesDecoded', 'video frames from bob at alice');
    await call.setVideo(false);
    await waitForStill(mediaOf(incoming), 'video', 'framesDecoded', "alice's video to stop at bob");
    expect(await growth(mediaOf(incoming), 'video', 'framesDecoded')).to.equal(0);
    await waitForGrowth(mediaOf(incoming), 'audio', 'bytesReceived', 'audio goes on without video');
    const bobEnd = ended(incoming);
    await call.hangup();
    await bobEnd;
  });

  it('blind transfer: bob refers alice to carol, alice reaches carol with media, bob leaves', async () => {
    const call = alice.ua.call('bob');
    const incoming = await bob.nextIncoming();
    await incoming.answer();
    await stateOf(call, 'connected');
    let referredCall: Parameters<Parameters<typeof call.events.on<'referred-call'>>[1]>[0] | undefined;
    call.events.on('refer', (refer) => refer.accept());
    call.events.on('referred-call', (c) => (referredCall = c));
    const bobDone = ended(incoming);
    await incoming.transfer('carol');
    const atCarol = await carol.nextIncoming();
    expect(atCarol.remote.uri).to.contain('alice');
    await atCarol.answer();
    expect((await bobDone).cause).to.equal('transferred');
    expect(referredCall, 'the referred call').to.not.equal(undefined);
    await waitForGrowth(mediaOf(atCarol), 'audio', 'bytesReceived', 'audio at carol from alice');
    const carolEnd = ended(atCarol);
    await alice.ua.calls.at(-1)!.hangup();
    await carolEnd;
  });

  it('attended transfer: alice hands bob over to carol (Replaces), carol replaces her call with alice, bob and carol talk', async () => {
    const x = alice.ua.call('bob');
    const xAtBob = await bob.nextIncoming();
    await xAtBob.answer();
    await stateOf(x, 'connected');
    const y = alice.ua.call('carol');
    const yAtCarol = await carol.nextIncoming();
    await yAtCarol.answer();
    await stateOf(y, 'connected');
    xAtBob.events.on('refer', (refer) => refer.accept());
    const atBob = new Promise<Call>((resolve) => xAtBob.events.on('referred-call', resolve));
    const atCarol = within(
      10000,
      'the replacing call at carol',
      new Promise<Call>((resolve) => yAtCarol.events.on('replaced', resolve)),
    );
    const [xEnd, yEnd, yAtCarolEnd] = [ended(x), ended(y), ended(yAtCarol)];
    await x.transfer(y);
    expect((await xEnd).cause).to.equal('transferred');
    expect((await yEnd).cause).to.equal('remote-hangup');
    expect((await yAtCarolEnd).cause).to.equal('replaced');
    const [bobToCarol, carolWithBob] = await Promise.all([atBob, atCarol]);
    await stateOf(bobToCarol, 'connected');
    expect(carolWithBob.state).to.equal('connected');
    expect(carolWithBob.remote.uri).to.contain('bob');
    await waitForGrowth(mediaOf(carolWithBob), 'audio', 'bytesReceived', 'audio at carol from bob');
    await waitForGrowth(mediaOf(bobToCarol), 'audio', 'bytesReceived', 'audio at bob from carol');
    const carolEnd = ended(carolWithBob);
    await bobToCarol.hangup();
    expect((await carolEnd).cause).to.equal('remote-hangup');
  });

  it('ends with 487 when the caller cancels, and with the decline status otherwise', async () => {
    const canceled = alice.ua.call('bob');
    const ringing = await bob.nextIncoming();
    await stateOf(canceled, 'ringing');
    const atBob = ended(ringing);
    const atAlice = ended(canceled);
    await canceled.hangup();
    expect(await atBob).to.include({ cause: 'remote-canceled', status: 487 });
    expect(await atAlice).to.include({ cause: 'canceled', status: 487 });

    const declined = alice.ua.call('bob');
    const second = await bob.nextIncoming();
    const declinedEnd = ended(declined);
    second.decline(486);
    expect(await declinedEnd).to.include({ cause: 'busy', status: 486 });
  });
});
