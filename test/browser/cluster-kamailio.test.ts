// Issue 22 over real parts: a <sip-phone> with RFC 5626 flows to both nodes of a two-node Kamailio
// cluster (deploy/kamailio/kamailio.cfg WITH_CLUSTER: registrations shared by DMQ, each node
// reaching the other's flows through Path). Two other phones, one registered on each node, send it
// MESSAGEs and call it while each node in turn is stopped and started again: every MESSAGE sent
// arrives, and a call arrives in every phase.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { SipPhone } from '../../src/index';
import { makePhone, removePhones, waitFor, type KamailioInfo } from './elements-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

interface ClusterInfo {
  domain: KamailioInfo['domain'];
  users: KamailioInfo['users'];
  nodes: Array<{ wsUrl: string; running: boolean }>;
}

const cluster = (action: 'info' | 'stop' | 'start', node = 0) =>
  executeServerCommand('kamailio', { cluster: true, action, node }) as Promise<ClusterInfo>;

/** A node's server info in the shape makePhone() takes. */
const at = (info: ClusterInfo, node: number): KamailioInfo => ({ ...info, wsUrl: info.nodes[node]!.wsUrl, wssUrl: '' });

describeNeedingWebRTC('<sip-phone> with flows to both nodes of a Kamailio cluster', function () {
  // A node's return is noticed by the phone's backoff (first retry within 250 ms, then anywhere in
  // 25 s), twice; each phase waits for that.
  this.timeout(150_000);
  let info: ClusterInfo;
  let alice: SipPhone;
  const phones: SipPhone[] = [];
  const sent: string[] = [];
  const received: string[] = [];
  const calls: string[] = [];
  /** Every server URL the phone said it connected to, and registered after. */
  const connected: string[] = [];

  before(async () => {
    info = await cluster('info');
    const [a, b] = [info.nodes[0]!.wsUrl, info.nodes[1]!.wsUrl];
    alice = await makePhone(at(info, 0), 'alice', { server: `${a} ${b}` });
    alice.addEventListener('sip-message', (event) => received.push(event.detail.body));
    alice.addEventListener('sip-connected', (event) => connected.push(event.detail.server));
    // Each call is declined at once: what counts is that it arrived, over whichever flow.
    alice.addEventListener('sip-incoming', (event) => {
      calls.push(event.detail.from);
      event.preventDefault();
    });
    phones.push(await makePhone(at(info, 0), 'bob'), await makePhone(at(info, 1), 'carol'));
    // Both of alice's flows registered (one sip-registered each; the first resolved makePhone).
    await waitFor("alice's second flow", () => alice.userAgent!.registrations.all.every((r) => r.registered), 10_000);
  });

  after(async () => {
    await removePhones();
    await Promise.all([cluster('start', 0), cluster('start', 1)]);
  });

  /** Each phone on a running node sends `count` MESSAGEs and calls once; checks the call arrived. */
  async function phase(name: string, senders: SipPhone[], count: number): Promise<void> {
    for (const sender of senders) {
      for (let i = 0; i < count; i++) {
        const body = `${name} ${sender.user} ${i}`;
        sent.push(body);
        const { status } = await sender.sendMessage('alice', body);
        expect(status, body).to.equal(200);
      }
      const before = calls.length;
      const call = await sender.call('alice');
      await waitFor(`${name}: ${sender.user}'s call at alice`, () => calls.length > before, 15_000);
      await waitFor(`${name}: ${sender.user}'s call ended`, () => call.state === 'ended', 10_000);
    }
    await waitFor(`${name}: every MESSAGE at alice`, () => received.length === sent.length, 10_000);
  }

  /** Starts a node again and waits until alice's flow to it and its own phone are registered. */
  async function bringBack(node: number, phone: SipPhone): Promise<void> {
    const url = info.nodes[node]!.wsUrl;
    const flow = alice.userAgent!.registrations.all[node]!;
    const named = () => connected.filter((server) => server === url).length;
    const before = named();
    await cluster('start', node);
    await waitFor(`alice's flow to node ${node} registered again`, () => flow.registered, 40_000);
    await waitFor(`${phone.user} registered again`, () => phone.registered, 40_000);
    expect(named(), `sip-connected names ${url}`).to.be.above(before);
  }

  it('keeps receiving MESSAGEs and calls while either node is down, and loses none', async () => {
    const [bob, carol] = phones as [SipPhone, SipPhone];
    await phase('both up', [bob, carol], 2);

    await cluster('stop', 0);
    await waitFor('alice to notice node 0 is gone', () => alice.userAgent!.registrations.all[0]!.registered === false, 10_000);
    expect(alice.registered, 'registered through node 1').to.equal(true);
    await phase('node 0 down', [carol], 3);
    await bringBack(0, bob);

    await cluster('stop', 1);
    await waitFor('alice to notice node 1 is gone', () => alice.userAgent!.registrations.all[1]!.registered === false, 10_000);
    expect(alice.registered, 'registered through node 0').to.equal(true);
    await phase('node 1 down', [bob], 3);
    await bringBack(1, carol);

    await phase('both back', [bob, carol], 2);
    expect([...received].sort(), 'every MESSAGE sent arrived, once').to.deep.equal([...sent].sort());
    expect(calls.length, 'a call in each phase from each sender').to.equal(6);
  });
});
