/**
 * Reads what call-quality.ts needs from a WebRTC statistics report (W3C webrtc-stats): the audio
 * we receive (inbound-rtp: packets received and lost, jitter), the round trip (remote-inbound-rtp
 * roundTripTime from RTCP receiver reports, RFC 3550 §6.4.1; else the selected candidate pair's
 * currentRoundTripTime from STUN checks) and our microphone's energy (media-source, where the
 * browser reports it: Chromium does, Firefox does not).
 */
import type { StatsSnapshot } from './call-quality';

type Stats = Record<string, unknown> & { type: string; kind?: string };

const number = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function readSnapshot(report: RTCStatsReport): StatsSnapshot {
  const snapshot: StatsSnapshot = {
    packetsReceived: 0,
    packetsLost: 0,
    rttMs: undefined,
    jitterMs: undefined,
    micEnergy: undefined,
  };
  let pairRtt: number | undefined;
  let selectedPair: string | undefined;
  const pairs = new Map<string, Stats>();
  report.forEach((stats: Stats) => {
    if (stats.type === 'inbound-rtp' && stats.kind === 'audio') {
      snapshot.packetsReceived += number(stats.packetsReceived) ?? 0;
      // Cumulative lost may go negative with duplicates (RFC 3550 §6.4.1).
      snapshot.packetsLost += Math.max(number(stats.packetsLost) ?? 0, 0);
      const jitter = number(stats.jitter);
      if (jitter !== undefined) snapshot.jitterMs = Math.max(snapshot.jitterMs ?? 0, jitter * 1000);
    } else if (stats.type === 'remote-inbound-rtp' && stats.kind === 'audio') {
      const rtt = number(stats.roundTripTime);
      if (rtt !== undefined) snapshot.rttMs = rtt * 1000;
    } else if (stats.type === 'media-source' && stats.kind === 'audio') {
      const energy = number(stats.totalAudioEnergy);
      if (energy !== undefined) snapshot.micEnergy = (snapshot.micEnergy ?? 0) + energy;
    } else if (stats.type === 'transport' && typeof stats.selectedCandidatePairId === 'string') {
      selectedPair = stats.selectedCandidatePairId;
    } else if (stats.type === 'candidate-pair') {
      pairs.set(stats.id as string, stats);
      // Firefox marks the pair in use `selected` and has no transport stats pointing at it.
      if (stats.selected === true || (stats.nominated === true && stats.state === 'succeeded'))
        pairRtt ??= number(stats.currentRoundTripTime);
    }
  });
  const selected = selectedPair ? number(pairs.get(selectedPair)?.currentRoundTripTime) : undefined;
  snapshot.rttMs ??= (selected ?? pairRtt) === undefined ? undefined : (selected ?? pairRtt)! * 1000;
  return snapshot;
}
