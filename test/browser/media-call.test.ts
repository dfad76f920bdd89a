// An audio call between two WebRtcMediaSessions: media both ways, mute without renegotiation,
// offer/answer order errors, rollback, the offer in a 200 (INVITE without SDP), and close()
// releasing the microphone. Runs in Chromium and Firefox.
import { expect } from '@open-wc/testing';
import { countMediaLines, hasTelephoneEvent } from '../../src/stack/sdp/sdp-facts';
import { readMediaLines } from '../../src/stack/sdp/media-lines';
import { WebRtcMediaSession } from '../../src/media/webrtc-media-session';
import { webRtcMediaSessionFactory } from '../../src/media/webrtc-media-session-factory';
import { MediaSessionError } from '../../src/stack/ua/media-session';
import {
  closeAll,
  connect,
  growth,
  makeSession,
  play,
  reinvite,
  waitFor,
  waitForGrowth,
  waitForStill,
} from './media-test-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

/**
 * Waits until the audio energy reaching `session`, over two 500 ms windows in a row (one can read
 * a stale stats snapshot), scaled to the 2 s window the assertions measure, passes `check`: the
 * mute or unmute has taken effect at the receiver.
 */
async function waitForEnergyRate(
  session: WebRtcMediaSession,
  what: string,
  check: (per2s: number) => boolean,
): Promise<void> {
  let passedBefore = false;
  await waitFor(what, async () => {
    const passes = check((await growth(session, 'audio', 'totalAudioEnergy', 500)) * 4);
    const twice = passes && passedBefore;
    passedBefore = passes;
    return twice;
  });
}

