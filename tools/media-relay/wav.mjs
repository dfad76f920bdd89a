// The audio of the plain-phone tests, written and measured by our own code (no sox): a WAV file
// with a steady sine tone for baresip to send, and the energy in what baresip recorded.

/** A mono 16-bit PCM WAV (RIFF) holding a sine tone at `frequency` Hz. */
export function toneWav({ frequency, seconds, sampleRate = 8000, amplitude = 0.5 }) {
  const samples = Math.round(seconds * sampleRate);
  const buffer = Buffer.alloc(44 + samples * 2);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + samples * 2, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(sampleRate, 24);
  buffer.writeUInt32LE(sampleRate * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    const value = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
    buffer.writeInt16LE(value, 44 + i * 2);
  }
  return buffer;
}

/**
 * The PCM samples of a 16-bit WAV that may still be being written (its sizes not yet final): the
 * format from the "fmt " chunk, the samples from the start of "data" to the end of the file.
 */
export function readWav(buffer) {
  let offset = 12;
  let format;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString('ascii', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      format = {
        channels: buffer.readUInt16LE(offset + 10),
        sampleRate: buffer.readUInt32LE(offset + 12),
        bits: buffer.readUInt16LE(offset + 22),
      };
    } else if (id === 'data') {
      if (!format || format.bits !== 16) throw new Error('readWav: only 16-bit PCM WAV files');
      const start = offset + 8;
      const count = Math.floor((buffer.length - start) / (2 * format.channels));
      const samples = new Float32Array(count);
      for (let i = 0; i < count; i++) samples[i] = buffer.readInt16LE(start + i * 2 * format.channels) / 32768;
      return { sampleRate: format.sampleRate, samples };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('readWav: no data chunk');
}

/** Root mean square of the samples (0 for silence, about 0.35 for a half-scale sine). */
export function rms(samples) {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / samples.length);
}
