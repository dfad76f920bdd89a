// Hold and resume (RFC 3264 §8.4, RFC 6337 §5.3) between two WebRtcMediaSessions in Chromium and
// Firefox: media stops in both directions while held and comes back on resume, three rounds keep
// one m=audio with no port 0 and recover media each time, and holds from both sides combine.
import { expect } from '@open-wc/testing';
import { readMediaLines } from '../../src/stack/sdp/media-lines';
import { countMediaLines, countRejectedMediaLines } from '../../src/stack/sdp/sdp-facts';
import type { WebRtcMediaSession } from '../../src/media/webrtc-media-session';
import { closeAll, connect, growth, makeSession, reinvite, waitForGrowth, waitForStill } from './media-test-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

const directions = (sdp: string) => readMediaLines(sdp).map((line) => line.direction);

async function expectFlowing(a: WebRtcMediaSession, b: WebRtcMediaSession, when: string): Promise<void> {
  await waitForGrowth(a, 'audio', 'packetsReceived', `audio to the first party ${when}`);
  await waitForGrowth(b, 'audio', 'packetsReceived', `audio to the second party ${when}`);
}

async function expectSilent(a: WebRtcMediaSession, b: WebRtcMediaSession, when: string): Promise<void> {
  await waitForStill(a, 'audio', 'packetsReceived', `packets in flight to the first party ${when}`);
  await waitForStill(b, 'audio', 'packetsReceived', `packets in flight to the second party ${when}`);
  const [toA, toB] = await Promise.all([growth(a, 'audio', 'packetsReceived'), growth(b, 'audio', 'packetsReceived')]);
  expect(toA, `packets to the first party ${when}`).to.equal(0);
  expect(toB, `packets to the second party ${when}`).to.equal(0);
}

describeNeedingWebRTC('WebRtcMediaSession: hold and resume', () => {
  afterEach(closeAll);

  it('stops media both ways while held and restores it on resume', async () => {
    const alice = makeSession();
    const bob = makeSession();
    const held: boolean[] = [];
    bob.on('remote-hold', (value) => held.push(value));
    await connect(alice, bob);
    await expectFlowing(alice, bob, 'before hold');

    alice.hold();
    const [holdOffer, holdAnswer] = await reinvite(alice, bob);
    expect(directions(holdOffer)).to.deep.equal(['sendonly']);
    expect(directions(holdAnswer)).to.deep.equal(['recvonly']);
    expect(bob.remoteHold).to.equal(true);
    expect(alice.localHold).to.equal(true);
    await expectSilent(alice, bob, 'while held');

    alice.unhold();
    const [resume, resumed] = await reinvite(alice, bob);
    expect(directions(resume)).to.deep.equal(['sendrecv']);
    expect(directions(resumed)).to.deep.equal(['sendrecv']);
    await expectFlowing(alice, bob, 'after resume');
    expect(held).to.deep.equal([true, false]);
  });

  it('keeps one m=audio, no port 0 and working media through three holds and resumes', async () => {
    const alice = makeSession();
    const bob = makeSession();
    await connect(alice, bob);
    for (let round = 1; round <= 3; round++) {
      alice.hold();
      const held = await reinvite(alice, bob);
      alice.unhold();
      const resumed = await reinvite(alice, bob);
      for (const sdp of [...held, ...resumed]) {
        expect(countMediaLines(sdp, 'audio'), `m=audio lines in round ${round}`).to.equal(1);
        expect(countMediaLines(sdp), `m= lines in round ${round}`).to.equal(1);
        expect(countRejectedMediaLines(sdp), `port 0 in round ${round}`).to.equal(0);
      }
      await expectFlowing(alice, bob, `after resume ${round}`);
    }
    expect(alice.peerConnection?.iceConnectionState).to.be.oneOf(['connected', 'completed']);
    expect(alice.peerConnection?.getTransceivers()).to.have.length(1);
    expect(bob.peerConnection?.getTransceivers()).to.have.length(1);
  });

  it('combines holds from both sides: inactive, then recvonly until the other resumes', async () => {
    const alice = makeSession();
    const bob = makeSession();
    await connect(alice, bob);
    alice.hold();
    await reinvite(alice, bob);
    bob.hold();
    const [bothOffer, bothAnswer] = await reinvite(bob, alice);
    expect(directions(bothOffer)).to.deep.equal(['inactive']);
    expect(directions(bothAnswer)).to.deep.equal(['inactive']);
    expect(alice.remoteHold).to.equal(true);

    alice.unhold();
    const [aliceResume, bobAnswer] = await reinvite(alice, bob);
    expect(directions(aliceResume)).to.deep.equal(['recvonly'], 'alice resumes but bob still holds her');
    expect(directions(bobAnswer)).to.deep.equal(['sendonly']);
    await expectSilent(alice, bob, 'while bob still holds alice');

    bob.unhold();
    const [bobResume] = await reinvite(bob, alice);
    expect(directions(bobResume)).to.deep.equal(['sendrecv']);
    await expectFlowing(alice, bob, 'after both resumed');
  });

  it('holds the callee side too: the answerer of the first offer holds the offerer', async () => {
    const alice = makeSession();
    const bob = makeSession();
    await connect(alice, bob);
    bob.hold();
    const [offer, answer] = await reinvite(bob, alice);
    expect(directions(offer)).to.deep.equal(['sendonly']);
    expect(directions(answer)).to.deep.equal(['recvonly']);
    await expectSilent(alice, bob, 'while bob holds');
    bob.unhold();
    await reinvite(bob, alice);
    await expectFlowing(alice, bob, 'after bob resumed');
  });
});
