// ICE in Chromium and Firefox: a STUN server that never answers does not hold the offer back (it is
// released on the gathering timeout with the host candidates it has, and the call connects with
// them); without servers the offer leaves once its host candidates have settled; an ICE restart
// keeps media going; and the release policy itself, including the cases no loopback-only test can
// produce.
import { expect } from '@open-wc/testing';
import { waitForIceGathering } from '../../src/media/ice-gathering';
import {
  HOST_SETTLE_MS,
  hasTurnServer,
  iceGatheringDecision,
  type IceGatheringProgress,
} from '../../src/media/ice-gathering-policy';
import { readMediaLines } from '../../src/stack/sdp/media-lines';
import type { IceGatheringReport } from '../../src/stack/ua/media-session';
import { closeAll, connect, makeSession, reinvite, waitForGrowth } from './media-test-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

// Nothing listens on UDP port 3 of the loopback (Firefox refuses some low ports, such as 9, outright).
const DEAD_STUN = [{ urls: 'stun:127.0.0.1:3' }];

describeNeedingWebRTC('WebRtcMediaSession: ICE', () => {
  afterEach(closeAll);

  it('releases the offer on the gathering timeout when the STUN server does not answer', async () => {
    // The default timeout (1000 ms), not a test value: a dead server must not cost the default 10 s.
    const alice = makeSession({ iceServers: DEAD_STUN });
    const bob = makeSession();
    const reports: IceGatheringReport[] = [];
    alice.on('ice-gathering', (report) => reports.push(report));
    const offer = await alice.createOffer();
    expect(reports).to.have.length(1);
    expect(reports[0]?.outcome).to.equal('timeout');
    // Still gathering when it left: the browser was waiting for the dead server.
    expect(alice.peerConnection?.iceGatheringState).to.equal('gathering');
    expect(reports[0]?.candidates.host).to.be.above(0);
    expect(readMediaLines(offer)[0]?.candidates.host).to.equal(reports[0]?.candidates.host);
    await alice.applyAnswer(await bob.applyOffer(offer));
    await waitForGrowth(bob, 'audio', 'packetsReceived', 'audio over the host candidates of a timed-out offer');
  });

  it('sends the host candidates without a timeout when no server is configured, and connects with them', async () => {
    // Firefox completes at once; Chromium's offer leaves once its UDP host candidates have settled,
    // before its TCP ones (see ice-gathering-policy.ts). Either way, never on the (long) timeout.
    const alice = makeSession({ iceGatheringTimeoutMs: 60000 });
    const bob = makeSession();
    const reports: IceGatheringReport[] = [];
    alice.on('ice-gathering', (report) => reports.push(report));
    const offer = await alice.createOffer();
    expect(reports[0]?.outcome).to.be.oneOf(['complete', 'sufficient']);
    expect(offer).to.match(/^a=candidate:\S+ 1 udp \d+ \S+ \d+ typ host/im);
    await alice.applyAnswer(await bob.applyOffer(offer));
    await waitForGrowth(bob, 'audio', 'packetsReceived', 'audio over the host candidates');
  });

  it('restarts ICE with new credentials and keeps media flowing', async () => {
    const alice = makeSession();
    const bob = makeSession();
    const [first] = await connect(alice, bob);
    await waitForGrowth(bob, 'audio', 'packetsReceived', 'audio before the restart');
    const restart = await alice.createOffer({ iceRestart: true });
    expect(readMediaLines(restart)[0]?.iceUfrag).not.to.equal(readMediaLines(first)[0]?.iceUfrag);
    await alice.applyAnswer(await bob.applyOffer(restart));
    await waitForGrowth(bob, 'audio', 'packetsReceived', 'audio after the restart');
    await waitForGrowth(alice, 'audio', 'packetsReceived', 'audio to alice after the restart');
    const [plain] = await reinvite(alice, bob);
    expect(readMediaLines(plain)[0]?.iceUfrag).to.equal(
      readMediaLines(restart)[0]?.iceUfrag,
      'no restart without asking',
    );
  });
});

