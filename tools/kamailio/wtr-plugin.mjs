// web-test-runner plugin: Kamailio for browser interop tests. A test page asks for its server with
//   executeServerCommand('kamailio', { action: 'info' })   // or 'restart' | 'stop' | 'start'
// (from @web/test-runner-commands) and gets { wsUrl, wssUrl, udpPort, domain, users, running }.
//
// Each browser gets its own Kamailio, started in serverStart: Chromium and Firefox files run at the
// same time (concurrentBrowsers), and one file's restart must not cut the other's calls. A test that
// needs a server of its own, or one shared by both browsers, names it: { action, instance: 'x' };
// named instances start on first use, as does { presence: true }, the browser's own server with the
// presence modules (kamailio.cfg WITH_PRESENCE). All stop in serverStop.
import { startKamailio } from './kamailio.mjs';

const ACTIONS = ['info', 'start', 'stop', 'restart'];

export function kamailioPlugin(options = {}) {
  /** @type {Map<string, Promise<import('./kamailio.mjs').KamailioServer>>} */
  const servers = new Map();

  const serverFor = (name, presence = false) => {
    let server = servers.get(name);
    if (!server) {
      server = startKamailio({ ...options, presence });
      servers.set(name, server);
    }
    return server;
  };

  return {
    name: 'kamailio',

    async serverStart({ config }) {
      const browsers = new Set((config.browsers ?? []).map((browser) => browser.name));
      await Promise.all([...browsers].map(serverFor));
    },

    async serverStop() {
      const all = [...servers.values()];
      servers.clear();
      await Promise.all(all.map(async (server) => (await server.catch(() => undefined))?.stop()));
    },

    async executeCommand({ command, payload, session }) {
      if (command !== 'kamailio') return undefined;
      const action = payload?.action ?? 'info';
      if (!ACTIONS.includes(action)) {
        throw new Error(`kamailio: unknown action ${JSON.stringify(action)} (use ${ACTIONS.join(', ')})`);
      }
      // { presence: true }: this browser's server with the presence modules (kamailio.cfg WITH_PRESENCE).
      const presence = payload?.presence === true;
      const instance = payload?.instance ?? `${session.browser.name}${presence ? '-presence' : ''}`;
      const server = await serverFor(instance, presence);
      if (action !== 'info') await server[action]();
      return {
        instance,
        wsUrl: server.wsUrl,
        wssUrl: server.wssUrl,
        udpPort: server.udpPort,
        domain: server.domain,
        users: server.users,
        running: server.running,
      };
    },
  };
}
