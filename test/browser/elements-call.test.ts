// Calls between two <sip-phone> elements at a real Kamailio, in Chromium and Firefox: placed with
// call() and from the dial form, announced by a cancelable sip-incoming, answered from the
// <sip-call>, media proven both ways with getStats(), hold, DTMF, video in <sip-video>, hang up;
// an attended transfer between <sip-call> elements;
// and removing a phone mid-call releases the microphone and the socket with no event after.
import { expect, oneEvent } from '@open-wc/testing';
import type { SipCall, SipPhone, SipVideo } from '../../src/index';
import {
  stateOf,
  nextIncoming,
  kamailio,
  makePhone,
  recordEvents,
  removePhones,
  socketOf,
  waitFor,
  waitForMedia,
  type KamailioInfo,
} from './elements-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

const tracksOf = (call: SipCall) => {
  const media = call.call?.media as unknown as { localStream: MediaStream; remoteStream: MediaStream };
  return [...media.localStream.getTracks()];
};

describeNeedingWebRTC('<sip-phone> at Kamailio: calls', () => {
  let info: KamailioInfo;
  let alice: SipPhone;
  let bob: SipPhone;

  before(async () => {
    info = await kamailio();
  });
  beforeEach(async () => {
    alice = await makePhone(info, 'alice');
    bob = await makePhone(info, 'bob');
  });
  afterEach(removePhones);

  it('calls, rings with a cancelable sip-incoming, connects with media both ways, and hangs up', async () => {
    const ringing = nextIncoming(bob);
    const outgoing = await alice.call('bob');
    expect(outgoing.tagName).to.equal('SIP-CALL');
    expect(outgoing.parentElement).to.equal(alice);
    expect(outgoing.slot).to.equal('calls');
    const incoming = await ringing;
    expect(incoming.parentElement).to.equal(bob);
    expect(incoming.state).to.equal('incoming');
    expect(incoming.remote!.displayName).to.equal('Alice');
    await stateOf(outgoing, 'ringing');
    expect(bob.tone).to.equal('ringtone');
    expect(alice.tone).to.equal('ringback');
    await incoming.updateComplete;
    await expect(bob).to.be.accessible();

    await incoming.answer();
    await Promise.all([stateOf(outgoing, 'connected'), stateOf(incoming, 'connected')]);
    expect(alice.tone).to.equal(undefined);
    expect(bob.tone).to.equal(undefined);
    expect(outgoing.getAttribute('state')).to.equal('connected');
    expect(alice.currentCall).to.equal(outgoing);
    await waitForMedia(outgoing, 'audio', 'audio from bob to alice');
    await waitForMedia(incoming, 'audio', 'audio from alice to bob');
    await outgoing.updateComplete;
    await expect(alice).to.be.accessible();

    const endedHere = oneEvent(outgoing, 'sip-call-ended');
    const endedThere = oneEvent(incoming, 'sip-call-ended');
    await outgoing.hangup();
    expect((await endedHere).detail.cause).to.equal('hangup');
    expect((await endedThere).detail.cause).to.equal('remote-hangup');
    for (const track of tracksOf(outgoing)) expect(track.readyState).to.equal('ended');
  });

  it("attended transfer: <sip-call>.transfer(otherSipCall), bob accepts in his <sip-call>, which joins bob and carol; carol's phone shows the replacing call without sip-incoming", async () => {
    const carol = await makePhone(info, 'carol');
    const connect = async (to: SipPhone, name: string) => {
      const ringing = nextIncoming(to);
      const outgoing = await alice.call(name);
      const incoming = await ringing;
      await incoming.answer();
      await stateOf(outgoing, 'connected');
      return [outgoing, incoming] as const;
    };
    const [x, xAtBob] = await connect(bob, 'bob');
    const [y, yAtCarol] = await connect(carol, 'carol');
    const prompts = recordEvents(carol, ['sip-incoming']);
    const replaced = oneEvent(yAtCarol, 'sip-call-ended');
    const transferred = oneEvent(x, 'sip-call-ended');
    // Bob's phone asks him (transfer-policy="ask", the default): he accepts from the <sip-call>.
    const asked = oneEvent(xAtBob, 'sip-transfer-request');
    await x.transfer(y);
    expect((await asked).detail.target).to.contain(info.users.carol.user);
    await xAtBob.updateComplete;
    expect(xAtBob.shadowRoot!.querySelector('[part="transfer-target"]')!.textContent).to.contain(info.users.carol.user);
    xAtBob.shadowRoot!.querySelector<HTMLButtonElement>('[part~="accept-transfer-button"]')!.click();
    expect((await replaced).detail.cause).to.equal('replaced');
    expect((await transferred).detail.cause).to.equal('transferred');
    const newest = (phone: SipPhone) => [...phone.querySelectorAll('sip-call')].find((el) => el.state === 'connected');
    await waitFor('the replacing <sip-call> at carol', () => !!newest(carol));
    await waitFor('the referred <sip-call> at bob', () => !!newest(bob) && newest(bob) !== xAtBob);
    expect(prompts).to.deep.equal([]);
    expect(newest(carol)!.remote!.uri).to.contain('bob');
    await waitForMedia(newest(carol)!, 'audio', 'audio from bob to carol');
    await waitForMedia(newest(bob)!, 'audio', 'audio from carol to bob');
    const ended = oneEvent(newest(carol)!, 'sip-call-ended');
    await newest(bob)!.hangup();
    expect((await ended).detail.cause).to.equal('remote-hangup');
  });

  it('declines a call when a sip-incoming listener calls preventDefault()', async () => {
    bob.addEventListener('sip-incoming', (event) => event.preventDefault(), { once: true });
    const outgoing = await alice.call('bob');
    const ended = await oneEvent(outgoing, 'sip-call-ended');
    expect(ended.detail.cause).to.equal('declined');
    expect(ended.detail.status).to.equal(603);
    expect(bob.calls).to.deep.equal([]);
  });

  it('places a call from the dial form and answers from the buttons, keyboard-operable', async () => {
    const ringing = nextIncoming(bob);
    const target = alice.shadowRoot!.querySelector<HTMLInputElement>('[part~="target"]')!;
    target.value = info.users.bob.user;
    target.dispatchEvent(new InputEvent('input'));
    await alice.updateComplete;
    target.form!.requestSubmit();
    const incoming = await ringing;
    await incoming.updateComplete;
    incoming.shadowRoot!.querySelector<HTMLButtonElement>('[part~="answer-button"]')!.click();
    await stateOf(incoming, 'connected');
    const outgoing = alice.calls[0]!;
    await stateOf(outgoing, 'connected');
    expect(target.value).to.equal('');

    // Hold from the button: both sides see it, and the call resumes.
    await outgoing.updateComplete;
    const held = stateOf(incoming, 'held');
    outgoing.shadowRoot!.querySelector<HTMLButtonElement>('[part~="hold-button"]')!.click();
    await Promise.all([held, stateOf(outgoing, 'held')]);
    await incoming.updateComplete;
    expect(incoming.shadowRoot!.querySelector('[part="state"]')!.textContent).to.equal('Held by the other party');
    await outgoing.unhold();
    await Promise.all([stateOf(incoming, 'connected'), stateOf(outgoing, 'connected')]);

    // DTMF by SIP INFO arrives as sip-dtmf on the other side.
    const dtmf = oneEvent(incoming, 'sip-dtmf');
    await outgoing.call!.sendDtmf('5', { mode: 'info' });
    expect((await dtmf).detail.digit).to.equal('5');

    const ended = oneEvent(outgoing, 'sip-call-ended');
    await incoming.updateComplete;
    incoming.shadowRoot!.querySelector<HTMLButtonElement>('[part~="hangup-button"]')!.click();
    expect((await ended).detail.cause).to.equal('remote-hangup');
  });

  it('shows a video call in <sip-video> elements that follow each phone', async () => {
    const views = ['alice-phone', 'bob-phone'].map((id) => {
      const view = document.createElement('sip-video') as SipVideo;
      view.setAttribute('for', id);
      document.body.append(view);
      return view;
    });
    try {
      const ringing = nextIncoming(bob);
      const outgoing = await alice.call('bob', { video: true });
      const incoming = await ringing;
      await incoming.answer({ video: true });
      await Promise.all([stateOf(outgoing, 'connected'), stateOf(incoming, 'connected')]);
      await waitForMedia(outgoing, 'video', 'video from bob to alice');
      await waitForMedia(incoming, 'video', 'video from alice to bob');
      await waitFor('both views to show remote video', () => views.every((view) => view.hasAttribute('active')));
      const remote = views[0]!.shadowRoot!.querySelector<HTMLVideoElement>('[part="remote"]')!;
      await waitFor('alice to see frames from bob', () => remote.videoWidth > 0);
      await expect(views[0]).to.be.accessible();
      await outgoing.hangup();
      await waitFor('the views to empty', () => views.every((view) => !view.hasAttribute('active')));
    } finally {
      for (const view of views) view.remove();
    }
  });

  it('releases the microphone and the socket when removed mid-call, with no event after', async () => {
    const ringing = nextIncoming(bob);
    const outgoing = await alice.call('bob');
    const incoming = await ringing;
    await incoming.answer();
    await stateOf(outgoing, 'connected');
    await waitForMedia(incoming, 'audio', 'audio from alice to bob');
    const tracks = tracksOf(outgoing);
    expect(tracks.length).to.be.above(0);
    const aliceSocket = socketOf.get(alice)!;
    expect(aliceSocket.readyState).to.equal(WebSocket.OPEN);
    const seen = recordEvents(alice, [
      'sip-call-state',
      'sip-call-ended',
      'sip-unregistered',
      'sip-disconnected',
      'sip-error',
    ]);
    const ended = oneEvent(incoming, 'sip-call-ended');

    alice.remove();
    await Promise.resolve();
    for (const track of tracks) expect(track.readyState, `${track.kind} track`).to.equal('ended');
    expect((await ended).detail.cause).to.equal('remote-hangup');
    await waitFor("alice's socket to close", () => aliceSocket.readyState === WebSocket.CLOSED);
    expect(seen).to.deep.equal([]);
  });
});
