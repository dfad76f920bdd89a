// Smoke test of deploy/kamailio/kamailio.cfg through tools/kamailio/kamailio.mjs: hand-written SIP
// over WebSocket (and UDP) against a real Kamailio. It proves what the interop tests rely on:
// digest auth (401 for REGISTER, 407 for the rest), delivery to a registered WebSocket client over
// its own connection, Record-Route and loose routing of in-dialog requests, 404/480, restart on
// the same URL, WSS, and the presence server of WITH_PRESENCE.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKamailio, type KamailioServer } from './kamailio.mjs';
import {
  buildRequest,
  buildResponse,
  digestAuthorization,
  newBranch,
  parseChallenge,
  parseSip,
  token,
  UdpSipClient,
  WsSipClient,
  type SipText,
} from './raw-sip';

const isRequest = (method: string) => (m: SipText) => m.status === undefined && m.method === method;

/** A user agent on one WebSocket: registers, and sends requests with digest retry. */
class Agent {
  readonly registerCallId = `${token()}@test`;
  readonly instance = crypto.randomUUID();
  readonly tag = token();
  /** The last request sent with credentials (a CANCEL copies its branch and CSeq). */
  lastRequest = '';
  private cseq = 1;

  constructor(
    readonly client: WsSipClient,
    readonly user: string,
    readonly password: string,
    readonly domain: string,
  ) {}

  get aor(): string {
    return `sip:${this.user}@${this.domain}`;
  }

  get contactUri(): string {
    return `sip:${this.user}@${this.client.viaHost};transport=ws`;
  }

  /** Sends a request; answers one digest challenge; resolves to [challenge, final response]. */
  async send(
    method: string,
    uri: string,
    to: string,
    extra: { headers?: string[]; body?: string; contact?: string } = {},
  ) {
    // RFC 3261 section 22.2: the retry keeps the Call-ID and increments the CSeq.
    const callId = method === 'REGISTER' ? this.registerCallId : `${token()}@test`;
    const build = (auth: string[]) =>
      buildRequest({
        method,
        uri,
        from: `<${this.aor}>;tag=${this.tag}`,
        to,
        callId,
        cseq: this.cseq++,
        via: this.client.via,
        contact: extra.contact,
        headers: [...auth, ...(extra.headers ?? [])],
        body: extra.body,
      });
    const first = await this.client.request(build([]), `${method} (unauthenticated)`);
    if (first.status !== 401 && first.status !== 407) return [undefined, first] as const;
    const header = first.status === 401 ? 'www-authenticate' : 'proxy-authenticate';
    const challenge = parseChallenge(first.header(header) ?? '');
    const authorization = digestAuthorization(challenge, { user: this.user, password: this.password }, method, uri);
    const name = first.status === 401 ? 'Authorization' : 'Proxy-Authorization';
    const retry = build([`${name}: ${authorization}`]);
    this.lastRequest = retry;
    const second = await this.client.request(retry, `${method} (with credentials)`);
    return [first, second] as const;
  }

  register(expires = 600) {
    return this.send('REGISTER', `sip:${this.domain}`, `<${this.aor}>`, {
      // As browser clients do (RFC 5626 outbound, RFC 7118 section 5).
      contact: `<${this.contactUri}>;+sip.instance="<urn:uuid:${this.instance}>";reg-id=1;expires=${expires}`,
      headers: ['Supported: path, outbound, gruu'],
    });
  }
}

async function connectAgent(server: KamailioServer, name: 'alice' | 'bob' | 'carol' | 'dave', url = server.wsUrl) {
  const { user, password } = server.users[name];
  return new Agent(await WsSipClient.connect(url, name, { rejectUnauthorized: false }), user, password, server.domain);
}

async function registered(server: KamailioServer, name: 'alice' | 'bob' | 'carol' | 'dave') {
  const agent = await connectAgent(server, name);
  const [, ok] = await agent.register();
  assert.equal(ok.status, 200, `${name} REGISTER: ${ok.raw}`);
  return agent;
}

/** Unregisters (so the next test's requests do not fork to this contact too) and disconnects. */
async function leave(agent: Agent) {
  const [, ok] = await agent.register(0);
  assert.equal(ok.status, 200, `${agent.user} unREGISTER: ${ok.raw}`);
  agent.client.close();
}