describeNeedingWebRTC('WebRtcMediaSession: audio call', () => {
  afterEach(closeAll);

  it('carries audio both ways and reports the connection and the remote track', async () => {
    const alice = makeSession();
    const bob = makeSession();
    const states: string[] = [];
    const tracks: string[] = [];
    alice.on('connection-state', (state) => states.push(state));
    alice.on('remote-track', (kind) => tracks.push(kind));
    const [offer, answer] = await connect(alice, bob);
    expect(countMediaLines(offer, 'audio')).to.equal(1);
    expect(readMediaLines(answer)[0]?.direction).to.equal('sendrecv');
    await waitForGrowth(alice, 'audio', 'packetsReceived', 'audio from bob to alice');
    await waitForGrowth(bob, 'audio', 'packetsReceived', 'audio from alice to bob');
    await waitFor('the connection to be connected', () => states.includes('connected'));
    expect(tracks).to.deep.equal(['audio']);
    expect(alice.remoteStream.getAudioTracks()).to.have.length(1);
    expect(alice.localStream.getAudioTracks()).to.have.length(1);
  });

  it('mutes outgoing audio with track.enabled, without renegotiation', async () => {
    const alice = makeSession();
    const bob = makeSession();
    await connect(alice, bob);
    await play(bob);
    await waitForGrowth(bob, 'audio', 'totalAudioEnergy', 'audio energy at bob');
    const speaking = await growth(bob, 'audio', 'totalAudioEnergy', 2000);
    alice.setMuted('audio', true);
    expect(alice.isMuted('audio')).to.equal(true);
    expect(alice.localStream.getAudioTracks()[0]?.enabled).to.equal(false);
    // The muted sender still sends (silence), so energy, not packets, is what must stop. First
    // the receiver's jitter buffer plays out what was sent before the mute (how long that takes
    // depends on the machine's load): wait until a short window is quiet at the rate the
    // assertion allows, then measure the full window.
    await waitForEnergyRate(bob, 'the audio sent before the mute to play out', (rate) => rate < speaking / 100);
    const muted = await growth(bob, 'audio', 'totalAudioEnergy', 2000);
    expect(muted, `energy while muted ${muted}, while speaking ${speaking}`).to.be.below(speaking / 100);
    alice.setMuted('audio', false);
    await waitForEnergyRate(bob, 'audio to come back after unmuting', (rate) => rate > speaking / 10);
    expect(await growth(bob, 'audio', 'totalAudioEnergy', 2000)).to.be.above(speaking / 10);
    expect(alice.peerConnection?.signalingState).to.equal('stable');
  });

  it('takes the offer of a 200 and answers it in the ACK (INVITE without SDP)', async () => {
    const alice = makeSession();
    const bob = makeSession();
    const offerIn200 = await bob.createOffer();
    const answerInAck = await alice.applyOffer(offerIn200);
    await bob.applyAnswer(answerInAck);
    expect(hasTelephoneEvent(answerInAck)).to.equal(true);
    await waitForGrowth(bob, 'audio', 'packetsReceived', 'audio from alice to bob');
  });

  it('refuses an answer with no offer out, and an offer while its own is out (glare)', async () => {
    const alice = makeSession();
    const bob = makeSession();
    const isState = (error: unknown) => error instanceof MediaSessionError && error.code === 'state';
    const [, answer] = await connect(alice, bob);
    let refused: unknown;
    await alice.applyAnswer(answer).catch((error: unknown) => (refused = error));
    expect(isState(refused), String(refused)).to.equal(true);
    await alice.createOffer();
    refused = undefined;
    await alice.applyOffer(await bob.createOffer()).catch((error: unknown) => (refused = error));
    expect(isState(refused), String(refused)).to.equal(true);
  });

  it('refuses an unusable offer with an sdp error and stays usable', async () => {
    const alice = makeSession();
    const bob = makeSession();
    let refused: unknown;
    await bob
      .applyOffer('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n')
      .catch((error: unknown) => (refused = error));
    expect(refused instanceof MediaSessionError && refused.code === 'sdp', String(refused)).to.equal(true);
    await connect(alice, bob);
    await waitForGrowth(alice, 'audio', 'packetsReceived', 'audio after the refused offer');
  });

  it('rolls back a rejected hold offer and keeps the call going', async () => {
    const alice = makeSession();
    const bob = makeSession();
    await connect(alice, bob);
    alice.hold();
    await alice.createOffer();
    await alice.rollback();
    expect(alice.localHold).to.equal(false);
    expect(alice.peerConnection?.signalingState).to.equal('stable');
    await waitForGrowth(bob, 'audio', 'packetsReceived', 'audio from alice after the rollback');
    const [offer] = await reinvite(alice, bob);
    expect(readMediaLines(offer)[0]?.direction).to.equal('sendrecv');
  });

  it('opens exactly the device the user chose, through an injectable getUserMedia', async () => {
    const asked: MediaStreamConstraints[] = [];
    const getUserMedia = (constraints: MediaStreamConstraints) => {
      asked.push(constraints);
      return navigator.mediaDevices.getUserMedia(constraints);
    };
    (await getUserMedia({ audio: true })).getTracks().forEach((track) => track.stop());
    const microphone = (await navigator.mediaDevices.enumerateDevices()).find((device) => device.kind === 'audioinput');
    expect(microphone?.deviceId, 'a fake microphone with an id').to.be.a('string').and.not.equal('');
    const alice = makeSession({ audio: { deviceId: microphone!.deviceId }, getUserMedia });
    await alice.createOffer();
    expect(asked[1]).to.deep.equal({ audio: { deviceId: { exact: microphone!.deviceId } }, video: false });
    expect(alice.localStream.getAudioTracks()[0]?.getSettings().deviceId).to.equal(microphone!.deviceId);
  });

  it("is made by the factory the elements inject, with the page's getUserMedia", async () => {
    let asked = 0;
    const factory = webRtcMediaSessionFactory({
      getUserMedia: (constraints) => {
        asked += 1;
        return navigator.mediaDevices.getUserMedia(constraints);
      },
    });
    const session = factory({ audio: true, video: false, iceServers: [] });
    try {
      expect(session).to.be.instanceOf(WebRtcMediaSession);
      await session.createOffer();
      expect(asked).to.equal(1);
    } finally {
      session.close();
    }
  });

  it('reports a refused microphone as a media-access error', async () => {
    const refuse = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    const alice = makeSession({ getUserMedia: refuse });
    let refused: unknown;
    await alice.createOffer().catch((error: unknown) => (refused = error));
    expect(refused instanceof MediaSessionError && refused.code === 'media-access', String(refused)).to.equal(true);
    expect(String(refused)).to.contain('NotAllowedError');
  });

  it('releases the microphone and stops sending on close()', async () => {
    const alice = makeSession();
    const bob = makeSession();
    await connect(alice, bob);
    await waitForGrowth(bob, 'audio', 'packetsReceived', 'audio from alice before close');
    const track = alice.localStream.getAudioTracks()[0]!;
    const states: string[] = [];
    alice.on('connection-state', (state) => states.push(state));
    alice.close();
    alice.close();
    expect(track.readyState).to.equal('ended');
    expect(alice.closed).to.equal(true);
    expect(alice.peerConnection?.signalingState).to.equal('closed');
    expect(states).to.deep.equal(['closed']);
    let refused: unknown;
    await alice.createOffer().catch((error: unknown) => (refused = error));
    expect(refused instanceof MediaSessionError && refused.code === 'closed').to.equal(true);
    await waitForStill(bob, 'audio', 'packetsReceived', 'the last packets from alice');
    expect(await growth(bob, 'audio', 'packetsReceived')).to.equal(0);
  });
});
