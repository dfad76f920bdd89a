// Issue 15 item 1 through real parts: a stack user agent registered at a real Kamailio (the
// shipped deploy/kamailio/kamailio.cfg) sends a MESSAGE to a raw client. Whatever credentials of
// the realm reach that recipient could be replayed by it (as Proxy-Authorization, same method) to
// speak as the sender; so none may arrive, neither from our user agent nor from a client that
// sends more than the one header Kamailio checks, and a replay must be refused by Kamailio.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { UserAgent } from '../../src/stack/ua/user-agent';
import { WebSocketTransport } from '../../src/stack/transport/websocket-transport';
import { startKamailio, type KamailioServer } from '../../tools/kamailio/kamailio.mjs';
import {
  buildRequest,
  buildResponse,
  digestAuthorization,
  parseChallenge,
  token,
  WsSipClient,
  type SipText,
} from '../../tools/kamailio/raw-sip';

type Name = 'alice' | 'bob' | 'carol';
const isRequest = (method: string) => (m: SipText) => m.status === undefined && m.method === method;

/** A hand-written SIP client on one WebSocket: no code of the stack under test. */
class RawClient {
  readonly tag = token();
  readonly callId = `${token()}@raw`;
  #cseq = 1;
  /** The REGISTER's last challenge, kept to forge "preemptive" credentials with. */
  registerChallenge: Record<string, string> = {};

  constructor(
    readonly client: WsSipClient,
    readonly user: string,
    readonly password: string,
    readonly domain: string,
  ) {}

  get aor(): string {
    return `sip:${this.user}@${this.domain}`;
  }

  request(method: string, uri: string, headers: string[] = [], body = ''): string {
    return buildRequest({
      method,
      uri,
      from: `<${this.aor}>;tag=${this.tag}`,
      to: method === 'REGISTER' ? `<${this.aor}>` : `<${uri}>`,
      callId: method === 'REGISTER' ? this.callId : `${token()}@raw`,
      cseq: this.#cseq++,
      via: this.client.via,
      contact: method === 'REGISTER' ? `<sip:${this.user}@${this.client.viaHost};transport=ws>;expires=300` : undefined,
      headers,
      body,
    });
  }

  async register(): Promise<void> {
    const uri = `sip:${this.domain}`;
    const first = await this.client.request(this.request('REGISTER', uri), 'REGISTER');
    assert.equal(first.status, 401);
    this.registerChallenge = parseChallenge(first.header('www-authenticate') ?? '');
    const credentials = digestAuthorization(this.registerChallenge, this, 'REGISTER', uri);
    const ok = await this.client.request(this.request('REGISTER', uri, [`Authorization: ${credentials}`]), 'REGISTER');
    assert.equal(ok.status, 200, `${this.user} REGISTER: ${ok.raw}`);
  }
}

async function rawClient(server: KamailioServer, name: Name): Promise<RawClient> {
  const { user, password } = server.users[name];
  return new RawClient(await WsSipClient.connect(server.wsUrl, name), user, password, server.domain);
}

/** Answers every MESSAGE that reaches `peer` with 200, so that delivered replays complete. */
function answerMessages(peer: RawClient): () => void {
  let on = true;
  void (async () => {
    while (on) {
      const message = await peer.client.receive(isRequest('MESSAGE'), 'MESSAGE', 60_000).catch(() => undefined);
      if (message && on) peer.client.send(buildResponse(message, 200, 'OK'));
    }
  })();
  return () => (on = false);
}

/**
 * What a hostile recipient would do with credentials it was handed: send a MESSAGE as the victim
 * (From the victim) carrying them as Proxy-Authorization (RFC 3261 §22.3: Kamailio checks that
 * header for non-REGISTER requests). Returns Kamailio's final status for each.
 */
async function replay(thief: RawClient, victim: string, stolen: readonly string[], target: string): Promise<number[]> {
  const statuses: number[] = [];
  for (const credentials of stolen) {
    const forged = buildRequest({
      method: 'MESSAGE',
      uri: target,
      from: `<${victim}>;tag=${token()}`,
      to: `<${target}>`,
      callId: `${token()}@forged`,
      cseq: 1,
      via: thief.client.via,
      headers: [`Proxy-Authorization: ${credentials.replace(/^Digest\s+/i, 'Digest ')}`],
      body: 'sent by someone else',
    });
    statuses.push((await thief.client.request(forged, 'replayed MESSAGE')).status!);
  }
  return statuses;
}

const credentialsOf = (message: SipText) => [
  ...message.headers('authorization'),
  ...message.headers('proxy-authorization'),
];