describe('Kamailio with deploy/kamailio/kamailio.cfg', () => {
  let server: KamailioServer;
  const open: WsSipClient[] = [];
  const track = <T extends { client: WsSipClient }>(agent: T) => {
    open.push(agent.client);
    return agent;
  };

  before(async () => {
    server = await startKamailio();
  });
  after(async () => {
    for (const client of open) client.close();
    await server?.stop();
  });

  it('listens on loopback WS, WSS and UDP and speaks the "sip" subprotocol', async () => {
    assert.match(server.wsUrl, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.match(server.wssUrl, /^wss:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(server.udpPort > 0);
    const client = await WsSipClient.connect(server.wsUrl, 'probe');
    open.push(client);
    assert.equal(client.protocol, 'sip');
  });

  it('registers every user of the table: 401 with an MD5 challenge, then 200 echoing the Contact', async () => {
    for (const name of ['alice', 'bob', 'carol', 'dave'] as const) {
      const agent = track(await connectAgent(server, name));
      const [challenge, ok] = await agent.register();
      assert.equal(challenge?.status, 401, `${name}: first REGISTER must be challenged`);
      const params = parseChallenge(challenge.header('www-authenticate') ?? '');
      assert.equal(params.realm, server.domain);
      assert.equal(params.algorithm ?? 'MD5', 'MD5');
      assert.match(params.qop ?? '', /\bauth\b/);
      assert.equal(ok.status, 200, ok.raw);
      const contacts = ok.headers('contact').join(',');
      assert.ok(contacts.includes(agent.contactUri), `200 OK lists the registered Contact: ${contacts}`);
      assert.match(contacts, /expires=\d+/);
      // Unregister so later tests see these users offline (carol and dave) or re-register them.
      const [, gone] = await agent.register(0);
      assert.equal(gone.status, 200);
    }
  });

  it('re-challenges a wrong password and refuses an unknown user', async () => {
    const wrong = track(await connectAgent(server, 'alice'));
    const impostor = new Agent(wrong.client, 'alice', 'not-the-password', server.domain);
    const [, rechallenged] = await impostor.register();
    assert.equal(rechallenged.status, 401);

    // Password "0" too: what a $var holding $null turns into in Kamailio's script language.
    for (const password of ['whatever', '0', '']) {
      const stranger = new Agent(wrong.client, 'mallory', password, server.domain);
      const [challenge, refused] = await stranger.register();
      assert.equal(challenge?.status, 401, 'an unknown user is challenged like anyone else');
      assert.equal(refused.status, 403, `mallory with password ${JSON.stringify(password)}`);
    }
  });

  it("refuses credentials of one user for another user's registration", async () => {
    const client = track(await connectAgent(server, 'alice')).client;
    const aliceAsBob = new Agent(client, 'alice', server.users.alice.password, server.domain);
    // Register bob's AOR with alice's digest user name and password.
    const [challenge, refused] = await aliceAsBob.send(
      'REGISTER',
      `sip:${server.domain}`,
      `<sip:bob@${server.domain}>`,
      {
        contact: `<sip:bob@${client.viaHost};transport=ws>`,
      },
    );
    assert.equal(challenge?.status, 401);
    assert.equal(refused.status, 403);
  });

  it('answers OPTIONS to itself with 200 and a CRLF keepalive with CRLF', async () => {
    const agent = track(await connectAgent(server, 'carol'));
    const [, ok] = await agent.send('OPTIONS', `sip:${server.domain}`, `<sip:${server.domain}>`);
    assert.equal(ok.status, 200);
    // RFC 5626 section 4.4.1 keepalive: the server answers a double CRLF with a single one.
    assert.equal(await agent.client.keepalive(), '\r\n');
  });

  it("delivers MESSAGE from alice to bob over bob's own WebSocket, after a 407 challenge", async () => {
    const bob = track(await registered(server, 'bob'));
    const alice = track(await registered(server, 'alice'));
    const delivered = bob.client.receive(isRequest('MESSAGE'), 'MESSAGE for bob');
    const sending = alice.send('MESSAGE', `sip:bob@${server.domain}`, `<sip:bob@${server.domain}>`, {
      body: 'hello bob',
    });
    const message = await delivered;
    assert.equal(message.uri, bob.contactUri, "the Request-URI is bob's registered Contact");
    assert.equal(message.body, 'hello bob');
    assert.equal(message.header('proxy-authorization'), undefined, "alice's credentials are consumed");
    bob.client.send(buildResponse(message, 200, 'OK'));
    const [challenge, ok] = await sending;
    assert.equal(challenge?.status, 407);
    assert.equal(parseChallenge(challenge.header('proxy-authenticate') ?? '').realm, server.domain);
    assert.equal(ok.status, 200, "bob's 200 OK reaches alice");
    await leave(bob);
    await leave(alice);
  });

  it("relays a 40 kB MESSAGE, more than Kamailio's usual 16 kB WebSocket read buffer", async () => {
    const bob = track(await registered(server, 'bob'));
    const alice = track(await registered(server, 'alice'));
    const body = 'x'.repeat(40000);
    const delivered = bob.client.receive(isRequest('MESSAGE'), 'large MESSAGE for bob');
    const sending = alice.send('MESSAGE', `sip:bob@${server.domain}`, `<sip:bob@${server.domain}>`, { body });
    const message = await delivered;
    assert.equal(message.body.length, body.length);
    bob.client.send(buildResponse(message, 200, 'OK'));
    assert.equal((await sending)[1].status, 200);
    await leave(bob);
    await leave(alice);
  });

  it('answers 404 for an unknown user and 480 for an offline one', async () => {
    const alice = track(await connectAgent(server, 'alice'));
    const [, unknown] = await alice.send('MESSAGE', `sip:nobody@${server.domain}`, `<sip:nobody@${server.domain}>`, {
      body: 'x',
    });
    assert.equal(unknown.status, 404);
    const [, offline] = await alice.send('MESSAGE', `sip:dave@${server.domain}`, `<sip:dave@${server.domain}>`, {
      body: 'x',
    });
    assert.equal(offline.status, 480);
  });

  it('forgets a binding when its WebSocket closes: 480 for the next request, not a 5xx', async () => {
    const bob = await registered(server, 'bob');
    bob.client.close();
    await withTimeout(bob.client.closed, 2000, "bob's socket to close");
    const alice = track(await connectAgent(server, 'alice'));
    const [, offline] = await alice.send('MESSAGE', `sip:bob@${server.domain}`, `<sip:bob@${server.domain}>`, {
      body: 'x',
    });
    assert.equal(offline.status, 480);
  });

  it("record-routes an INVITE dialog and loose-routes ACK, INFO and BYE both ways over the clients' sockets", async () => {
    const bob = track(await registered(server, 'bob'));
    const alice = track(await connectAgent(server, 'alice'));
    const inviteSeen = bob.client.receive(isRequest('INVITE'), 'INVITE for bob');
    const calling = alice.send('INVITE', `sip:bob@${server.domain}`, `<sip:bob@${server.domain}>`, {
      contact: `<${alice.contactUri}>`,
      body: 'v=0\r\n',
    });
    const invite = await inviteSeen;
    const recordRoute = invite.headers('record-route');
    assert.equal(recordRoute.length, 1, `one Record-Route between two WebSocket clients: ${recordRoute}`);
    assert.match(recordRoute[0], /transport=ws/i);
    assert.match(recordRoute[0], /;lr/);
    bob.client.send(buildResponse(invite, 200, 'OK', [`Contact: <${bob.contactUri}>`]));
    const [, answer] = await calling;
    assert.equal(answer.status, 200);

    // RFC 3261 section 12.1.2: the caller's route set is the Record-Route list reversed; the remote
    // target is the Contact, which the proxy aliased to bob's connection.
    const routes = answer.headers('record-route').reverse();
    const target = /<([^>]+)>/.exec(answer.header('contact') ?? '')?.[1] ?? '';
    assert.match(target, /;alias=/, `bob's Contact carries the proxy's alias: ${target}`);
    const inDialog = (method: string, cseq: number) =>
      buildRequest({
        method,
        uri: target,
        from: answer.header('from') ?? '',
        to: answer.header('to') ?? '',
        callId: answer.header('call-id') ?? '',
        cseq,
        via: alice.client.via,
        headers: routes.map((route) => `Route: ${route}`),
      });
    const cseq = Number(/^(\d+)/.exec(answer.header('cseq') ?? '')?.[1]);
    alice.client.send(inDialog('ACK', cseq));
    await bob.client.receive(isRequest('ACK'), 'ACK for bob');

    // The callee's route set is the Record-Route list as received; its remote target is alice's
    // Contact, which the proxy aliased to alice's connection on the way in.
    const aliceTarget = /<([^>]+)>/.exec(invite.header('contact') ?? '')?.[1] ?? '';
    assert.match(aliceTarget, /;alias=/, `alice's Contact carries the proxy's alias: ${aliceTarget}`);
    const infoSeen = alice.client.receive(isRequest('INFO'), 'INFO for alice');
    const informing = bob.client.request(
      buildRequest({
        method: 'INFO',
        uri: aliceTarget,
        from: answer.header('to') ?? '',
        to: answer.header('from') ?? '',
        callId: answer.header('call-id') ?? '',
        cseq: 1,
        via: bob.client.via,
        headers: invite.headers('record-route').map((route) => `Route: ${route}`),
        body: 'Signal=5\r\nDuration=160\r\n',
        contentType: 'application/dtmf-relay',
      }),
      'INFO',
    );
    const info = await infoSeen;
    assert.equal(info.uri, alice.contactUri, 'the alias is removed before the INFO reaches alice');
    alice.client.send(buildResponse(info, 200, 'OK'));
    assert.equal((await informing).status, 200);

    const byeSeen = bob.client.receive(isRequest('BYE'), 'BYE for bob');
    const hangingUp = alice.client.request(inDialog('BYE', cseq + 1), 'BYE');
    const bye = await byeSeen;
    assert.equal(bye.uri, bob.contactUri, 'the alias is removed before the BYE reaches bob');
    bob.client.send(buildResponse(bye, 200, 'OK'));
    assert.equal((await hangingUp).status, 200);
    await leave(bob);
  });

  it('routes CANCEL to the callee: 200 for the CANCEL, 487 for the INVITE', async () => {
    const bob = track(await registered(server, 'bob'));
    const alice = track(await connectAgent(server, 'alice'));
    const inviteSeen = bob.client.receive(isRequest('INVITE'), 'INVITE for bob');
    const calling = alice.send('INVITE', `sip:bob@${server.domain}`, `<sip:bob@${server.domain}>`, {
      contact: `<${alice.contactUri}>`,
    });
    const invite = await inviteSeen;
    bob.client.send(buildResponse(invite, 180, 'Ringing', [`Contact: <${bob.contactUri}>`]));
    await alice.client.receive((m) => m.status === 180, '180 Ringing for alice');

    // RFC 3261 section 9.1: the CANCEL copies the INVITE's Request-URI, top Via, Call-ID, From, To
    // and CSeq number.
    const sent = parseSip(alice.lastRequest);
    const branch = /branch=([^;]+)/.exec(sent.header('via') ?? '')?.[1];
    const cancelSeen = bob.client.receive(isRequest('CANCEL'), 'CANCEL for bob');
    const cancelling = alice.client.request(
      buildRequest({
        method: 'CANCEL',
        uri: sent.uri ?? '',
        from: sent.header('from') ?? '',
        to: sent.header('to') ?? '',
        callId: sent.header('call-id') ?? '',
        cseq: Number(/^\d+/.exec(sent.header('cseq') ?? '')?.[0]),
        via: alice.client.via,
        branch,
      }),
      'CANCEL',
    );
    const cancel = await cancelSeen;
    bob.client.send(buildResponse(cancel, 200, 'OK'));
    bob.client.send(buildResponse(invite, 487, 'Request Terminated'));
    assert.equal((await cancelling).status, 200);
    const [, terminated] = await calling;
    assert.equal(terminated.status, 487);
    await bob.client.receive(isRequest('ACK'), "the proxy's ACK for the 487");
    await leave(bob);
  });

  it("routes a UDP peer's MESSAGE to a WebSocket user, with no challenge for a foreign domain", async () => {
    const bob = track(await registered(server, 'bob'));
    const peer = await UdpSipClient.open({ host: server.host, port: server.udpPort });
    try {
      const options = await peer.request(
        buildRequest({
          method: 'OPTIONS',
          uri: `sip:${server.host}:${server.udpPort}`,
          from: '<sip:probe@peer.test>;tag=1',
          to: `<sip:${server.host}>`,
          callId: `${token()}@udp`,
          cseq: 1,
          via: peer.via,
        }),
      );
      assert.equal(options.status, 200);
      const delivered = bob.client.receive(isRequest('MESSAGE'), 'MESSAGE from the UDP peer');
      const sending = peer.request(
        buildRequest({
          method: 'MESSAGE',
          uri: `sip:bob@${server.domain}`,
          from: '<sip:sipp@peer.test>;tag=2',
          to: `<sip:bob@${server.domain}>`,
          callId: `${token()}@udp`,
          cseq: 1,
          via: peer.via,
          body: 'over udp',
        }),
      );
      const message = await delivered;
      assert.equal(message.body, 'over udp');
      bob.client.send(buildResponse(message, 202, 'Accepted'));
      assert.equal((await sending).status, 202);

      // Crossing from UDP to WS, the proxy record-routes twice: one entry per side.
      const branch = newBranch();
      const invite = buildRequest({
        method: 'INVITE',
        uri: `sip:bob@${server.domain}`,
        from: '<sip:sipp@peer.test>;tag=3',
        to: `<sip:bob@${server.domain}>`,
        callId: `${token()}@udp`,
        cseq: 1,
        via: peer.via,
        branch,
        contact: `<sip:sipp@127.0.0.1:${peer.port}>`,
        body: 'v=0\r\n',
        contentType: 'application/sdp',
      });
      const inviteSeen = bob.client.receive(isRequest('INVITE'), 'INVITE from the UDP peer');
      const calling = peer.request(invite, 'INVITE');
      const forwarded = await inviteSeen;
      const recordRoute = forwarded.headers('record-route').flatMap((value) => value.split(','));
      assert.equal(recordRoute.length, 2, `double Record-Route: ${recordRoute}`);
      assert.match(recordRoute[0], /transport=ws/i);
      assert.doesNotMatch(recordRoute[1], /transport=/i, 'the UDP side has no transport parameter');
      bob.client.send(buildResponse(forwarded, 486, 'Busy Here'));
      const busy = await calling;
      assert.equal(busy.status, 486);
      // RFC 3261 section 17.1.1.3: the ACK for a non-2xx final response goes hop by hop.
      peer.send(
        buildRequest({
          method: 'ACK',
          uri: `sip:bob@${server.domain}`,
          from: '<sip:sipp@peer.test>;tag=3',
          to: busy.header('to') ?? '',
          callId: busy.header('call-id') ?? '',
          cseq: 1,
          via: peer.via,
          branch,
        }),
      );
      await leave(bob);
    } finally {
      peer.close();
    }
  });

  it('carries SIP over WSS with the self-signed certificate', async () => {
    const alice = track(await connectAgent(server, 'alice', server.wssUrl));
    const [challenge, ok] = await alice.register();
    assert.equal(challenge?.status, 401);
    assert.equal(ok.status, 200);
  });

  it('restart() closes every connection, forgets registrations and serves the same URL again', async () => {
    const bob = track(await registered(server, 'bob'));
    const wsUrl = server.wsUrl;
    await server.restart();
    await withTimeout(bob.client.closed, 3000, "bob's socket to close on restart");
    assert.equal(server.wsUrl, wsUrl);
    const alice = track(await connectAgent(server, 'alice'));
    const [, offline] = await alice.send('MESSAGE', `sip:bob@${server.domain}`, `<sip:bob@${server.domain}>`, {
      body: 'x',
    });
    assert.equal(offline.status, 480, 'usrloc is in memory only: bob must register again');
    const bobAgain = track(await registered(server, 'bob'));
    const delivered = bobAgain.client.receive(isRequest('MESSAGE'), 'MESSAGE after restart');
    const sending = alice.send('MESSAGE', `sip:bob@${server.domain}`, `<sip:bob@${server.domain}>`, { body: 'again' });
    const message = await delivered;
    bobAgain.client.send(buildResponse(message, 200, 'OK'));
    assert.equal((await sending)[1].status, 200);
  });
});

describe('Kamailio WITH_PRESENCE (presence server, { presence: true })', () => {
  let server: KamailioServer;
  before(async () => {
    server = await startKamailio({ presence: true });
  });
  after(() => server?.stop());

  // The browser tests' phones subscribe with a GRUU Contact; this one with a plain WebSocket
  // Contact, which only route[WSCONTACT]'s alias leads back to. Seen failing with route[PRESENCE]'s
  // msg_apply_changes() removed (the presence server stored the Contact without its alias: no
  // NOTIFY ever arrived). The GRUU path (its Record-Route) is proven by presence-kamailio.test.ts.
  it("answers SUBSCRIBE for presence and sends NOTIFYs, each PUBLISH too, over the watcher's WebSocket", async () => {
    const alice = await connectAgent(server, 'alice');
    const bob = await connectAgent(server, 'bob');
    try {
      const answer = (message: SipText) => alice.client.send(buildResponse(message, 200, 'OK'));
      const firstNotify = alice.client.receive(isRequest('NOTIFY'), 'the first NOTIFY', 5000);
      const [challenge, ok] = await alice.send('SUBSCRIBE', `sip:bob@${server.domain}`, `<sip:bob@${server.domain}>`, {
        contact: `<${alice.contactUri}>`,
        headers: ['Event: presence', 'Accept: application/pidf+xml', 'Expires: 120'],
      });
      assert.equal(challenge?.status, 407);
      assert.equal(ok.status, 200, ok.raw);
      assert.ok(ok.header('to')?.includes(';tag='), 'the 200 makes a dialog');
      const first = await firstNotify;
      answer(first);
      assert.equal(first.header('event'), 'presence');
      assert.match(first.header('subscription-state') ?? '', /^active/);
      const published = alice.client.receive(
        (m) => isRequest('NOTIFY')(m) && m.body.includes('<basic>open</basic>'),
        "the NOTIFY of bob's PUBLISH",
        5000,
      );
      const pidf = `<?xml version="1.0"?><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:bob@${server.domain}"><tuple id="t"><status><basic>open</basic></status></tuple></presence>`;
      const [, publishOk] = await bob.send('PUBLISH', `sip:bob@${server.domain}`, `<sip:bob@${server.domain}>`, {
        headers: ['Event: presence', 'Expires: 60', 'Content-Type: application/pidf+xml'],
        body: pidf,
      });
      assert.equal(publishOk.status, 200, publishOk.raw);
      assert.ok(publishOk.header('sip-etag'), 'an entity tag (RFC 3903 §4.1)');
      answer(await published);
    } finally {
      alice.client.close();
      bob.client.close();
    }
  });
});

describe('Kamailio with AUTH_ALGORITHM SHA-256', () => {
  let server: KamailioServer;
  before(async () => {
    server = await startKamailio({ authAlgorithm: 'SHA-256' });
  });
  after(() => server?.stop());

  it('challenges with algorithm=SHA-256 and accepts a SHA-256 digest (RFC 7616)', async () => {
    const alice = await connectAgent(server, 'alice');
    try {
      const [challenge, ok] = await alice.register();
      assert.equal(parseChallenge(challenge?.header('www-authenticate') ?? '').algorithm, 'SHA-256');
      assert.equal(ok.status, 200, ok.raw);
    } finally {
      alice.client.close();
    }
  });
});

describe('stopping Kamailio', () => {
  it('kills the whole process group when SIGTERM is not enough, freeing the ports for start()', async () => {
    const server = await startKamailio({ stopGraceMs: 300 });
    try {
      const pid = server.pid;
      assert.ok(pid, 'a running server has a pid');
      // A stopped process cannot act on SIGTERM; only SIGKILL ends it (and its children with it).
      process.kill(pid, 'SIGSTOP');
      const stopping = Date.now();
      await server.stop();
      assert.ok(Date.now() - stopping >= 300, 'stop() waited for the grace period before SIGKILL');
      assert.equal(server.running, false);
      assert.equal(server.pid, undefined);
      // Had any Kamailio child survived, it would still hold the WS port and start() would fail.
      await server.start();
      const client = await WsSipClient.connect(server.wsUrl, 'after SIGKILL');
      client.close();
    } finally {
      await server.stop();
    }
  });
});

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
