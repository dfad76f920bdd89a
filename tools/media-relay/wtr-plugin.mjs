// web-test-runner plugin: a plain SIP phone behind Kamailio + rtpengine, for browser tests.
//   executeServerCommand('plain-phone', { action: 'info' })
// Each browser gets its own trio, started on first use (the tests that need it are few, so the
// rest of the run does not pay for it): rtpengine (userspace), Kamailio with -A WITH_RTPENGINE, and
// baresip registered there over UDP as `carol`. Actions:
//   info                          -> { wsUrl, domain, users, phone: { user, aor }, pids }
//   command { line }              -> baresip's output for a menu command ("dial sip:alice@...",
//                                    "accept", "hangup", "hold", "resume")
//   event { type, timeoutMs }     -> the first baresip event of that type since the last 'clear'
//   events                        -> every event since the last 'clear'
//   relayed { callId }            -> RTP packets rtpengine received so far on each leg of the call:
//                                    { secure (from the browser), plain (from baresip) }, or
//                                    { unknown: true } when rtpengine has no such call
//   clear                         -> hangs up any call left over, forgets events and recordings
//   audio { from }                -> what baresip decoded in its current (or last) call from second
//                                    `from` on: { file, seconds (all so far), rms }, from the WAV sndfile
//                                    writes. baresip 1.0 stops decoding into it once a re-INVITE
//                                    changed the stream, so it proves audio up to the first hold.
// All stop in serverStop; their run directories (logs) go when Node exits, unless
// MEDIA_RELAY_KEEP_RUNDIR=1 (and KAMAILIO_KEEP_RUNDIR=1 for Kamailio's).
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { startKamailio } from '../kamailio/kamailio.mjs';
import { startBaresip } from './baresip.mjs';
import { startRtpengine } from './rtpengine.mjs';
import { readWav, rms } from './wav.mjs';

export function mediaRelayPlugin() {
  /** @type {Map<string, Promise<{ rtpengine: any, kamailio: any, phone: any }>>} */
  const setups = new Map();

  const setupFor = (name) => {
    let setup = setups.get(name);
    if (!setup) {
      setup = startSetup();
      setups.set(name, setup);
    }
    return setup;
  };

  return {
    name: 'plain-phone',

    async serverStop() {
      const all = [...setups.values()];
      setups.clear();
      await Promise.all(all.map(async (setup) => stopSetup(await setup.catch(() => undefined))));
    },

    async executeCommand({ command, payload, session }) {
      if (command !== 'plain-phone') return undefined;
      const { rtpengine, kamailio, phone } = await setupFor(session.browser.name);
      const action = payload?.action ?? 'info';
      switch (action) {
        case 'info':
          return {
            wsUrl: kamailio.wsUrl,
            domain: kamailio.domain,
            users: kamailio.users,
            phone: { user: phone.user, aor: phone.aor },
            pids: { rtpengine: rtpengine.pid, kamailio: kamailio.pid, baresip: phone.pid },
          };
        case 'command':
          return phone.command(payload.line);
        case 'event':
          return phone.waitFor((event) => event.type === payload.type, payload.timeoutMs ?? 10000, payload.type);
        case 'events':
          return phone.events;
        case 'clear':
          await phone.command('hangup').catch(() => undefined);
          phone.clearEvents();
          for (const name of readdirSync(phone.runDir))
            if (name.startsWith('dump-')) rmSync(join(phone.runDir, name), { force: true });
          return true;
        case 'relayed':
          // (A command answering null or undefined counts as unhandled in web-test-runner.)
          return (await rtpengine.packets(payload.callId)) ?? { unknown: true };
        case 'audio':
          return measureReceived(phone.runDir, payload.from ?? 0);
        default:
          throw new Error(`plain-phone: unknown action ${JSON.stringify(action)}`);
      }
    },
  };
}

async function startSetup() {
  const rtpengine = await startRtpengine();
  let kamailio;
  try {
    kamailio = await startKamailio({
      defines: ['WITH_RTPENGINE', `RTPENGINE_SOCK=${JSON.stringify(rtpengine.socket)}`],
    });
    const phone = await startBaresip({ sip: kamailio });
    return { rtpengine, kamailio, phone };
  } catch (error) {
    await kamailio?.stop();
    await rtpengine.stop();
    throw error;
  }
}

async function stopSetup(setup) {
  if (!setup) return;
  await setup.phone.stop();
  await setup.kamailio.stop();
  await setup.rtpengine.stop();
}

/** The newest "-dec.wav" sndfile wrote: the audio baresip decoded from its peer. */
function measureReceived(dir, fromSeconds) {
  const dumps = readdirSync(dir)
    .filter((name) => name.endsWith('-dec.wav'))
    .map((name) => ({ path: join(dir, name), time: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  if (dumps.length === 0) return { file: null, seconds: 0, rms: 0 };
  const { sampleRate, samples } = readWav(readFileSync(dumps[0].path));
  const tail = samples.subarray(Math.min(samples.length, Math.round(sampleRate * fromSeconds)));
  return { file: basename(dumps[0].path), seconds: samples.length / sampleRate, rms: rms(tail) };
}
