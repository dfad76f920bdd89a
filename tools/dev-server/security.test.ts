// Issue 15 items 1 and 6 against the real dev server (users file, real WebSockets on 127.0.0.1):
// credentials of the realm go no further than the proxy, a digest answers one request only (its
// Request-URI, its nonce count), no To tag or trailing dot gets a request past authentication, and
// a page on a foreign origin cannot open the WebSocket.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { DigestAuthenticator } from '../../src/stack/auth/index';
import { noopLogger } from '../../src/stack/core/logger';
import { CSeq, NameAddr } from '../../src/stack/message/message';
import type { SipRequest, SipResponse } from '../../src/stack/message/message';
import { startDevSipServer } from './dev-sip-server';
import type { DevSipServer } from './dev-sip-server';
import { TestPhone } from './sip-test-client';
import { devEnvironmentOptionsFromEnv } from './dev-environment';

const REALM = 'sip-elements.test';
const USERS = { realm: REALM, users: { alice: 'alice-secret', bob: 'bob-secret', carol: 'carol-secret' } };

/** The WebSocket handshake's outcome for a page of `origin`: 101 (opened) or the HTTP status. */
function handshake(url: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'sip', { handshakeTimeout: 2000, ...(origin === undefined ? {} : { origin }) });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

describe('dev SIP server: what a hostile client or page cannot do (issue 15)', () => {
  let server: DevSipServer;
  let phones: TestPhone[] = [];
  const phone = async (user: string) => {
    const p = await TestPhone.connect(server.url, user, server.domain);
    phones.push(p);
    return p;
  };
  /** Credentials for `request` answering `challenge` lines (Authorization or Proxy-Authorization). */
  const answer = (
    user: string,
    challenges: readonly string[],
    request: { method: string; uri: string },
    as: 'www' | 'proxy',
  ) => {
    const auth = new DigestAuthenticator({ username: user, password: USERS.users[user as 'alice'], realms: [REALM] });
    const outcome = auth.authorize(
      as === 'www' ? { wwwAuthenticate: challenges } : { proxyAuthenticate: challenges },
      request,
    );
    assert.ok(outcome.ok);
    return outcome.headers[0]!.value;
  };
  const registered = async (user: 'alice' | 'bob' | 'carol') => {
    const p = await phone(user);
    const request = p.registerRequest(600);
    const first = await p.client.request(request);
    const again = request.clone();
    again.setHeader('Via', p.client.via);
    again.setHeader('CSeq', new CSeq(request.cseq.seq + 1, 'REGISTER'));
    again.setHeader(
      'Authorization',
      answer(user, first.headers('WWW-Authenticate'), { method: 'REGISTER', uri: String(request.uri) }, 'www'),
    );
    assert.equal((await p.client.request(again)).status, 200, `${user} registers`);
    return p;
  };
  /** A 407 for a MESSAGE from `from` to `uri`: its Proxy-Authenticate lines. */
  const proxyChallenge = async (from: TestPhone, uri: string) => {
    const first = await from.client.request(from.build('MESSAGE', uri, { body: 'x' }));
    assert.equal(first.status, 407);
    return first.headers('Proxy-Authenticate');
  };
  /**
   * Sends a request; resolves with its final status, or 'delivered' when it reached `to` instead (answered 200 there).
   */
  const outcome = async (from: TestPhone, request: SipRequest, to: TestPhone): Promise<number | SipRequest> => {
    const final = from.client.request(request);
    const delivered = to.client.receiveRequest(request.method, 1500).catch(() => undefined);
    const first = await Promise.race([final, delivered]);
    if (first === undefined) return (await final).status;
    if ('method' in first) {
      to.answer(first, 200);
      await final;
      return first;
    }
    return (first as SipResponse).status;
  };

  before(async () => {
    server = await startDevSipServer({ port: 0, logger: noopLogger, users: USERS });
  });
  afterEach(() => {
    for (const p of phones) p.client.close();
    phones = [];
  });
  after(async () => {
    await server.stop();
  });

  it("removes every Authorization and Proxy-Authorization of its realm before forwarding, and keeps other realms'", async () => {
    const bob = await registered('bob');
    const alice = await registered('alice');
    const uri = `sip:bob@${server.domain}`;
    const challenges = await proxyChallenge(alice, uri);
    const request = { method: 'MESSAGE', uri };
    const message = alice.build('MESSAGE', uri, {
      body: 'hello',
      headers: [
        ['Proxy-Authorization', answer('alice', challenges, request, 'proxy')],
        // A valid digest of the realm sent up front, as our stack did with the registrar's.
        ['Authorization', answer('alice', challenges, request, 'www')],
        [
          'Proxy-Authorization',
          'Digest username="alice", realm="next-hop.example", nonce="n", uri="sip:bob@next-hop.example", response="00"',
        ],
      ],
    });
    const delivered = await outcome(alice, message, bob);
    assert.ok(typeof delivered !== 'number', `delivered (got ${String(delivered)})`);
    const ours = [...delivered.headers('Authorization'), ...delivered.headers('Proxy-Authorization')].filter((value) =>
      value.includes(`realm="${REALM}"`),
    );
    assert.deepEqual(ours, [], "bob is handed none of alice's credentials");
    assert.match(delivered.header('Proxy-Authorization') ?? '', /next-hop\.example/);
  });

  it('takes credentials only for the Request-URI they were computed for', async () => {
    const carol = await registered('carol');
    const alice = await registered('alice');
    const toBob = `sip:bob@${server.domain}`;
    const credentials = answer('alice', await proxyChallenge(alice, toBob), { method: 'MESSAGE', uri: toBob }, 'proxy');
    const redirected = alice.build('MESSAGE', `sip:carol@${server.domain}`, {
      body: 'x',
      headers: [['Proxy-Authorization', credentials]],
    });
    assert.equal(await outcome(alice, redirected, carol), 407, 'uri="sip:bob@…" does not authorize a request to carol');
  });

  it('takes each nonce count once, and no qop-less answer to its qop challenge', async () => {
    const bob = await registered('bob');
    const alice = await registered('alice');
    const uri = `sip:bob@${server.domain}`;
    const challenges = await proxyChallenge(alice, uri);
    const credentials = answer('alice', challenges, { method: 'MESSAGE', uri }, 'proxy');
    const send = (value: string) =>
      outcome(alice, alice.build('MESSAGE', uri, { body: 'x', headers: [['Proxy-Authorization', value]] }), bob);
    assert.notEqual(typeof (await send(credentials)), 'number', 'the first use is delivered');
    assert.equal(await send(credentials), 407, 'the same nc again is a replay');
    const qopless = answer(
      'alice',
      challenges.map((value) => value.replace(/,\s*qop="?auth"?/, '')),
      { method: 'MESSAGE', uri },
      'proxy',
    );
    assert.doesNotMatch(qopless, /qop=/);
    assert.equal(await send(qopless), 407, 'a qop-less answer has no nonce count to check');
  });

  it('does not let a To tag skip authentication', async () => {
    const bob = await registered('bob');
    const mallory = await phone('alice');
    const uri = `sip:bob@${server.domain}`;
    const forged = mallory.build('MESSAGE', uri, {
      body: 'as alice',
      to: new NameAddr(uri, { params: { tag: 'made-up' } }),
    });
    assert.equal(await outcome(mallory, forged, bob), 407);
  });

  it("does not take a made-up To tag and Route to a user's GRUU or Contact for a dialog of its own", async () => {
    const bob = await registered('bob');
    const mallory = await phone('alice');
    const route = `<sip:${server.host}:${server.port};transport=ws;lr>`;
    const gruu = `sip:bob@${server.domain};gr=${bob.instance.slice(1, -1)}`;
    for (const target of [gruu, bob.contactUri]) {
      const forged = mallory.build('MESSAGE', target, {
        body: 'as alice, in no dialog',
        to: new NameAddr(`sip:bob@${server.domain}`, { params: { tag: 'made-up' } }),
        headers: [['Route', route]],
      });
      assert.equal(await outcome(mallory, forged, bob), 407, `to ${target}`);
    }
  });

  it('does not let a trailing-dot domain (sip-elements.test.) dodge the challenge', async () => {
    const bob = await registered('bob');
    const mallory = await phone('alice');
    const uri = `sip:bob@${server.domain}`;
    const forged = mallory.build('MESSAGE', uri, { body: 'as alice' });
    forged.setHeader('From', new NameAddr(`sip:alice@${server.domain}.`, { params: { tag: 'x' } }));
    assert.equal(await outcome(mallory, forged, bob), 407);
    const dotted = mallory.build('MESSAGE', `sip:bob@${server.domain}.`, { body: 'as alice' });
    assert.equal(await outcome(mallory, dotted, bob), 407);
  });

  it('refuses the WebSocket to a page of another origin, and opens it to loopback pages and tools without Origin', async () => {
    assert.equal(await handshake(server.url, 'http://evil.example'), 403);
    assert.equal(await handshake(server.url, 'https://127.0.0.1.evil.example'), 403);
    assert.equal(await handshake(server.url, 'null'), 403, 'a sandboxed or file: page');
    assert.equal(await handshake(server.url, 'http://127.0.0.1:8000'), 101);
    assert.equal(await handshake(server.url, 'http://localhost:5173'), 101);
    assert.equal(await handshake(server.url, 'http://[::1]:8000'), 101);
    assert.equal(await handshake(server.url, undefined), 101, 'Node tools and SIP clients send no Origin');
  });

  it('opens the WebSocket to the origins it is told to, and to no other', async () => {
    const listed = await startDevSipServer({
      port: 0,
      logger: noopLogger,
      allowedOrigins: ['https://phone.example.com'],
    });
    try {
      assert.equal(await handshake(listed.url, 'https://phone.example.com'), 101);
      assert.equal(await handshake(listed.url, 'https://phone.example.com:8443'), 403);
      assert.equal(await handshake(listed.url, 'http://evil.example'), 403);
    } finally {
      await listed.stop();
    }
    // npm start takes the list from the environment, and refuses what is not an origin.
    assert.deepEqual(
      devEnvironmentOptionsFromEnv({ SIP_ALLOWED_ORIGINS: 'https://phone.example.com, http://10.0.0.5:8000' })
        .allowedOrigins,
      ['https://phone.example.com', 'http://10.0.0.5:8000'],
    );
    assert.throws(
      () => devEnvironmentOptionsFromEnv({ SIP_ALLOWED_ORIGINS: 'phone.example.com' }),
      /not an http\(s\) origin/,
    );
  });
});
