// The quality arithmetic (call-quality.ts) with numbers: the E-model's published points, loss per
// interval rather than since the call began, and warnings that start and clear only after two
// intervals. call-stats.ts is checked against a report shaped as Chromium and Firefox give them.
import { expect } from '@open-wc/testing';
import { QualityTracker, mosFromR, qualityOf, rFactor, type StatsSnapshot } from './call-quality';
import { readSnapshot } from './call-stats';

const snap = (packetsReceived: number, packetsLost: number, more: Partial<StatsSnapshot> = {}): StatsSnapshot => ({
  packetsReceived,
  packetsLost,
  rttMs: 40,
  jitterMs: 2,
  micEnergy: undefined,
  ...more,
});
const live = { expectAudio: true, micLive: true };

describe('call quality (E-model, ITU-T G.107)', () => {
  it('maps R to MOS as G.107 Annex B does', () => {
    // G.107 Table B.1: R 90 → 4.34, 80 → 4.03, 70 → 3.60, 60 → 3.10, 50 → 2.58.
    expect(mosFromR(90)).to.be.closeTo(4.34, 0.01);
    expect(mosFromR(80)).to.be.closeTo(4.03, 0.01);
    expect(mosFromR(70)).to.be.closeTo(3.6, 0.01);
    expect(mosFromR(60)).to.be.closeTo(3.1, 0.01);
    expect(mosFromR(50)).to.be.closeTo(2.58, 0.01);
    expect(mosFromR(-5)).to.equal(1);
    expect(mosFromR(120)).to.equal(4.5);
  });

  it('rates a clean line good, and loss and delay lower', () => {
    // d = 20 + 4 + 20 = 44 ms: Id = 1.056, no loss: R = 92.14.
    expect(rFactor(40, 2, 0)).to.be.closeTo(92.14, 0.01);
    // 1% random loss: Ie,eff = 95·1/(1+25.1) = 3.64.
    expect(rFactor(40, 2, 0.01)).to.be.closeTo(92.14 - 3.64, 0.01);
    // A 600 ms round trip: d = 324 ms, Id = 7.776 + 0.11·146.7 = 23.913.
    expect(rFactor(600, 2, 0)).to.be.closeTo(93.2 - 23.913, 0.01);
    // Everything lost: Ie,eff = 95·100/125.1 = 75.94.
    expect(rFactor(40, 2, 1)).to.be.closeTo(92.14 - 75.94, 0.01);
    expect(qualityOf(rFactor(40, 2, 0))).to.equal('good');
    expect(qualityOf(rFactor(40, 2, 0.05))).to.equal('fair');
    expect(qualityOf(rFactor(40, 2, 0.2))).to.equal('poor');
  });

  it('measures loss over each interval, not since the call began', () => {
    const tracker = new QualityTracker();
    expect(tracker.next(snap(0, 0), live)).to.equal(undefined);
    expect(tracker.next(snap(90, 10), live)!.figures.packetLoss).to.equal(0.1);
    // Cumulative loss is still 10 of 190, but none was lost in this interval.
    const clean = tracker.next(snap(190, 10), live)!.figures;
    expect(clean.packetLoss).to.equal(0);
    expect(clean.quality).to.equal('good');
    expect(clean.mos).to.be.closeTo(mosFromR(92.14), 0.01);
    // Nothing arrived while the peer should be sending: the stream stalled, all of it lost.
    const stalled = tracker.next(snap(190, 10), live)!.figures;
    expect(stalled).to.include({ packetLoss: 1, quality: 'poor' });
    expect(stalled.mos).to.be.closeTo(1.15, 0.01);
    // On hold nothing is expected: no loss.
    expect(tracker.next(snap(190, 10), { expectAudio: false, micLive: true })!.figures.packetLoss).to.equal(0);
  });

  it('starts a warning after two intervals and clears it after two', () => {
    const tracker = new QualityTracker();
    const high = { rttMs: 500 };
    tracker.next(snap(0, 0), live);
    expect(tracker.next(snap(100, 0, high), live)!.started).to.deep.equal([]);
    expect(tracker.next(snap(200, 0, high), live)!.started).to.deep.equal(['high-rtt']);
    expect([...tracker.warnings]).to.deep.equal(['high-rtt']);
    expect(tracker.next(snap(300, 0, high), live)!.started).to.deep.equal([]);
    expect(tracker.next(snap(400, 0), live)!.cleared).to.deep.equal([]);
    expect(tracker.next(snap(500, 0), live)!.cleared).to.deep.equal(['high-rtt']);
    expect(tracker.warnings.size).to.equal(0);
  });

  it('warns of a silent microphone only while it is unmuted and its energy stays flat', () => {
    const tracker = new QualityTracker();
    tracker.next(snap(0, 0, { micEnergy: 1 }), live);
    tracker.next(snap(100, 0, { micEnergy: 1 }), { expectAudio: true, micLive: false });
    expect(tracker.next(snap(200, 0, { micEnergy: 1 }), { expectAudio: true, micLive: false })!.started).to.deep.equal(
      [],
    );
    tracker.next(snap(300, 0, { micEnergy: 1 }), live);
    expect(tracker.next(snap(400, 0, { micEnergy: 1 }), live)!.started).to.deep.equal(['silent-microphone']);
    tracker.next(snap(500, 0, { micEnergy: 2 }), live);
    expect(tracker.next(snap(600, 0, { micEnergy: 3 }), live)!.cleared).to.deep.equal(['silent-microphone']);
  });

  it('reads inbound audio, the RTCP round trip, jitter and the microphone energy from a stats report', () => {
    const report = new Map<string, Record<string, unknown>>([
      ['in-a', { id: 'in-a', type: 'inbound-rtp', kind: 'audio', packetsReceived: 500, packetsLost: 7, jitter: 0.012 }],
      ['in-v', { id: 'in-v', type: 'inbound-rtp', kind: 'video', packetsReceived: 900, packetsLost: 50, jitter: 0.2 }],
      ['rin', { id: 'rin', type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.081 }],
      ['src', { id: 'src', type: 'media-source', kind: 'audio', totalAudioEnergy: 0.5 }],
      [
        'pair',
        { id: 'pair', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.002 },
      ],
    ]) as unknown as RTCStatsReport;
    expect(readSnapshot(report)).to.deep.equal({
      packetsReceived: 500,
      packetsLost: 7,
      rttMs: 81,
      jitterMs: 12,
      micEnergy: 0.5,
    });
    // Without RTCP yet (and in Firefox, which has no media-source): the candidate pair's STUN round trip.
    const early = new Map(
      [...(report as unknown as Map<string, Record<string, unknown>>)].filter(([id]) => id !== 'rin' && id !== 'src'),
    );
    expect(readSnapshot(early as unknown as RTCStatsReport)).to.deep.include({ rttMs: 2, micEnergy: undefined });
  });
});
