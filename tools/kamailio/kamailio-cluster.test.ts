// The two-node cluster of kamailio.cfg WITH_CLUSTER, started by startKamailioCluster(): a stack
// user agent in Node with an RFC 5626 flow to each node registers both, and a MESSAGE sent on
// either node reaches it exactly once on the wire (one flow of an instance at a time, RFC 5626
// §5.3), through the node holding the flow chosen; stop() leaves no Kamailio process behind.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { cryptoRandom } from '../../src/stack/core/random';
import { FlowSet } from '../../src/stack/transport/flow-set';
import { WebSocketTransport } from '../../src/stack/transport/websocket-transport';
import { UserAgent } from '../../src/stack/ua/user-agent';
import { startKamailioCluster, type KamailioCluster } from './kamailio.mjs';

const ws = WebSocket as never;

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Kamailio WITH_CLUSTER (two nodes, DMQ, Path)', () => {
  let cluster: KamailioCluster;
  const agents: UserAgent[] = [];

  before(async () => {
    cluster = await startKamailioCluster();
  });

  after(async () => {
    await Promise.allSettled(agents.map((ua) => ua.stop()));
    const pids = cluster.nodes.map((node) => node.pid);
    await cluster.stop();
    assert.deepEqual(pids.map(alive), [false, false], 'no Kamailio left running');
  });

  async function registered(
    name: 'alice' | 'bob' | 'carol',
    transport: WebSocketTransport | FlowSet,
  ): Promise<UserAgent> {
    const { domain, users } = cluster.nodes[0];
    const ua = new UserAgent({ aor: `sip:${name}@${domain}`, password: users[name].password, transport });
    agents.push(ua);
    await ua.start();
    assert.equal((await ua.register()).response.status, 200, `${name} registered`);
    return ua;
  }

  it('runs the nodes on two loopback addresses, each with its own ports', () => {
    const [a, b] = cluster.nodes;
    assert.notEqual(a.host, b.host);
    assert.equal(new Set([a.wsPort, a.wssPort, a.udpPort, b.wsPort, b.wssPort, b.udpPort]).size, 6);
  });

  it('reaches a phone with a flow to each node from either node, once per MESSAGE', async () => {
    const [a, b] = cluster.nodes;
    const flows = new FlowSet(
      [a.wsUrl, b.wsUrl].map((url) => new WebSocketTransport({ url, webSocket: ws })),
      cryptoRandom,
    );
    const alice = await registered('alice', flows);
    const wire: string[] = [];
    flows.onMessage(
      (text, flow) => text.startsWith('MESSAGE ') && wire.push(`${flow} ${text.slice(text.indexOf('\r\n\r\n') + 4)}`),
    );
    await waitFor(() => alice.registrations.all.every((r) => r.registered), 'both flows registered');
    const shown: string[] = [];
    alice.events.on('message', ({ body }) => shown.push(body));
    const bob = await registered('bob', new WebSocketTransport({ url: a.wsUrl, webSocket: ws }));
    const carol = await registered('carol', new WebSocketTransport({ url: b.wsUrl, webSocket: ws }));
    for (const [ua, body] of [
      [bob, 'from node 0'],
      [carol, 'from node 1'],
    ] as const) {
      assert.equal((await ua.sendMessage('alice', body)).status, 200);
    }
    assert.deepEqual(shown, ['from node 0', 'from node 1']);
    assert.deepEqual(
      wire.map((line) => line.slice(2)),
      ['from node 0', 'from node 1'],
      `each MESSAGE came once, on one flow (${wire.join('; ')})`,
    );
  });
});

async function waitFor(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
