// Issue 22 over real parts: a <sip-phone> with RFC 5626 flows to both nodes of a two-node Kamailio
// cluster (deploy/kamailio/kamailio.cfg WITH_CLUSTER: registrations shared by DMQ, each node
// reaching the other's flows through Path). Two other phones, one registered on each node, send it
// MESSAGEs and call it while each node in turn is stopped and started again: every MESSAGE sent
// arrives, and a call arrives in every phase.
// Then a call that is up when the node carrying it dies: both nodes Record-Route with the
// cluster's name, and the phones' Contacts are GRUUs (RFC 5627) that either node finds in the
// shared location service, so the call's in-dialog requests go through the surviving node.
import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { SipCall, SipPhone } from '../../src/index';
import { makePhone, removePhones, waitFor, waitForMedia, type KamailioInfo } from './elements-helpers';
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
    await waitFor(
      'alice to notice node 0 is gone',
      () => alice.userAgent!.registrations.all[0]!.registered === false,
      10_000,
    );
    expect(alice.registered, 'registered through node 1').to.equal(true);
    await phase('node 0 down', [carol], 3);
    await bringBack(0, bob);

    await cluster('stop', 1);
    await waitFor(
      'alice to notice node 1 is gone',
      () => alice.userAgent!.registrations.all[1]!.registered === false,
      10_000,
    );
    expect(alice.registered, 'registered through node 0').to.equal(true);
    await phase('node 1 down', [bob], 3);
    await bringBack(1, carol);

    await phase('both back', [bob, carol], 2);
    expect([...received].sort(), 'every MESSAGE sent arrived, once').to.deep.equal([...sent].sort());
    expect(calls.length, 'a call in each phase from each sender').to.equal(6);
  });
});

/** One SIP message a phone received: the flow it came on, its first line and its CSeq method. */
interface Received {
  flow: number;
  line: string;
  method: string;
}

