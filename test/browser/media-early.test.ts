// Early media and forking in Chromium and Firefox: a provisional answer (SDP in a 183) plays media
// before the final answer; the final answer from the same far end keeps it; a final answer from
// another fork of the INVITE moves the call to that far end; a 2xx after the final answer is
// refused. The browsers differ (Firefox has no 'pranswer'), and both paths are checked here.
import { expect } from '@open-wc/testing';
import { MediaSessionError } from '../../src/stack/ua/media-session';
import {
  closeAll,
  growth,
  isFirefox,
  makeSession,
  waitForGrowth,
  waitForStill,
  withoutTelephoneEvent,
} from './media-test-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

describeNeedingWebRTC('WebRtcMediaSession: early media and forks', () => {
  afterEach(closeAll);

  it('plays a provisional answer, then keeps media through the final answer', async () => {
    const alice = makeSession();
    const bob = makeSession();
    const offer = await alice.createOffer();
    const answer = await bob.applyOffer(offer);
    await alice.applyAnswer(answer, { provisional: true });
    // Chromium holds the offer open with 'pranswer'; Firefox refuses 'pranswer' and takes the
    // provisional SDP as the answer.
    expect(alice.peerConnection?.signalingState).to.equal(isFirefox ? 'stable' : 'have-remote-pranswer');
    await waitForGrowth(alice, 'audio', 'packetsReceived', 'early media from bob');
    await waitForGrowth(bob, 'audio', 'packetsReceived', 'audio from alice during early media');
    expect(alice.remoteStream.getAudioTracks(), 'early media is playable').to.have.length(1);
    const connection = alice.peerConnection;
    await alice.applyAnswer(answer);
    expect(alice.peerConnection).to.equal(connection, 'same far end: same transport');
    expect(alice.peerConnection?.signalingState).to.equal('stable');
    await waitForGrowth(alice, 'audio', 'packetsReceived', 'media from bob after the final answer');
    expect(alice.canSendRfc4733()).to.equal(true);
  });

  it('applies a final answer that differs from the provisional one from the same far end', async () => {
    const alice = makeSession();
    const bob = makeSession();
    const offer = await alice.createOffer();
    const answer = await bob.applyOffer(offer);
    await alice.applyAnswer(answer, { provisional: true });
    await waitForGrowth(alice, 'audio', 'packetsReceived', 'early media from bob');
    expect(alice.canSendRfc4733()).to.equal(true, 'the provisional answer has telephone-event');
    // Chromium: 'answer' after 'pranswer'. Firefox: a local re-offer, then the answer.
    await alice.applyAnswer(withoutTelephoneEvent(answer));
    expect(alice.canSendRfc4733()).to.equal(false, 'the final answer, without telephone-event, is the one in force');
    await waitForGrowth(alice, 'audio', 'packetsReceived', 'media from bob after the changed final answer');
  });

  it("moves to another fork whose final answer follows the first fork's early media", async () => {
    const alice = makeSession();
    const early = makeSession();
    const answering = makeSession();
    const offer = await alice.createOffer();
    const earlyAnswer = await early.applyOffer(offer);
    const finalAnswer = await answering.applyOffer(offer);
    await alice.applyAnswer(earlyAnswer, { provisional: true });
    await waitForGrowth(early, 'audio', 'packetsReceived', 'audio from alice to the early fork');
    const firstConnection = alice.peerConnection;

    await alice.applyAnswer(finalAnswer);
    expect(alice.peerConnection).not.to.equal(firstConnection, 'another far end: a new transport');
    expect(firstConnection?.signalingState).to.equal('closed');
    await waitForGrowth(answering, 'audio', 'packetsReceived', 'audio from alice to the answering fork');
    await waitForGrowth(alice, 'audio', 'packetsReceived', 'audio from the answering fork to alice');
    await waitForStill(early, 'audio', 'packetsReceived', 'the last packets to the early fork');
    expect(await growth(early, 'audio', 'packetsReceived')).to.equal(0);
    expect(alice.remoteStream.getAudioTracks()).to.have.length(1);
    expect(alice.remoteStream.getAudioTracks()[0]?.readyState).to.equal('live');

    // A 2xx from the early fork after the final answer: the user agent ACKs and BYEs it.
    let refused: unknown;
    await alice.applyAnswer(earlyAnswer).catch((error: unknown) => (refused = error));
    expect(refused instanceof MediaSessionError && refused.code === 'state', String(refused)).to.equal(true);
  });

  it('follows early media from one fork to another before any final answer', async () => {
    const alice = makeSession();
    const first = makeSession();
    const second = makeSession();
    const offer = await alice.createOffer();
    const firstAnswer = await first.applyOffer(offer);
    const secondAnswer = await second.applyOffer(offer);
    await alice.applyAnswer(firstAnswer, { provisional: true });
    await waitForGrowth(alice, 'audio', 'packetsReceived', 'early media from the first fork');
    await alice.applyAnswer(secondAnswer, { provisional: true });
    await waitForGrowth(second, 'audio', 'packetsReceived', 'audio from alice to the second fork');
    await alice.applyAnswer(secondAnswer);
    expect(alice.peerConnection?.signalingState).to.equal('stable');
    await waitForGrowth(alice, 'audio', 'packetsReceived', 'media from the second fork after its final answer');
  });
});