describe('ICE gathering policy', () => {
  const progress = (change: Partial<IceGatheringProgress>): IceGatheringProgress => ({
    complete: false,
    elapsedMs: 0,
    timeoutMs: 1000,
    candidates: { host: 2, srflx: 0, prflx: 0, relay: 0 },
    turnConfigured: false,
    serversConfigured: true,
    quietMs: 0,
    ...change,
  });

  it('releases on complete gathering whatever the time', () => {
    expect(iceGatheringDecision(progress({ complete: true }))).to.equal('complete');
  });

  it('waits before the timeout with host candidates only, and releases after it', () => {
    expect(iceGatheringDecision(progress({ elapsedMs: 999 }))).to.equal(undefined);
    expect(iceGatheringDecision(progress({ elapsedMs: 1000 }))).to.equal('timeout');
  });

  it('never releases a description without candidates before gathering ends', () => {
    const none = { host: 0, srflx: 0, prflx: 0, relay: 0 };
    expect(iceGatheringDecision(progress({ elapsedMs: 60000, candidates: none }))).to.equal(undefined);
  });

  it('releases at once on a relay candidate, or a reflexive one when no TURN server is configured', () => {
    expect(
      iceGatheringDecision(progress({ candidates: { host: 1, srflx: 0, prflx: 0, relay: 1 }, turnConfigured: true })),
    ).to.equal('sufficient');
    expect(iceGatheringDecision(progress({ candidates: { host: 1, srflx: 1, prflx: 0, relay: 0 } }))).to.equal(
      'sufficient',
    );
    expect(
      iceGatheringDecision(progress({ candidates: { host: 1, srflx: 1, prflx: 0, relay: 0 }, turnConfigured: true })),
    ).to.equal(undefined);
  });

  it('without any server, releases host candidates once none has come for a while, not before', () => {
    const alone = { serversConfigured: false };
    expect(iceGatheringDecision(progress({ ...alone, quietMs: HOST_SETTLE_MS - 1 }))).to.equal(undefined);
    expect(iceGatheringDecision(progress({ ...alone, quietMs: HOST_SETTLE_MS }))).to.equal('sufficient');
    // A STUN server may still give a reflexive candidate: host candidates wait for it or the timeout.
    expect(iceGatheringDecision(progress({ quietMs: 900 }))).to.equal(undefined);
    const none = { host: 0, srflx: 0, prflx: 0, relay: 0 };
    expect(iceGatheringDecision(progress({ ...alone, quietMs: 900, candidates: none }))).to.equal(undefined);
  });

  it('tells TURN servers from STUN servers', () => {
    expect(hasTurnServer([{ urls: 'stun:stun.example.org' }])).to.equal(false);
    expect(hasTurnServer([{ urls: ['stun:a.example.org', 'turns:b.example.org:443?transport=tcp'] }])).to.equal(true);
  });
});

describe('waitForIceGathering', () => {
  /** Stands in for an RTCPeerConnection that gathers what a test gives it, and never completes. */
  class GatheringPeer extends EventTarget {
    readonly signalingState = 'have-local-offer';
    iceGatheringState = 'gathering';
    localDescription = {
      type: 'offer',
      sdp: 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n',
    };

    gather(address: string): void {
      this.localDescription.sdp += `a=candidate:${address.length} 1 udp 2122194687 ${address} 50000 typ host\r\n`;
      this.dispatchEvent(new Event('icecandidate'));
    }

    /** Like Chromium, which completes long after its UDP host candidates (TCP ones come first). */
    completeAfter(ms: number): void {
      setTimeout(() => {
        this.iceGatheringState = 'complete';
        this.dispatchEvent(new Event('icegatheringstatechange'));
      }, ms);
    }
  }

  const wait = (peer: GatheringPeer, options: { serversConfigured: boolean; timeoutMs: number }) =>
    waitForIceGathering(peer as unknown as RTCPeerConnection, {
      ...options,
      turnConfigured: false,
      signal: new AbortController().signal,
    });

  it('without servers, releases the host candidates once they have settled, while the browser still gathers', async () => {
    const peer = new GatheringPeer();
    const released = wait(peer, { serversConfigured: false, timeoutMs: 60000 });
    peer.gather('127.0.0.1');
    peer.gather('::1');
    peer.completeAfter(10 * HOST_SETTLE_MS);
    const { report, sdp } = await released;
    expect(report.outcome).to.equal('sufficient');
    expect(report.candidates.host).to.equal(2);
    expect(readMediaLines(sdp)[0]?.candidates.host).to.equal(2);
  });

  it('releases the settled host candidates when the settle timer fires a hair before performance.now() says it is due', async () => {
    // Firefox coarsens performance.now(), so the 30 ms settle timer can find 29.9 ms of quiet (a
    // full run saw the offer wait for the end of gathering instead); here the clock reads 1 ms
    // late while the candidates arrive, so the timer always fires "early".
    const now = performance.now;
    let offset = 0;
    performance.now = () => now.call(performance) + offset;
    try {
      const peer = new GatheringPeer();
      const released = wait(peer, { serversConfigured: false, timeoutMs: 60000 });
      offset = 1;
      peer.gather('127.0.0.1');
      peer.gather('::1');
      offset = 0;
      peer.completeAfter(10 * HOST_SETTLE_MS);
      expect((await released).report.outcome).to.equal('sufficient');
    } finally {
      performance.now = now;
    }
  });

  it('with a server configured, host candidates wait for the timeout instead', async () => {
    const peer = new GatheringPeer();
    const released = wait(peer, { serversConfigured: true, timeoutMs: 4 * HOST_SETTLE_MS });
    peer.gather('127.0.0.1');
    expect((await released).report.outcome).to.equal('timeout');
  });

  it('releases on the timeout when its timer fires a hair before performance.now() says it is due', async () => {
    // WebKit does so now and then (a 120 ms timer at 119.99999999999909 ms); here the clock is
    // made to read 1 ms late at the start, so the timer always fires "early".
    const now = performance.now;
    let first = true;
    performance.now = () => now.call(performance) + (first ? ((first = false), 1) : 0);
    try {
      const peer = new GatheringPeer();
      const released = wait(peer, { serversConfigured: true, timeoutMs: 4 * HOST_SETTLE_MS });
      peer.gather('127.0.0.1');
      const { report } = await released;
      expect(report.outcome).to.equal('timeout');
      expect(report.elapsedMs).to.be.at.least(4 * HOST_SETTLE_MS);
    } finally {
      performance.now = now;
    }
  });
});
