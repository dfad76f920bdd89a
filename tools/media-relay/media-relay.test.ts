// The plain-phone test services (tools/media-relay): the WAV tone and its measurement, and the
// web-test-runner plugin driven the way the runner drives it: rtpengine, Kamailio with
// WITH_RTPENGINE and baresip start on first use, answer commands, and leave no process behind.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { readWav, rms, toneWav } from './wav.mjs';
import { mediaRelayPlugin } from './wtr-plugin.mjs';

type Plugin = ReturnType<typeof mediaRelayPlugin>;
type Session = Parameters<NonNullable<Plugin['executeCommand']>>[0]['session'];
const session = { browser: { name: 'Chrome' } } as unknown as Session;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('wav', () => {
  it('writes a sine tone whose energy (RMS) is its amplitude over root two', () => {
    const { sampleRate, samples } = readWav(
      toneWav({ frequency: 440, seconds: 0.5, sampleRate: 8000, amplitude: 0.5 }),
    );
    assert.equal(sampleRate, 8000);
    assert.equal(samples.length, 4000);
    assert.ok(Math.abs(rms(samples) - 0.5 / Math.SQRT2) < 0.01);
    assert.equal(rms(new Float32Array(100)), 0);
  });

  it('reads a WAV that is still being written (its sizes not yet final)', () => {
    const whole = toneWav({ frequency: 440, seconds: 0.2, sampleRate: 8000 });
    whole.writeUInt32LE(0, 40); // the data size a writer fills in at the end
    const { samples } = readWav(whole.subarray(0, 44 + 2 * 800));
    assert.equal(samples.length, 800);
  });
});

describe('mediaRelayPlugin', () => {
  const plugin = mediaRelayPlugin();
  const run = (payload: Record<string, unknown>) =>
    plugin.executeCommand?.({ command: 'plain-phone', payload, session });
  after(() => plugin.serverStop?.());

  it('starts rtpengine, Kamailio and a registered baresip on first use, and stops them all', async () => {
    const info = (await run({ action: 'info' })) as {
      wsUrl: string;
      phone: { aor: string };
      pids: Record<string, number>;
    };
    assert.match(info.wsUrl, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.phone.aor, 'sip:carol@sip-elements.test');
    assert.match(String(await run({ action: 'command', line: 'reginfo' })), /OK/);
    assert.deepEqual(await run({ action: 'relayed', callId: 'no-such-call' }), { unknown: true });
    const pids = Object.values(info.pids);
    assert.equal(pids.length, 3);
    assert.ok(pids.every(alive));
    await plugin.serverStop?.();
    assert.deepEqual(pids.filter(alive), [], 'no process left behind');
  });
});
