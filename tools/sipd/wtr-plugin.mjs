// web-test-runner plugin: the 39peers sipd.py server for browser interop tests. A test page asks with
//   executeServerCommand('sipd', { action: 'info' })   // or 'restart' | 'stop' | 'start'
// (from @web/test-runner-commands) and gets { wsUrl, domain, running }.
//
// Each browser gets its own server, started on its first command (not in serverStart: a run without
// sipd tests, or a machine without Python 2.7, must not pay for or fail on it). Chromium and Firefox
// run at the same time, and sipd.py ends on any TCP reset, so one browser must not take the other's
// server down. 'info' on a server that died fails with how it died and its log; 'restart' brings it
// back on the same URL. All stop in serverStop, which also reports (console.warn) a server that died
// after its last command, for instance when a page closed its connections with a reset.
import { startSipd } from './sipd.mjs';

const ACTIONS = ['info', 'start', 'stop', 'restart'];

export function sipdPlugin(options = {}) {
  /** @type {Map<string, Promise<import('./sipd.mjs').SipdServer>>} */
  const servers = new Map();

  const serverFor = (name) => {
    let server = servers.get(name);
    if (!server) {
      server = startSipd(options);
      servers.set(name, server);
    }
    return server;
  };

  return {
    name: 'sipd',

    async serverStop() {
      const all = [...servers.entries()];
      servers.clear();
      await Promise.all(
        all.map(async ([name, starting]) => {
          const server = await starting.catch(() => undefined);
          if (!server) return;
          try {
            server.checkAlive();
          } catch (error) {
            console.warn(`sipd (${name}): ${error.message}`);
          }
          await server.stop();
        }),
      );
    },

    async executeCommand({ command, payload, session }) {
      if (command !== 'sipd') return undefined;
      const action = payload?.action ?? 'info';
      if (!ACTIONS.includes(action)) {
        throw new Error(`sipd: unknown action ${JSON.stringify(action)} (use ${ACTIONS.join(', ')})`);
      }
      const instance = payload?.instance ?? session.browser.name;
      const server = await serverFor(instance);
      if (action === 'info') server.checkAlive();
      else await server[action]();
      return { instance, wsUrl: server.wsUrl, domain: server.domain, running: server.running };
    },
  };
}
