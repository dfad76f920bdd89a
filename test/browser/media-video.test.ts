// Video in Chromium and Firefox: a video call, video added to an audio call by re-offer (frames
// decoded at the other end), and removed again as an inactive stream (never port 0, never a second
// m=video), which releases the camera and stops the frames while audio goes on.
import { expect } from '@open-wc/testing';
import { readMediaLines } from '../../src/stack/sdp/media-lines';
import { countMediaLines, countRejectedMediaLines, videoState } from '../../src/stack/sdp/sdp-facts';
import {
  closeAll,
  connect,
  growth,
  makeSession,
  play,
  reinvite,
  waitForGrowth,
  waitForStill,
} from './media-test-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

const directions = (sdp: string) => readMediaLines(sdp).map((line) => line.direction);

describeNeedingWebRTC('WebRtcMediaSession: video', () => {
  afterEach(closeAll);

  it('carries video both ways in a video call', async () => {
    const alice = makeSession({ video: true });
    const bob = makeSession({ video: true });
    const [offer, answer] = await connect(alice, bob);
    expect(directions(offer)).to.deep.equal(['sendrecv', 'sendrecv']);
    expect(directions(answer)).to.deep.equal(['sendrecv', 'sendrecv']);
    await play(alice, 'video');
    await play(bob, 'video');
    await waitForGrowth(bob, 'video', 'framesDecoded', 'frames from alice');
    await waitForGrowth(alice, 'video', 'framesDecoded', 'frames from bob');
    expect(alice.localStream.getVideoTracks()).to.have.length(1);
    expect(bob.remoteStream.getVideoTracks()).to.have.length(1);
  });

  it('adds video to an audio call by re-offer, and the other side adds its own', async () => {
    const alice = makeSession();
    const bob = makeSession();
    await connect(alice, bob);
    const remoteKinds: string[] = [];
    bob.on('remote-track', (kind) => remoteKinds.push(kind));
    await play(bob, 'video');

    alice.setVideo(true);
    const [offer, answer] = await reinvite(alice, bob);
    expect(countMediaLines(offer)).to.equal(2);
    expect(directions(answer)).to.deep.equal(['sendrecv', 'recvonly'], 'bob sees alice; his camera stays off');
    await waitForGrowth(bob, 'video', 'framesDecoded', 'frames from alice after the re-offer');
    expect(remoteKinds).to.deep.equal(['video']);
    expect(bob.localStream.getVideoTracks()).to.have.length(0);

    bob.setVideo(true);
    const [bobOffer, aliceAnswer] = await reinvite(bob, alice);
    expect(directions(bobOffer)).to.deep.equal(['sendrecv', 'sendrecv']);
    expect(directions(aliceAnswer)).to.deep.equal(['sendrecv', 'sendrecv']);
    await play(alice, 'video');
    await waitForGrowth(alice, 'video', 'framesDecoded', 'frames from bob after his re-offer');
  });

  it('removes video as an inactive stream: camera released, frames stop, audio goes on', async () => {
    const alice = makeSession({ video: true });
    const bob = makeSession({ video: true });
    await connect(alice, bob);
    await play(bob, 'video');
    await waitForGrowth(bob, 'video', 'framesDecoded', 'frames from alice');
    const camera = alice.localStream.getVideoTracks()[0]!;

    alice.setVideo(false);
    const [offer, answer] = await reinvite(alice, bob);
    for (const sdp of [offer, answer]) {
      expect(countMediaLines(sdp, 'video')).to.equal(1);
      expect(countRejectedMediaLines(sdp)).to.equal(0);
      expect(videoState(sdp)).to.equal('inactive');
    }
    expect(camera.readyState).to.equal('ended');
    expect(alice.localStream.getVideoTracks()).to.have.length(0);
    await waitForStill(bob, 'video', 'framesDecoded', 'the last frames from alice');
    await waitForStill(alice, 'video', 'framesDecoded', 'the last frames from bob');
    expect(await growth(bob, 'video', 'framesDecoded')).to.equal(0);
    expect(await growth(alice, 'video', 'framesDecoded')).to.equal(0);
    await waitForGrowth(bob, 'audio', 'packetsReceived', 'audio without video');

    // Bob's next offer does not bring back the video alice removed (RFC 6337 §5.3 logic).
    const [bobOffer, aliceAnswer] = await reinvite(bob, alice);
    expect(directions(bobOffer)).to.deep.equal(['sendrecv', 'recvonly']);
    expect(directions(aliceAnswer)).to.deep.equal(['sendrecv', 'inactive']);

    // And alice can switch it on again on the same m= line.
    alice.setVideo(true);
    const [again] = await reinvite(alice, bob);
    expect(countMediaLines(again, 'video')).to.equal(1);
    expect(directions(again)).to.deep.equal(['sendrecv', 'sendrecv']);
    await waitForGrowth(bob, 'video', 'framesDecoded', 'frames from alice after switching video on again');
  });
});
