// web-test-runner plugin: SIPp as a PBX behind Kamailio + rtpengine, for browser tests.
//   executeServerCommand('sipp', { action: 'info' })
// Each browser gets its own rtpengine and Kamailio (-A WITH_RTPENGINE), started on first use: SIPp
// speaks plain SIP over UDP with RTP/AVP SDP, the browser phones WebSocket and WebRTC, and
// kamailio.cfg's route[RTPENGINE] turns each side's SDP into the other's, as in front of a real
// Asterisk or FreeSWITCH. Actions:
//   info                               -> { wsUrl, domain, users, udpPort, pids }
//   start { scenario, service, keys }  -> { id }: SIPp runs ./scenarios/<scenario>, calling the user
//                                         `service` at Kamailio; `keys` are its [keywords]
//   result { id }                      -> { code, messages, errors, log } once that SIPp exited
//                                         (code 0: the scenario passed)
// Every SIPp still running, then Kamailio and rtpengine, stop in serverStop.
import { startKamailio } from '../kamailio/kamailio.mjs';
import { startRtpengine } from '../media-relay/rtpengine.mjs';
import { startSipp } from './sipp.mjs';

export function sippPlugin() {
  /** @type {Map<string, Promise<{ rtpengine: any, kamailio: any }>>} */
  const setups = new Map();
  /** @type {Map<number, Awaited<ReturnType<typeof startSipp>>>} */
  const runs = new Map();
  let nextId = 1;

  const setupFor = (name) => {
    let setup = setups.get(name);
    if (!setup) {
      setup = startSetup();
      setups.set(name, setup);
    }
    return setup;
  };

  return {
    name: 'sipp',

    async serverStop() {
      await Promise.all([...runs.values()].map((run) => run.stop()));
      runs.clear();
      const all = [...setups.values()];
      setups.clear();
      await Promise.all(
        all.map(async (setup) => {
          const ready = await setup.catch(() => undefined);
          await ready?.kamailio.stop();
          await ready?.rtpengine.stop();
        }),
      );
    },

    async executeCommand({ command, payload, session }) {
      if (command !== 'sipp') return undefined;
      const { kamailio, rtpengine } = await setupFor(session.browser.name);
      const action = payload?.action ?? 'info';
      switch (action) {
        case 'info':
          return {
            wsUrl: kamailio.wsUrl,
            domain: kamailio.domain,
            users: kamailio.users,
            udpPort: kamailio.udpPort,
            pids: { kamailio: kamailio.pid, rtpengine: rtpengine.pid },
          };
        case 'start': {
          const run = await startSipp({
            scenario: payload.scenario,
            service: payload.service,
            keys: { domain: kamailio.domain, ...payload.keys },
            proxy: { host: kamailio.host, port: kamailio.udpPort },
            timeoutMs: payload.timeoutMs,
          });
          const id = nextId++;
          runs.set(id, run);
          return { id };
        }
        case 'result': {
          const run = runs.get(payload.id);
          if (!run) throw new Error(`sipp: no run ${payload.id}`);
          const result = await run.done;
          runs.delete(payload.id);
          return result;
        }
        default:
          throw new Error(`sipp: unknown action ${JSON.stringify(action)}`);
      }
    },
  };
}

async function startSetup() {
  const rtpengine = await startRtpengine();
  try {
    const kamailio = await startKamailio({
      defines: ['WITH_RTPENGINE', `RTPENGINE_SOCK=${JSON.stringify(rtpengine.socket)}`],
    });
    return { rtpengine, kamailio };
  } catch (error) {
    await rtpengine.stop();
    throw error;
  }
}
