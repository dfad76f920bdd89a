// web-test-runner plugin: Kamailio for browser interop tests. A test page asks for its server with
//   executeServerCommand('kamailio', { action: 'info' })   // or 'restart' | 'stop' | 'start'
// (from @web/test-runner-commands) and gets { wsUrl, wssUrl, udpPort, domain, users, running }.
//
// Each browser gets its own Kamailio, started in serverStart: Chromium and Firefox files run at the
// same time (concurrentBrowsers), and one file's restart must not cut the other's calls. A test that
// needs a server of its own, or one shared by both browsers, names it: { action, instance: 'x' };
// named instances start on first use, as does { presence: true }, the browser's own server with the
// presence modules (kamailio.cfg WITH_PRESENCE). All stop in serverStop.
//
// { cluster: true, node: 0 | 1 }: the browser's two-node cluster (kamailio.cfg WITH_CLUSTER),
// started on first use; 'stop' and 'start' act on the node named, 'info' tells both nodes' URLs.
import { startKamailio, startKamailioCluster } from './kamailio.mjs';

const ACTIONS = ['info', 'start', 'stop', 'restart'];

export function kamailioPlugin(options = {}) {
  /** @type {Map<string, Promise<import('./kamailio.mjs').KamailioServer>>} */
  const servers = new Map();

  /** @type {Map<string, Promise<import('./kamailio.mjs').KamailioCluster>>} */
  const clusters = new Map();
  const clusterFor = (name) => {
    let cluster = clusters.get(name);
    if (!cluster) {
      cluster = startKamailioCluster(options);
      clusters.set(name, cluster);
    }
    return cluster;
  };

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
      const all = [...servers.values(), ...clusters.values()];
      servers.clear();
      clusters.clear();
      await Promise.all(all.map(async (server) => (await server.catch(() => undefined))?.stop()));
    },

    async executeCommand({ command, payload, session }) {
      if (command !== 'kamailio') return undefined;
      const action = payload?.action ?? 'info';
      if (!ACTIONS.includes(action)) {
        throw new Error(`kamailio: unknown action ${JSON.stringify(action)} (use ${ACTIONS.join(', ')})`);
      }
      if (payload?.cluster === true)
        return clusterCommand(
          await clusterFor(payload.instance ?? `${session.browser.name}-cluster`),
          action,
          payload.node,
        );
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

async function clusterCommand(cluster, action, index = 0) {
  const node = cluster.nodes[index];
  if (!node) throw new Error(`kamailio: the cluster has nodes 0 and 1, not ${JSON.stringify(index)}`);
  if (action !== 'info') await node[action]();
  return {
    domain: node.domain,
    users: node.users,
    nodes: cluster.nodes.map((each) => ({ wsUrl: each.wsUrl, running: each.running })),
  };
}
