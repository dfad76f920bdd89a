/** A mono 16-bit PCM WAV holding a sine tone. */
export declare function toneWav(options: {
  frequency: number;
  seconds: number;
  sampleRate?: number;
  amplitude?: number;
}): Buffer;
/** The first channel of a 16-bit PCM WAV (sizes need not be final), as samples in [-1, 1). */
export declare function readWav(buffer: Buffer): { sampleRate: number; samples: Float32Array };
/** Root mean square of the samples. */
export declare function rms(samples: Float32Array): number;
