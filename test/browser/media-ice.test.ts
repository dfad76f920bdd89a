// ICE in Chromium and Firefox: a STUN server that never answers does not hold the offer back (it is
// released on the gathering timeout with the host candidates it has, and the call connects with
// them); without servers the offer waits for complete gathering; an ICE restart keeps media going;
// and the release policy itself, including the cases no loopback-only test can produce.
import { expect } from '@open-wc/testing';
import { hasTurnServer, iceGatheringDecision, type IceGatheringProgress } from '../../src/media/ice-gathering-policy';
import { readMediaLines } from '../../src/stack/sdp/media-lines';
import type { IceGatheringReport } from '../../src/stack/ua/media-session';
import { closeAll, connect, makeSession, reinvite, waitForGrowth } from './media-test-helpers';

// Nothing listens on UDP port 3 of the loopback (Firefox refuses some low ports, such as 9, outright).
const DEAD_STUN = [{ urls: 'stun:127.0.0.1:3' }];

describe('WebRtcMediaSession: ICE', () => {
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

  it('waits for complete gathering when nothing can hold it up', async () => {
    const alice = makeSession({ iceGatheringTimeoutMs: 60000 });
    const reports: IceGatheringReport[] = [];
    alice.on('ice-gathering', (report) => reports.push(report));
    await alice.createOffer();
    expect(reports[0]?.outcome).to.equal('complete');
    expect(alice.peerConnection?.iceGatheringState).to.equal('complete');
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
    expect(readMediaLines(plain)[0]?.iceUfrag).to.equal(readMediaLines(restart)[0]?.iceUfrag, 'no restart without asking');
  });
});

describe('ICE gathering policy', () => {
  const progress = (change: Partial<IceGatheringProgress>): IceGatheringProgress => ({
    complete: false,
    elapsedMs: 0,
    timeoutMs: 1000,
    candidates: { host: 2, srflx: 0, prflx: 0, relay: 0 },
    turnConfigured: false,
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
    expect(iceGatheringDecision(progress({ candidates: { host: 1, srflx: 0, prflx: 0, relay: 1 }, turnConfigured: true }))).to.equal('sufficient');
    expect(iceGatheringDecision(progress({ candidates: { host: 1, srflx: 1, prflx: 0, relay: 0 } }))).to.equal('sufficient');
    expect(iceGatheringDecision(progress({ candidates: { host: 1, srflx: 1, prflx: 0, relay: 0 }, turnConfigured: true }))).to.equal(undefined);
  });

  it('tells TURN servers from STUN servers', () => {
    expect(hasTurnServer([{ urls: 'stun:stun.example.org' }])).to.equal(false);
    expect(hasTurnServer([{ urls: ['stun:a.example.org', 'turns:b.example.org:443?transport=tcp'] }])).to.equal(true);
  });
});
