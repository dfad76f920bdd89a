/**
 * Ringtone and ringback generated with WebAudio: no audio files to ship or to allow in a CSP.
 * - ringback: 425 Hz, 1 s on, 4 s off (ETSI TR 101 041 / ITU-T E.180, the European ring tone);
 * - ringtone: two tones (440 + 480 Hz, like the North American ring), twice 0.4 s, then a 2 s pause.
 * A browser may refuse to start audio without a user gesture: that is swallowed, the call goes on
 * silently, and nothing reaches the page's console.
 */
export type Tone = 'ringtone' | 'ringback';

interface Cadence {
  frequencies: number[];
  /** Seconds on, off, on, off... for one period. */
  pattern: number[];
  volume: number;
}

const CADENCES: Record<Tone, Cadence> = {
  ringback: { frequencies: [425], pattern: [1, 4], volume: 0.12 },
  ringtone: { frequencies: [440, 480], pattern: [0.4, 0.2, 0.4, 2], volume: 0.1 },
};

export class TonePlayer {
  #context: AudioContext | undefined;
  #playing: { tone: Tone; stop(): void } | undefined;

  /** The tone playing now, if any. */
  get tone(): Tone | undefined {
    return this.#playing?.tone;
  }

  play(tone: Tone): void {
    if (this.#playing?.tone === tone) return;
    this.stop();
    try {
      this.#playing = { tone, stop: this.#start(CADENCES[tone]) };
    } catch {
      // No WebAudio, or it refused: a phone without tones still works.
      this.#playing = { tone, stop: () => undefined };
    }
  }

  stop(): void {
    this.#playing?.stop();
    this.#playing = undefined;
  }

  /** Stops and releases the audio context (the element left the page). */
  close(): void {
    this.stop();
    void this.#context?.close().catch(() => undefined);
    this.#context = undefined;
  }

  #start(cadence: Cadence): () => void {
    const context = (this.#context ??= new AudioContext());
    void context.resume().catch(() => undefined);
    const gain = context.createGain();
    gain.gain.value = 0;
    gain.connect(context.destination);
    const oscillators = cadence.frequencies.map((frequency) => {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      oscillator.start();
      return oscillator;
    });
    const period = cadence.pattern.reduce((sum, seconds) => sum + seconds, 0);
    // One period is scheduled ahead each time, so the cadence never depends on timer accuracy.
    let next = context.currentTime + 0.05;
    const schedule = (): void => {
      // A suspended context does not advance: keep at most two periods ahead of it.
      if (next > context.currentTime + 2 * period) return;
      next = Math.max(next, context.currentTime + 0.05);
      let at = next;
      cadence.pattern.forEach((seconds, index) => {
        gain.gain.setValueAtTime(index % 2 === 0 ? cadence.volume / cadence.frequencies.length : 0, at);
        at += seconds;
      });
      next += period;
    };
    schedule();
    schedule();
    const timer = setInterval(schedule, period * 1000);
    return () => {
      clearInterval(timer);
      gain.gain.cancelScheduledValues(0);
      for (const oscillator of oscillators) oscillator.stop();
      gain.disconnect();
    };
  }
}
