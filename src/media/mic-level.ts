/**
 * How loud our microphone is now, for a level meter: a WebAudio AnalyserNode on the local track
 * (W3C Web Audio API §1.8). The audio context is made only while someone reads the level and
 * closed when done, so a phone without a call holds no audio thread.
 */
export class MicLevel {
  readonly #context: AudioContext;
  readonly #analyser: AnalyserNode;
  readonly #samples: Float32Array<ArrayBuffer>;

  constructor(track: MediaStreamTrack) {
    this.#context = new AudioContext();
    this.#analyser = this.#context.createAnalyser();
    this.#analyser.fftSize = 1024;
    this.#samples = new Float32Array(this.#analyser.fftSize);
    this.#context.createMediaStreamSource(new MediaStream([track])).connect(this.#analyser);
    // A context made outside a user gesture may start suspended; the page's call was one.
    void this.#context.resume().catch(() => undefined);
  }

  /** The RMS level of the last ~20 ms, 0..1 (1 is full scale). */
  level(): number {
    this.#analyser.getFloatTimeDomainData(this.#samples);
    let sum = 0;
    for (const sample of this.#samples) sum += sample * sample;
    return Math.min(Math.sqrt(sum / this.#samples.length), 1);
  }

  close(): void {
    void this.#context.close().catch(() => undefined);
  }
}
