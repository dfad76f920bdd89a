/**
 * Ringtone and ringback generated with WebAudio: no audio files to ship or to allow in a CSP.
 * - ringback: 425 Hz, 1 s on, 4 s off (ETSI TR 101 041 / ITU-T E.180, the European ring tone);
 * - ringtone: two tones (440 + 480 Hz, like the North American ring), twice 0.4 s, then a 2 s pause;
 * - call-waiting: while a call is up, a second call is announced by short 440 Hz bursts (the North
 *   American call-waiting tone; ITU-T E.180 lists 425-450 Hz bursts for it), two of 0.3 s every
 *   10 s, quiet enough to talk over, instead of the full ringtone.
 * A browser may refuse to start audio without a user gesture: that is swallowed, the call goes on
 * silently, and nothing reaches the page's console.
 */
export type Tone = 'ringtone' | 'ringback' | 'call-waiting';

/** Per tone: the frequencies played together, the gain of each, and seconds on, off, on, off... for one period. */
const CADENCES: Record<Tone, [frequencies: number[], gain: number, pattern: number[]]> = {
  ringback: [[425], 0.12, [1, 4]],
  ringtone: [[440, 480], 0.05, [0.4, 0.2, 0.4, 2]],
  'call-waiting': [[440], 0.04, [0.3, 0.2, 0.3, 9.2]],
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
    let stop = (): void => undefined;
    try {
      stop = this.#start(tone);
    } catch {
      // No WebAudio, or it refused: a phone without tones still works.
    }
    this.#playing = { tone, stop };
  }

  stop(): void {
    this.#playing?.stop();
    this.#playing = undefined;
  }

  /** Stops and releases the audio context (the element left the page). */
  close(): void {
    this.stop();
    this.#context?.close().catch(() => undefined);
    this.#context = undefined;
  }

  #start(tone: Tone): () => void {
    const [frequencies, level, pattern] = CADENCES[tone];
    const context = (this.#context ??= new AudioContext());
    context.resume().catch(() => undefined);
    const node = context.createGain();
    node.gain.value = 0;
    node.connect(context.destination);
    const oscillators = frequencies.map((frequency) => {
      const oscillator = new OscillatorNode(context, { frequency });
      oscillator.connect(node);
      oscillator.start();
      return oscillator;
    });
    const period = pattern.reduce((sum, seconds) => sum + seconds);
    // One period is scheduled ahead each time, so the cadence never depends on timer accuracy.
    let next = 0;
    const schedule = (): void => {
      const now = context.currentTime;
      // A suspended context does not advance: keep at most two periods ahead of it.
      if (next > now + 2 * period) return;
      let at = (next = Math.max(next, now + 0.05));
      pattern.forEach((seconds, index) => {
        node.gain.setValueAtTime(index % 2 ? 0 : level, at);
        at += seconds;
      });
      next += period;
    };
    schedule();
    schedule();
    const timer = setInterval(schedule, period * 1000);
    return () => {
      clearInterval(timer);
      node.gain.cancelScheduledValues(0);
      for (const oscillator of oscillators) oscillator.stop();
      node.disconnect();
    };
  }
}
