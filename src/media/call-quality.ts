/**
 * Call quality from periodic statistics: pure arithmetic, no DOM, so unit tests check it with
 * numbers. call-stats.ts reads the figures from an RTCStatsReport; the `<sip-call>` samples them.
 *
 * The estimate is the ITU-T G.107 E-model in its common simplified form (R. G. Cole and
 * J. H. Rosenbluth, "Voice over IP performance monitoring", ACM SIGCOMM CCR 31(2), 2001):
 *   R = 93.2 − Id − Ie,eff
 *   Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)          (d: one-way mouth-to-ear delay, ms)
 *   Ie,eff = Ie + (95 − Ie)·Ppl / (Ppl + Bpl)              (G.107 §7.2 eq. 7-29, random loss, BurstR 1)
 *   MOS = 1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶       (G.107 Annex B, eq. B-4)
 * with Ie = 0 and Bpl = 25.1, G.113 Appendix I's values for G.711 with packet loss concealment,
 * standing in for Opus (which G.113 does not list). The one-way delay is half the round trip plus
 * a jitter buffer of twice the jitter plus 20 ms of packetization. An estimate, not a measurement.
 */

export type CallQuality = 'good' | 'fair' | 'poor';

/** Twilio-style warnings (twilio-voice.js `call.on('warning')`): each starts and, later, clears. */
export type QualityWarning = 'high-rtt' | 'high-jitter' | 'high-packet-loss' | 'silent-microphone';

/** One interval's figures, as `sip-call-quality` carries them. */
export interface QualityFigures {
  /** Round-trip time in ms (undefined until the browser measured one). */
  rtt: number | undefined;
  /** Interarrival jitter of what we receive, in ms (RFC 3550 §6.4.1). */
  jitter: number | undefined;
  /** Fraction (0..1) of the audio packets expected in this interval that did not arrive. */
  packetLoss: number;
  /** The E-model rating R (0..100) and the MOS (1..4.5) it maps to. */
  rFactor: number;
  mos: number;
  quality: CallQuality;
}

/** Cumulative counters read from the statistics at one moment. */
export interface StatsSnapshot {
  /** Audio packets received and lost so far (inbound-rtp, RFC 3550 §6.4.1 cumulative lost). */
  packetsReceived: number;
  packetsLost: number;
  rttMs: number | undefined;
  jitterMs: number | undefined;
  /** Energy our microphone has produced so far (media-source totalAudioEnergy), where the browser reports it. */
  micEnergy: number | undefined;
}

/** Above these, the warning's condition holds (Twilio's thresholds for rtt and jitter; loss 3%). */
export const WARNING_THRESHOLDS = { rttMs: 400, jitterMs: 30, packetLoss: 0.03 } as const;
/** Consecutive intervals a condition must hold to start a warning, and be gone to clear it. */
export const WARNING_INTERVALS = 2;

/** G.107 Annex B: the MOS a rating R maps to. */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

/** The simplified E-model rating R for a round trip, jitter (ms) and a loss fraction (0..1). */
export function rFactor(rttMs: number, jitterMs: number, packetLoss: number): number {
  const delay = rttMs / 2 + 2 * jitterMs + 20;
  const delayImpairment = 0.024 * delay + (delay > 177.3 ? 0.11 * (delay - 177.3) : 0);
  const lossPercent = Math.min(Math.max(packetLoss, 0), 1) * 100;
  const equipmentImpairment = (95 * lossPercent) / (lossPercent + 25.1);
  return Math.min(Math.max(93.2 - delayImpairment - equipmentImpairment, 0), 100);
}

/** G.107 Table B.1: R ≥ 80 users satisfied, 60..80 some dissatisfied, below 60 many. */
export function qualityOf(r: number): CallQuality {
  return r >= 80 ? 'good' : r >= 60 ? 'fair' : 'poor';
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/**
 * Turns successive snapshots into figures and warnings. Loss is over the interval, not since the
 * call began: lost / (received + lost) of the packets that came due in it. An interval in which
 * no audio packet arrived at all while we expect audio counts as all lost: a stalled stream (its
 * sequence numbers show no gap until it resumes) is what the user hears as the line gone dead.
 */
export class QualityTracker {
  #last: StatsSnapshot | undefined;
  readonly #streaks = new Map<QualityWarning, number>();
  readonly #active = new Set<QualityWarning>();

  /** Warnings in force. */
  get warnings(): ReadonlySet<QualityWarning> {
    return this.#active;
  }

  /**
   * Takes the next snapshot. `expectAudio`: the peer should be sending (not held, not inactive);
   * `micLive`: our microphone is on and unmuted, so silence from it means something is wrong.
   * Returns undefined for the first snapshot (an interval needs two).
   */
  next(
    snapshot: StatsSnapshot,
    { expectAudio, micLive }: { expectAudio: boolean; micLive: boolean },
  ): { figures: QualityFigures; started: QualityWarning[]; cleared: QualityWarning[] } | undefined {
    const last = this.#last;
    this.#last = snapshot;
    if (!last) return undefined;
    const received = Math.max(snapshot.packetsReceived - last.packetsReceived, 0);
    const lost = Math.max(snapshot.packetsLost - last.packetsLost, 0);
    const packetLoss = !expectAudio ? 0 : received + lost > 0 ? lost / (received + lost) : 1;
    const r = rFactor(snapshot.rttMs ?? 0, snapshot.jitterMs ?? 0, packetLoss);
    const figures: QualityFigures = {
      rtt: snapshot.rttMs === undefined ? undefined : round(snapshot.rttMs, 1),
      jitter: snapshot.jitterMs === undefined ? undefined : round(snapshot.jitterMs, 1),
      packetLoss: round(packetLoss, 4),
      rFactor: round(r, 1),
      mos: round(mosFromR(r), 2),
      quality: qualityOf(r),
    };
    const silent =
      micLive &&
      snapshot.micEnergy !== undefined &&
      last.micEnergy !== undefined &&
      snapshot.micEnergy - last.micEnergy <= 0;
    const conditions: Record<QualityWarning, boolean> = {
      'high-rtt': (snapshot.rttMs ?? 0) > WARNING_THRESHOLDS.rttMs,
      'high-jitter': (snapshot.jitterMs ?? 0) > WARNING_THRESHOLDS.jitterMs,
      'high-packet-loss': packetLoss > WARNING_THRESHOLDS.packetLoss,
      'silent-microphone': silent,
    };
    const started: QualityWarning[] = [];
    const cleared: QualityWarning[] = [];
    for (const [warning, holds] of Object.entries(conditions) as Array<[QualityWarning, boolean]>) {
      const active = this.#active.has(warning);
      // A streak counts intervals that disagree with the warning's current state.
      const streak = holds !== active ? (this.#streaks.get(warning) ?? 0) + 1 : 0;
      this.#streaks.set(warning, streak);
      if (streak < WARNING_INTERVALS) continue;
      this.#streaks.set(warning, 0);
      if (holds) this.#active.add(warning);
      else this.#active.delete(warning);
      (holds ? started : cleared).push(warning);
    }
    return { figures, started, cleared };
  }

  /** Forgets the last snapshot (media paused: hold), keeping the warnings in force. */
  pause(): void {
    this.#last = undefined;
  }
}
