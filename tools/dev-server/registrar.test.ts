// The dev server as registrar (RFC 3261 §10.3, RFC 5626 §6), over real WebSockets on 127.0.0.1:
// the handshake, bindings and their expiry, unregistration, 423, CSeq ordering, keep-alives and
// OPTIONS to the server itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/stack/core/clock.fake';
import { noopLogger } from '../../src/stack/core/logger';
import { NameAddr } from '../../src/stack/message/message';
import { startDevSipServer } from './dev-sip-server';
import type { DevSipServer } from './dev-sip-server';
import { SipTestClient, TestPhone } from './sip-test-client';

const contactsOf = (response: { contact: ReadonlyArray<NameAddr | '*'> }) => response.contact as readonly NameAddr[];

describe('dev SIP server: registrar', () => {
  let server: DevSipServer;
  const clock = new FakeClock(1_000_000);
  const phones: TestPhone[] = [];
  const phone = async (user: string) => {
    const p = await TestPhone.connect(server.url, user, server.domain);
    phones.push(p);
    return p;
  };

  before(async () => {
    server = await startDevSipServer({ port: 0, logger: noopLogger, clock });
  });
  after(async () => {
    for (const p of phones) p.client.close();
    await server.stop();
  });

  it('listens on 127.0.0.1 and accepts a WebSocket only with the "sip" subprotocol (RFC 7118 §4)', async () => {
    assert.match(server.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    const client = await SipTestClient.connect(server.url, 'probe');
    assert.equal(client.socket.protocol, 'sip');
    client.close();
    await assert.rejects(SipTestClient.connect(server.url, 'no-subprotocol', []), /400/);
    await assert.rejects(SipTestClient.connect(server.url, 'wrong-subprotocol', ['xmpp']), /400/);
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    assert.equal(page.status, 426, 'plain HTTP is told to upgrade');
  });

  it('registers a browser contact: 200 lists it with its expiry, a To tag and Require: outbound', async () => {
    const alice = await phone('alice');
    const ok = await alice.register(600);
    assert.equal(ok.status, 200);
    assert.ok(ok.to.tag, 'the registrar adds a To tag');
    assert.deepEqual(ok.headers('Require'), ['outbound'], 'RFC 5626 §6: the registrar used the flow');
    const [contact] = contactsOf(ok);
    assert.equal(String(contact?.uri), alice.contactUri);
    assert.equal(contact?.expires, 600);
    assert.equal(contact?.params.get('+sip.instance'), `"${alice.instance}"`);
    assert.deepEqual(server.bindings('alice'), [
      { contact: String(contact?.withParam('expires', undefined).withParam('pub-gruu', undefined)), expires: 600 },
    ]);
  });

  it('counts down the expiry, lists every device of a user, and replaces a device by instance and reg-id', async () => {
    const laptop = await phone('carol');
    const tablet = await phone('carol');
    assert.equal((await laptop.register(300)).status, 200);
    clock.advance(100_000);
    const both = await tablet.register(600);
    assert.equal(both.status, 200);
    const listed = new Map(contactsOf(both).map((c) => [String(c.uri), c.expires]));
    assert.deepEqual(
      listed,
      new Map([
        [laptop.contactUri, 200],
        [tablet.contactUri, 600],
      ]),
      'remaining seconds, not the requested ones',
    );

    // The laptop reconnects (new socket, new Contact host) with the same instance and reg-id: one binding replaces the
    // other.
    const reconnected = new TestPhone(await SipTestClient.connect(server.url, 'carol again'), 'carol', server.domain);
    Object.defineProperty(reconnected, 'instance', { value: laptop.instance });
    phones.push(reconnected);
    const replaced = await reconnected.register(600);
    assert.deepEqual(
      contactsOf(replaced)
        .map((c) => String(c.uri))
        .sort(),
      [reconnected.contactUri, tablet.contactUri].sort(),
    );
  });

  it('gives each instance its public GRUU when asked (RFC 5627 §6), the same one on every registration', async () => {
    const laptop = await phone('gina');
    const tablet = await phone('gina');
    const first = await laptop.register(600);
    assert.deepEqual(first.headers('Supported'), ['outbound', 'gruu']);
    const urn = laptop.instance.slice(1, -1);
    const gruu = contactsOf(first)[0]?.params.get('pub-gruu');
    assert.equal(gruu, `"sip:gina@${server.domain};gr=${urn}"`);
    const both = await tablet.register(600);
    const byUri = new Map(contactsOf(both).map((c) => [String(c.uri), c.params.get('pub-gruu')]));
    assert.equal(byUri.get(laptop.contactUri), gruu, 'the same GRUU while the instance stays');
    assert.equal(byUri.get(tablet.contactUri), `"sip:gina@${server.domain};gr=${tablet.instance.slice(1, -1)}"`);
    // A REGISTER without Supported: gruu gets no GRUU, and one without an instance ID has none to get.
    const withoutGruu = laptop.registerRequest(600);
    withoutGruu.setHeader('Supported', 'path, outbound');
    assert.ok(
      contactsOf(await laptop.client.request(withoutGruu)).every((c) => c.params.get('pub-gruu') === undefined),
    );
    const plain = await laptop.client.request(
      laptop.registerRequest(0, { contact: `<sip:gina@198.51.100.7;transport=ws>;expires=60` }),
    );
    const plainContact = contactsOf(plain).find((c) => c.uri.toString().includes('198.51.100.7'));
    assert.equal(plainContact?.params.get('pub-gruu'), undefined);
  });

  it('takes the Expires header when the Contact has no expires, caps at 3600 and defaults to 3600', async () => {
    const dave = await phone('dave');
    const fromHeader = await dave.client.request(
      dave.registerRequest(0, {
        contact: `<${dave.contactUri}>;+sip.instance="${dave.instance}";reg-id=1`,
        expiresHeader: 120,
      }),
    );
    assert.equal(contactsOf(fromHeader)[0]?.expires, 120);
    const capped = await dave.client.request(dave.registerRequest(7200));
    assert.equal(contactsOf(capped)[0]?.expires, 3600);
    const byDefault = await dave.client.request(dave.registerRequest(0, { contact: `<${dave.contactUri}>` }));
    const plain = contactsOf(byDefault).find((c) => c.params.get('+sip.instance') === undefined);
    assert.equal(
      plain?.expires,
      3600,
      'a Contact without outbound parameters is its own binding, with the default expiry',
    );
  });

  it('refuses a too short expiry with 423 and Min-Expires, and registers nothing', async () => {
    const erin = await phone('erin');
    const brief = await erin.register(5);
    assert.equal(brief.status, 423);
    assert.equal(brief.header('Min-Expires'), '10');
    assert.deepEqual(server.bindings('erin'), []);
  });

  it('answers a query (no Contact) with the bindings, and unregisters one contact with expires=0', async () => {
    const frank = await phone('frank');
    await frank.register(600);
    const query = await frank.client.request(frank.registerRequest(0, { contact: null }));
    assert.equal(query.status, 200);
    assert.equal(contactsOf(query).length, 1);
    const gone = await frank.register(0);
    assert.equal(gone.status, 200);
    assert.equal(gone.contact.length, 0, 'no binding is left to list');
    assert.deepEqual(server.bindings('frank'), []);
  });

  it('removes every binding with Contact: * and Expires: 0, and refuses * with another expiry', async () => {
    const grace = await phone('grace');
    const other = await phone('grace');
    await grace.register(600);
    await other.register(600);
    assert.equal(server.bindings('grace').length, 2);
    const wrong = await grace.client.request(grace.registerRequest(0, { contact: '*', expiresHeader: 60 }));
    assert.equal(wrong.status, 400);
    const all = await grace.client.request(grace.registerRequest(0, { contact: '*', expiresHeader: 0 }));
    assert.equal(all.status, 200);
    assert.deepEqual(server.bindings('grace'), []);
  });

  it('refuses a REGISTER with the same Call-ID and a CSeq not above the stored one (§10.3 step 7)', async () => {
    const heidi = await phone('heidi');
    const first = heidi.registerRequest(600);
    assert.equal((await heidi.client.request(first)).status, 200);
    const replay = first.clone().setHeader('Via', heidi.client.via);
    const refused = await heidi.client.request(replay);
    assert.equal(refused.status, 400);
    assert.equal(server.bindings('heidi').length, 1);
  });

  it('lets a binding lapse: after its expiry the user is offline (480), never-registered users are unknown (404)', async () => {
    const ivan = await phone('ivan');
    const judy = await phone('judy');
    await ivan.register(60);
    clock.advance(61_000);
    assert.deepEqual(server.bindings('ivan'), []);
    const offline = await judy.client.request(judy.build('MESSAGE', `sip:ivan@${server.domain}`, { body: 'hi' }));
    assert.equal(offline.status, 480);
    const unknown = await judy.client.request(judy.build('MESSAGE', `sip:nobody@${server.domain}`, { body: 'hi' }));
    assert.equal(unknown.status, 404);
  });

  it('refuses a REGISTER for another domain (403) and an AOR outside the domain (404)', async () => {
    const mallory = await phone('mallory');
    const foreign = mallory.build('REGISTER', 'sip:example.com', {
      to: new NameAddr('sip:mallory@example.com'),
      contact: `<${mallory.contactUri}>`,
    });
    assert.equal((await mallory.client.request(foreign)).status, 403);
    const wrongAor = mallory.build('REGISTER', `sip:${server.domain}`, {
      to: new NameAddr('sip:mallory@example.com'),
      contact: `<${mallory.contactUri}>`,
    });
    assert.equal((await mallory.client.request(wrongAor)).status, 404);
  });

  it('answers a CRLF CRLF keep-alive with CRLF (RFC 5626 §4.4.1) and OPTIONS to itself with 200 and Allow', async () => {
    const probe = await phone('probe');
    probe.client.send('\r\n\r\n');
    assert.equal(await probe.client.nextOtherFrame(), '\r\n');
    for (const uri of [`sip:${server.domain}`, `sip:127.0.0.1:${server.port};transport=ws`]) {
      const ok = await probe.client.request(probe.build('OPTIONS', uri));
      assert.equal(ok.status, 200, uri);
      assert.match(ok.headers('Allow').join(', '), /\bINVITE\b.*\bMESSAGE\b.*\bREGISTER\b/);
    }
  });
});
