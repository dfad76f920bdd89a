// The dev server as proxy (RFC 3261 §16), over real WebSockets on 127.0.0.1: delivery over the
// callee's own connection, Record-Route and loose routing of in-dialog requests both ways, CANCEL,
// parallel forking, the refusals (404, 480, 403, 483, 484, 420), and peers that vanish mid-call.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { noopLogger } from '../../src/stack/core/logger';
import { NameAddr, isRequest } from '../../src/stack/message/message';
import type { SipRequest, SipResponse } from '../../src/stack/message/message';
import { ackForNonSuccess, cancelFor } from '../../src/stack/transaction/requests';
import { until } from '../test-support/until';
import { startDevSipServer } from './dev-sip-server';
import type { DevSipServer } from './dev-sip-server';
import { TestPhone, isRequestFor } from './sip-test-client';

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
const routeHeaders = (routes: readonly NameAddr[]) => routes.map((route) => ['Route', String(route)] as const);
const isStatus = (status: number) => (m: SipRequest | SipResponse) => !isRequest(m) && m.status === status;

describe('dev SIP server: proxy', () => {
  let server: DevSipServer;
  let phones: TestPhone[] = [];
  const registered = async (user: string) => {
    const phone = await TestPhone.connect(server.url, user, server.domain);
    phones.push(phone);
    const ok = await phone.register();
    assert.equal(ok.status, 200, `${user} registers`);
    return phone;
  };
  /** alice INVITEs bob's AOR; resolves once bob has the INVITE. */
  const invite = async (alice: TestPhone, ...callees: TestPhone[]) => {
    const request = alice.build('INVITE', `sip:bob@${server.domain}`, {
      contact: `<${alice.contactUri}>`,
      body: SDP,
      contentType: 'application/sdp',
    });
    const final = alice.client.receive(
      (m) => !isRequest(m) && m.status >= 200 && m.cseq.method === 'INVITE',
      'final response to the INVITE',
    );
    final.catch(() => {}); // awaited by the tests that expect one
    alice.client.send(request);
    const received = await Promise.all(callees.map((callee) => callee.client.receiveRequest('INVITE')));
    return { request, final: final as Promise<SipResponse>, received };
  };

  before(async () => {
    server = await startDevSipServer({ port: 0, logger: noopLogger });
  });
  afterEach(() => {
    for (const phone of phones) phone.client.close();
    phones = [];
  });
  after(() => server.stop());

  it("delivers MESSAGE alice -> bob over bob's own connection and the 200 back to alice", async () => {
    const bob = await registered('bob');
    const alice = await registered('alice');
    const message = alice.build('MESSAGE', `sip:bob@${server.domain}`, { body: 'hello bob ✓' });
    const answered = alice.client.request(message);
    const delivered = await bob.client.receiveRequest('MESSAGE');
    assert.equal(String(delivered.uri), bob.contactUri, "the Request-URI is bob's registered Contact (§16.6 step 2)");
    assert.equal(delivered.body, 'hello bob ✓');
    assert.equal(delivered.maxForwards, 69, 'Max-Forwards decremented (§16.6 step 3)');
    assert.equal(delivered.via.length, 2);
    assert.equal(delivered.via[0]?.host, '127.0.0.1');
    assert.equal(delivered.via[0]?.port, server.port);
    assert.ok(delivered.via[0]?.hasRfc3261Branch);
    assert.equal(delivered.via[1]?.branch, message.branch);
    assert.equal(delivered.via[1]?.params.get('received'), '127.0.0.1', "§18.2.1 received on the sender's Via");
    assert.equal(delivered.recordRoute.length, 0, 'MESSAGE creates no dialog: no Record-Route');
    bob.answer(delivered, 200);
    const ok = await answered;
    assert.equal(ok.status, 200);
    assert.equal(ok.via.length, 1, "the proxy's Via is removed on the way back");
    assert.equal(ok.via[0]?.branch, message.branch);

    const options = alice.client.request(alice.build('OPTIONS', `sip:bob@${server.domain}`));
    bob.answer(await bob.client.receiveRequest('OPTIONS'), 200);
    assert.equal((await options).status, 200, 'OPTIONS to a user reaches the user');
  });

  it('record-routes an INVITE and loose-routes ACK, INFO and BYE both ways through itself', async () => {
    const bob = await registered('bob');
    const alice = await registered('alice');
    const call = await invite(alice, bob);
    await alice.client.receive(isStatus(100), "the proxy's 100 Trying");
    const [offer] = call.received;
    // `dlg` names the dialog for the proxy (tools/dev-server/security.test.ts: a made-up To tag is no dialog).
    assert.equal(offer!.recordRoute.length, 1);
    assert.match(
      String(offer!.recordRoute[0]),
      new RegExp(`^<sip:127\\.0\\.0\\.1:${server.port};transport=ws;lr;dlg=[\\w-]{22}>$`),
    );
    assert.equal(offer!.body, SDP);

    bob.answer(offer!, 180);
    await alice.client.receive(isStatus(180), '180 Ringing');
    bob.answer(offer!, 200, bob.tag, SDP);
    const ok = await call.final;
    assert.equal(ok.status, 200);
    assert.equal(ok.body, SDP);
    assert.deepEqual(ok.recordRoute.map(String), offer!.recordRoute.map(String));

    // RFC 3261 §12.1.2: the caller's route set is the Record-Route reversed; the remote target is bob's Contact.
    const bobTarget = String((ok.contact[0] as NameAddr).uri);
    const aliceRoutes = routeHeaders([...ok.recordRoute].reverse());
    const inDialog = (method: string, cseq: number) =>
      alice.build(method, bobTarget, { to: ok.to, callId: call.request.callId, cseq, headers: aliceRoutes });
    alice.client.send(inDialog('ACK', call.request.cseq.seq));
    const ack = await bob.client.receiveRequest('ACK');
    assert.equal(String(ack.uri), bob.contactUri);
    assert.equal(ack.route.length, 0, 'the proxy removed its own Route (§16.4)');

    // The callee's route set is the Record-Route as received; its remote target is alice's Contact.
    const info = bob.build('INFO', alice.contactUri, {
      to: offer!.from,
      callId: offer!.callId,
      cseq: 1,
      headers: routeHeaders(offer!.recordRoute),
      body: 'Signal=5',
      contentType: 'application/dtmf-relay',
    });
    const infoAnswered = bob.client.request(info);
    const infoSeen = await alice.client.receiveRequest('INFO');
    assert.equal(String(infoSeen.uri), alice.contactUri);
    assert.equal(infoSeen.body, 'Signal=5');
    alice.answer(infoSeen, 200);
    assert.equal((await infoAnswered).status, 200);

    const bye = alice.client.request(inDialog('BYE', call.request.cseq.seq + 1));
    const byeSeen = await bob.client.receiveRequest('BYE');
    assert.equal(byeSeen.route.length, 0);
    bob.answer(byeSeen, 200);
    assert.equal((await bye).status, 200);
  });

  it('passes CANCEL to the callee: 200 for the CANCEL, 487 for the INVITE, ACK for the 487 kept at the proxy', async () => {
    const bob = await registered('bob');
    const alice = await registered('alice');
    const call = await invite(alice, bob);
    const [offer] = call.received;
    bob.answer(offer!, 180);
    await alice.client.receive(isStatus(180), '180 Ringing');

    const cancelled = alice.client.request(cancelFor(call.request));
    const cancel = await bob.client.receiveRequest('CANCEL');
    assert.equal(cancel.branch, offer!.branch, '§9.1: the CANCEL matches the INVITE bob received');
    assert.equal((await cancelled).status, 200, '§16.10: the proxy answers the CANCEL itself');
    bob.answer(cancel, 200);
    const terminated = bob.answer(offer!, 487);
    const final = await call.final;
    assert.equal(final.status, 487);
    const proxyAck = await bob.client.receiveRequest('ACK');
    assert.equal(proxyAck.branch, offer!.branch, '§17.1.1.3: the proxy acknowledges the 487 hop by hop');
    assert.equal(proxyAck.to.tag, terminated.to.tag);

    // alice's ACK for the 487 stops at the proxy: a MESSAGE sent after it on the same path reaches bob first.
    alice.client.send(ackForNonSuccess(call.request, final));
    const message = alice.client.request(alice.build('MESSAGE', `sip:bob@${server.domain}`, { body: 'after the ACK' }));
    bob.answer(await bob.client.receiveRequest('MESSAGE'), 200);
    assert.equal((await message).status, 200);
    assert.equal(bob.client.unclaimed.filter(isRequestFor('ACK')).length, 0, 'no second ACK reached bob');
    assert.equal(
      (await alice.client.request(cancelFor(alice.build('INVITE', `sip:bob@${server.domain}`)))).status,
      481,
      'a CANCEL for nothing',
    );
  });

  it('forks an INVITE to every device of the callee, forwards the first 200 and cancels the others', async () => {
    const desk = await registered('bob');
    const mobile = await registered('bob');
    const alice = await registered('alice');
    const call = await invite(alice, desk, mobile);
    const [atDesk, onMobile] = call.received;
    assert.notEqual(atDesk!.branch, onMobile!.branch, 'one branch per target (§16.6 step 8)');
    desk.answer(atDesk!, 180);
    mobile.answer(onMobile!, 200, mobile.tag, SDP);
    const ok = await call.final;
    assert.equal(ok.status, 200);
    assert.equal(ok.to.tag, mobile.tag, "the answering device's 200");
    const cancel = await desk.client.receiveRequest('CANCEL');
    assert.match(cancel.header('Reason') ?? '', /cause=200/, 'RFC 3326: answered elsewhere');
    desk.answer(cancel, 200);
    desk.answer(atDesk!, 487);
    await desk.client.receiveRequest('ACK');

    // A MESSAGE forks too; the first 2xx is the answer.
    const message = alice.client.request(alice.build('MESSAGE', `sip:bob@${server.domain}`, { body: 'both of you' }));
    const [m1, m2] = await Promise.all([
      desk.client.receiveRequest('MESSAGE'),
      mobile.client.receiveRequest('MESSAGE'),
    ]);
    desk.answer(m1!, 202);
    mobile.answer(m2!, 200);
    assert.equal((await message).status, 202);
  });

  it('routes a GRUU to its own instance only (RFC 5627 §7): 480 while it is away, 404 for one never seen', async () => {
    const laptop = await registered('bob');
    const tablet = await registered('bob');
    const alice = await registered('alice');
    const ok = await tablet.register();
    const gruu = (ok.contact as readonly NameAddr[])
      .find((c) => String(c.uri) === tablet.contactUri)
      ?.params.get('pub-gruu');
    assert.ok(gruu, 'the registrar gave the tablet a GRUU');
    const target = gruu.slice(1, -1);
    const laptopGotOne = laptop.client.receive(isRequestFor('MESSAGE'), 'a MESSAGE at the laptop', 300);
    const sent = alice.client.request(alice.build('MESSAGE', target, { body: 'for the tablet' }));
    const delivered = await tablet.client.receiveRequest('MESSAGE');
    assert.equal(String(delivered.uri), tablet.contactUri, "the GRUU is replaced by that instance's Contact");
    tablet.answer(delivered, 200);
    assert.equal((await sent).status, 200);
    await assert.rejects(
      laptopGotOne,
      /no a MESSAGE at the laptop within/,
      'the other device of the same user gets nothing',
    );

    tablet.client.close();
    await until("the server to drop the tablet's binding", () => server.bindings('bob').length === 1, 2000, 10);
    const away = await alice.client.request(alice.build('MESSAGE', target, { body: 'anyone?' }));
    assert.equal(away.status, 480, 'a GRUU whose instance is not registered now');
    const unknown = await alice.client.request(
      alice.build('MESSAGE', `sip:bob@${server.domain};gr=urn:uuid:00000000-0000-4000-8000-000000000000`),
    );
    assert.equal(unknown.status, 404);
  });

  it('sends the best final response when every branch fails (§16.7 step 6)', async () => {
    const desk = await registered('bob');
    const mobile = await registered('bob');
    const alice = await registered('alice');
    const call = await invite(alice, desk, mobile);
    desk.answer(call.received[0]!, 486);
    mobile.answer(call.received[1]!, 503);
    assert.equal((await call.final).status, 486, '4xx beats 5xx');
    await Promise.all([desk.client.receiveRequest('ACK'), mobile.client.receiveRequest('ACK')]);
  });

  it('refuses what it cannot route: 404, 480, 403, 484, 483 and 420', async () => {
    const alice = await registered('alice');
    const carol = await registered('carol');
    assert.equal((await carol.register(0)).status, 200);
    const send = (uri: string, options = {}) =>
      alice.client.request(alice.build('MESSAGE', uri, { body: 'x', ...options }));
    assert.equal((await send(`sip:nobody@${server.domain}`)).status, 404, 'never registered');
    assert.equal((await send(`sip:carol@${server.domain}`)).status, 480, 'registered before, offline now');
    assert.equal((await send('sip:carol@example.com')).status, 403, 'no relaying to other domains');
    assert.equal((await send('sip:ghost@gone.invalid;transport=ws')).status, 480, 'a flow that is gone');
    assert.equal((await alice.client.request(alice.build('INVITE', `sip:${server.domain}`))).status, 484);
    const tired = alice.build('MESSAGE', `sip:alice@${server.domain}`, { body: 'x' });
    tired.maxForwards = 0;
    assert.equal((await alice.client.request(tired)).status, 483);
    const demanding = await send(`sip:alice@${server.domain}`, { headers: [['Proxy-Require', 'sec-agree']] });
    assert.equal(demanding.status, 420);
    assert.equal(demanding.header('Unsupported'), 'sec-agree');
  });

  it("record-routes a NOTIFY (an unsolicited one, as MWI) and routes REFER between registered users; SUBSCRIBE is the server's own", async () => {
    const bob = await registered('bob');
    const alice = await registered('alice');
    const notify = bob.build('NOTIFY', `sip:alice@${server.domain}`, {
      contact: `<${bob.contactUri}>`,
      headers: [
        ['Event', 'message-summary'],
        ['Subscription-State', 'active;expires=600'],
      ],
    });
    const notified = bob.client.request(notify);
    const notifySeen = await alice.client.receiveRequest('NOTIFY');
    assert.equal(notifySeen.recordRoute.length, 1, "NOTIFY is record-routed (it may create the subscriber's dialog)");
    alice.answer(notifySeen, 200);
    assert.equal((await notified).status, 200);
    // RFC 6665 §4.2: the server answers SUBSCRIBE for its users itself (event-server.test.ts); not bob.
    const subscribed = await alice.client.request(
      alice.build('SUBSCRIBE', `sip:bob@${server.domain}`, {
        contact: `<${alice.contactUri}>`,
        headers: [
          ['Event', 'presence'],
          ['Expires', 600],
        ],
      }),
    );
    assert.equal(subscribed.status, 200);
    assert.equal(subscribed.header('Expires'), '600');

    const refer = alice.client.request(
      alice.build('REFER', `sip:bob@${server.domain}`, {
        contact: `<${alice.contactUri}>`,
        headers: [['Refer-To', `<sip:carol@${server.domain}>`]],
      }),
    );
    const referSeen = await bob.client.receiveRequest('REFER');
    assert.equal(referSeen.recordRoute.length, 1);
    bob.answer(referSeen, 202);
    assert.equal((await refer).status, 202);
  });

  it("ends a call attempt with 480 when the callee's connection drops, and cancels it when the caller's does", async () => {
    const bob = await registered('bob');
    const alice = await registered('alice');
    const call = await invite(alice, bob);
    bob.answer(call.received[0]!, 180);
    await alice.client.receive(isStatus(180), '180 Ringing');
    bob.client.terminate();
    assert.equal((await call.final).status, 480, 'at once, not after Timer C');
    assert.equal(
      (await alice.client.request(alice.build('MESSAGE', `sip:bob@${server.domain}`, { body: 'x' }))).status,
      480,
      "bob's binding went with his connection",
    );

    const bobAgain = await registered('bob');
    const second = await invite(alice, bobAgain);
    bobAgain.answer(second.received[0]!, 180);
    await alice.client.receive(isStatus(180), '180 Ringing');
    alice.client.terminate();
    const cancel = await bobAgain.client.receiveRequest('CANCEL');
    assert.equal(cancel.branch, second.received[0]!.branch);
    bobAgain.answer(cancel, 200);
    bobAgain.answer(second.received[0]!, 487);
    await bobAgain.client.receiveRequest('ACK');
  });
});