describe('credentials stay with the server they are for (real Kamailio, issue 15 item 1)', () => {
  let server: KamailioServer;
  let alice: UserAgent;
  const clients: WsSipClient[] = [];
  const stops: Array<() => void> = [];

  before(async () => {
    server = await startKamailio();
    const { user, password } = server.users.alice;
    const transport = new WebSocketTransport({ url: server.wsUrl, webSocket: WebSocket as never });
    alice = new UserAgent({ aor: `sip:${user}@${server.domain}`, password, transport, registerExpires: 300 });
    await alice.start();
    const registered = await alice.register();
    assert.equal(registered.response.status, 200, `alice: ${registered.response.status} ${registered.response.reason}`);
  });

  after(async () => {
    for (const stop of stops) stop();
    for (const client of clients) client.close();
    await alice?.stop();
    await server?.stop();
  });

  const registeredClient = async (name: Name) => {
    const peer = await rawClient(server, name);
    clients.push(peer.client);
    await peer.register();
    return peer;
  };

  it('a MESSAGE from our user agent reaches its recipient without Authorization or Proxy-Authorization, and nothing replays', async () => {
    const bob = await registeredClient('bob');
    const delivered = bob.client.receive(isRequest('MESSAGE'), 'MESSAGE for bob', 10_000);
    const sending = alice.sendMessage(`sip:bob@${server.domain}`, 'private');
    const message = await delivered;
    bob.client.send(buildResponse(message, 200, 'OK'));
    assert.equal((await sending).status, 200);
    const stolen = credentialsOf(message);
    stops.push(answerMessages(bob));
    const statuses = await replay(bob, alice.core.aor.toString(), stolen, `sip:bob@${server.domain}`);
    assert.deepEqual(
      statuses.filter((status) => status !== 407),
      [],
      `Kamailio accepted alice's credentials replayed by bob`,
    );
    assert.deepEqual(stolen, [], 'bob was handed credentials of alice');
  });

  it('Kamailio removes every credentials header of its realm, not only the one it checked, before forwarding', async () => {
    const carol = await registeredClient('carol');
    const dave = await rawClient(server, 'alice');
    clients.push(dave.client);
    await dave.register();
    // A client that (as our stack did) adds its registrar credentials to every request up front,
    // beside the Proxy-Authorization Kamailio checks: a valid digest of the realm, for this very
    // MESSAGE, on the REGISTER's nonce.
    const target = `sip:carol@${server.domain}`;
    const preemptive = digestAuthorization(dave.registerChallenge, dave, 'MESSAGE', target).replace(
      'nc=00000001',
      'nc=00000002',
    );
    const first = await dave.client.request(
      dave.request('MESSAGE', target, [`Authorization: ${preemptive}`], 'hi'),
      'MESSAGE',
    );
    assert.equal(first.status, 407);
    const proxyCredentials = digestAuthorization(
      parseChallenge(first.header('proxy-authenticate') ?? ''),
      dave,
      'MESSAGE',
      target,
    );
    const delivered = carol.client.receive(isRequest('MESSAGE'), 'MESSAGE for carol', 10_000);
    const sending = dave.client.request(
      dave.request(
        'MESSAGE',
        target,
        [
          `Authorization: ${preemptive}`,
          `Proxy-Authorization: ${proxyCredentials}`,
          'Proxy-Authorization: Digest username="x", realm="next-hop.example", nonce="n", uri="sip:carol@next-hop.example", response="00"',
        ],
        'hi',
      ),
      'MESSAGE',
    );
    const message = await delivered;
    carol.client.send(buildResponse(message, 200, 'OK'));
    assert.equal((await sending).status, 200);
    const stolen = credentialsOf(message).filter((value) => /realm="sip-elements\.test"/.test(value));
    stops.push(answerMessages(carol));
    const statuses = await replay(carol, dave.aor, stolen, target);
    assert.deepEqual(
      statuses.filter((status) => status !== 407),
      [],
      'Kamailio accepted credentials replayed by their recipient',
    );
    assert.deepEqual(stolen, [], 'carol was handed credentials of the realm');
    assert.match(
      message.header('proxy-authorization') ?? '',
      /next-hop\.example/,
      'credentials for another realm go on',
    );
  });

  it('Kamailio takes credentials only for the Request-URI they were computed for (a digest relayed by a far end reaches no one else)', async () => {
    const carol = await registeredClient('carol');
    const alice = await rawClient(server, 'alice');
    clients.push(alice.client);
    // The digest a far end (bob) gets by relaying Kamailio's challenge as its own 407 to alice's
    // MESSAGE: for uri sip:bob@…, on a nonce Kamailio issued. Used for a MESSAGE to carol instead:
    const toBob = `sip:bob@${server.domain}`;
    const first = await alice.client.request(alice.request('MESSAGE', toBob, [], 'x'), 'MESSAGE');
    assert.equal(first.status, 407);
    const relayed = digestAuthorization(
      parseChallenge(first.header('proxy-authenticate') ?? ''),
      alice,
      'MESSAGE',
      toBob,
    );
    const delivered = carol.client.receive(isRequest('MESSAGE'), 'MESSAGE for carol', 2000).then(
      (message) => {
        carol.client.send(buildResponse(message, 200, 'OK'));
        return 'delivered to carol';
      },
      () => 'not delivered',
    );
    const forged = await alice.client.request(
      alice.request('MESSAGE', `sip:carol@${server.domain}`, [`Proxy-Authorization: ${relayed}`], 'as alice'),
      'MESSAGE',
    );
    assert.equal(forged.status, 407, `credentials for ${toBob} were taken for carol`);
    assert.equal(await delivered, 'not delivered');
  });

  it('Kamailio does not let a made-up To tag and Route skip authentication', async () => {
    const bob = await registeredClient('bob');
    const mallory = await rawClient(server, 'alice');
    clients.push(mallory.client);
    const target = `sip:bob@${server.domain}`;
    const delivered = bob.client.receive(isRequest('MESSAGE'), 'MESSAGE for bob', 2000).then(
      (message) => {
        bob.client.send(buildResponse(message, 200, 'OK'));
        return 'delivered to bob';
      },
      () => 'not delivered',
    );
    const forged = buildRequest({
      method: 'MESSAGE',
      uri: target,
      from: `<${mallory.aor}>;tag=${token()}`,
      to: `<${target}>;tag=made-up`,
      callId: `${token()}@forged`,
      cseq: 1,
      via: mallory.client.via,
      headers: [`Route: <sip:127.0.0.1:${server.wsPort};transport=ws;lr>`],
      body: 'as alice, unauthenticated',
    });
    const answer = await mallory.client.request(forged, 'forged in-dialog MESSAGE');
    assert.equal(await delivered, 'not delivered', `answered ${answer.status}`);
    assert.ok(answer.status! >= 400, `answered ${answer.status}`);
  });
});