describeNeedingWebRTC('a call through a Kamailio cluster when the node carrying it dies', function () {
  // The surviving node waits 3 s for the dead one before it tries a phone's next flow
  // (route[PEERFLOW]), once per phone.
  this.timeout(90_000);
  let info: ClusterInfo;
  let bob: SipPhone;
  let dave: SipPhone;
  const received = new Map<SipPhone, Received[]>();

  before(async () => {
    info = await cluster('info');
    const both = `${info.nodes[0]!.wsUrl} ${info.nodes[1]!.wsUrl}`;
    bob = await makePhone(at(info, 0), 'bob', { server: both });
    dave = await makePhone(at(info, 0), 'dave', { server: both });
    for (const phone of [bob, dave]) {
      await waitFor(
        `${phone.user}'s flows to both nodes`,
        () => phone.userAgent!.registrations.all.every((r) => r.registered),
        10_000,
      );
      const log: Received[] = [];
      received.set(phone, log);
      phone.userAgent!.core.transport.onMessage((text, flow) => {
        const line = text.slice(0, text.indexOf('\r\n'));
        const method = /^CSeq:\s*\d+\s+(\w+)/im.exec(text)?.[1] ?? '';
        log.push({ flow, line, method });
      });
    }
  });

  after(async () => {
    await removePhones();
    await Promise.all([cluster('start', 0), cluster('start', 1)]);
  });

  const liveFlow = (phone: SipPhone) => phone.userAgent!.core.transport.liveFlow;

  /**
   * Holds or resumes once no offer/answer exchange is running: right after the flow change both
   * phones' target refreshes may still be crossing (a 491 and its retry after 2.1-4 s, RFC 3261
   * §14.1), and a call takes one change at a time, as a user pressing the button would find.
   */
  async function whenIdle(what: string, change: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        return await change();
      } catch (error) {
        if (!/exchange is in progress/.test((error as Error).message) || Date.now() > deadline)
          throw new Error(`${what}: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  it('is refreshed, held and resumed, and hung up through the surviving node', async () => {
    const ringing = oneEvent(dave, 'sip-incoming');
    const outgoing = await bob.call('dave');
    const incoming = (await ringing).detail.call as SipCall;
    await incoming.answer();
    await waitFor(
      'the call connected at both ends',
      () => outgoing.state === 'connected' && incoming.state === 'connected',
      15_000,
    );
    await waitForMedia(outgoing, 'audio', 'audio from dave to bob');

    // The node bob's call went out through dies. Each phone's flow to it registered last, so the
    // surviving node's location service names that flow first for each phone's GRUU: it must
    // notice the dead node and take the phone's next flow (RFC 5626 §5.3) for in-dialog requests too.
    const dead = liveFlow(bob)!;
    const survivor = dead === 1 ? 2 : 1;
    for (const phone of [bob, dave]) {
      const { status } = (await phone.userAgent!.registrations.all[dead - 1]!.register()).response;
      expect(status, `${phone.user} registered again over flow ${dead}`).to.equal(200);
    }
    const mark = new Map([...received].map(([phone, log]) => [phone, log.length]));
    const since = (phone: SipPhone) => received.get(phone)!.slice(mark.get(phone));
    await cluster('stop', dead - 1);
    await waitFor(
      'both phones on their flow to the surviving node',
      () => liveFlow(bob) === survivor && liveFlow(dave) === survivor,
      10_000,
    );

    // (a) The phones refresh their target from the new flow (RFC 3261 §12.2, RFC 5626 §4.4): a
    // re-INVITE (or UPDATE) through the surviving node is answered 200 by the other phone.
    const refreshed = () =>
      [bob, dave].some((phone) =>
        since(phone).some((m) => m.line.startsWith('SIP/2.0 200') && /^(INVITE|UPDATE)$/.test(m.method)),
      );
    await waitFor('a 200 to a target refresh through the surviving node', refreshed, 20_000);
    for (const phone of [bob, dave]) {
      expect(
        since(phone).map((m) => m.flow),
        `${phone.user} heard only over flow ${survivor}`,
      ).to.satisfy((flows: number[]) => flows.every((f) => f === survivor));
    }
    expect([outgoing.state, incoming.state]).to.deep.equal(['connected', 'connected']);
    // Media goes browser to browser (ICE), not through Kamailio: it never stopped.
    await waitForMedia(outgoing, 'audio', 'audio from dave to bob after the node died');
    await waitForMedia(incoming, 'audio', 'audio from bob to dave after the node died');

    // (b) Hold and resume: re-INVITEs both ways through the surviving node.
    await whenIdle('bob holds', () => outgoing.hold());
    await waitFor('held at both ends', () => outgoing.state === 'held' && incoming.state === 'held', 15_000);
    await whenIdle('bob resumes', () => outgoing.unhold());
    await waitFor(
      'resumed at both ends',
      () => outgoing.state === 'connected' && incoming.state === 'connected',
      15_000,
    );
    await whenIdle('dave holds', () => incoming.hold());
    await waitFor('held by dave at both ends', () => outgoing.state === 'held' && incoming.state === 'held', 15_000);
    await whenIdle('dave resumes', () => incoming.unhold());
    await waitFor(
      'resumed by dave at both ends',
      () => outgoing.state === 'connected' && incoming.state === 'connected',
      15_000,
    );
    await waitForMedia(outgoing, 'audio', 'audio from dave to bob after hold');

    // (c) The BYE reaches the other phone over its live flow.
    let cause: string | undefined;
    incoming.addEventListener('sip-call-ended', (event) => (cause = event.detail.cause));
    await outgoing.hangup();
    await waitFor("bob's BYE at dave", () => cause !== undefined, 10_000);
    expect(cause).to.equal('remote-hangup');
    expect(
      since(dave).some((m) => m.line.startsWith('BYE ') && m.flow === survivor),
      'the BYE at dave',
    ).to.equal(true);
  });
});

describeNeedingWebRTC('a call between phones on different nodes, without GRUUs', function () {
  this.timeout(60_000);

  after(removePhones);

  // Phones that use the Contact they registered (`registered-contact`), as clients without GRUU
  // support do: their Contacts carry the `alias` of the node that saw them (route[WSCONTACT]),
  // which names a connection on that node only. The route set names the cluster, so an in-dialog
  // request reaches whichever node the sender is on: that node hands it to the other one.
  it('holds, resumes and hangs up across the nodes', async () => {
    const info = await cluster('info');
    const attributes = { 'registered-contact': '' };
    const bob = await makePhone(at(info, 0), 'bob', { attributes });
    const carol = await makePhone(at(info, 1), 'carol', { attributes });
    const ringing = oneEvent(carol, 'sip-incoming');
    const outgoing = await bob.call('carol');
    const incoming = (await ringing).detail.call as SipCall;
    await incoming.answer();
    await waitFor(
      'the call connected at both ends',
      () => outgoing.state === 'connected' && incoming.state === 'connected',
      15_000,
    );

    for (const [who, call] of [
      ['bob', outgoing],
      ['carol', incoming],
    ] as const) {
      await call.hold();
      await waitFor(
        `held by ${who} at both ends`,
        () => outgoing.state === 'held' && incoming.state === 'held',
        10_000,
      );
      await call.unhold();
      await waitFor(
        `resumed by ${who} at both ends`,
        () => outgoing.state === 'connected' && incoming.state === 'connected',
        10_000,
      );
    }
    let cause: string | undefined;
    outgoing.addEventListener('sip-call-ended', (event) => (cause = event.detail.cause));
    await incoming.hangup();
    await waitFor("carol's BYE at bob", () => cause !== undefined, 10_000);
    expect(cause).to.equal('remote-hangup');
  });
});
