// The dev server with a users file: digest authentication (RFC 3261 §22, RFC 7616, RFC 8760)
// answered by the stack's own DigestAuthenticator, over real WebSockets on 127.0.0.1.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { DigestAuthenticator } from '../../src/stack/auth/index';
import type { DigestAttempt } from '../../src/stack/auth/index';
import { FakeClock } from '../../src/stack/core/clock.fake';
import { noopLogger } from '../../src/stack/core/logger';
import { parseAuthHeader } from '../../src/stack/message/auth-header';
import { CSeq, NameAddr } from '../../src/stack/message/message';
import type { SipRequest, SipResponse } from '../../src/stack/message/message';
import { startDevSipServer } from './dev-sip-server';
import type { DevSipServer } from './dev-sip-server';
import { TestPhone } from './sip-test-client';
import { parseDigestAlgorithms } from './digest-verifier';
import { readUsersFile } from './users-file';

const USERS = {
  realm: 'sip-elements.test',
  users: { alice: 'alice-secret', bob: 'bob-secret', carol: 'carol-secret' },
};

/** The challenge parameters of each WWW-/Proxy-Authenticate line, in order. */
const challengesOf = (response: SipResponse, header: string) =>
  response.headers(header).map((value) => parseAuthHeader(value)[0]!.params);

/** RFC 3261 §22.2: the retry is the same request with a new branch, CSeq + 1 and the credentials. */
function retry(
  phone: TestPhone,
  request: SipRequest,
  headers: ReadonlyArray<{ name: string; value: string }>,
): SipRequest {
  const again = request.clone();
  again.setHeader('Via', phone.client.via);
  again.setHeader('CSeq', new CSeq(request.cseq.seq + 1, request.method));
  for (const { name, value } of headers) again.setHeader(name, value);
  return again;
}

/** Sends a request, answers one challenge with `password`; resolves to both responses. */
async function withCredentials(
  phone: TestPhone,
  request: SipRequest,
  password: string,
  filter = (value: string) => Boolean(value),
) {
  const first = await phone.client.request(request);
  // The realm is this server's: trusted as the registrar's (a fresh client has not registered here).
  const auth = new DigestAuthenticator({ username: phone.user, password, realms: [USERS.realm] });
  const outcome = auth.authorize(
    {
      wwwAuthenticate: first.headers('WWW-Authenticate').filter(filter),
      proxyAuthenticate: first.headers('Proxy-Authenticate').filter(filter),
    },
    { method: request.method, uri: String(request.uri) },
  );
  assert.ok(outcome.ok, `the stack's client can answer the challenge of a ${first.status}`);
  const sent = retry(phone, request, outcome.headers);
  const second = await phone.client.request(sent);
  return { first, second, sent, auth, attempt: outcome.attempt as DigestAttempt };
}

describe('dev SIP server: digest authentication from a users file', () => {
  let server: DevSipServer;
  let dir: string;
  let phones: TestPhone[] = [];
  const clock = new FakeClock(5_000_000);
  const phone = async (user: string) => {
    const p = await TestPhone.connect(server.url, user, server.domain);
    phones.push(p);
    return p;
  };
  const registered = async (user: 'alice' | 'bob') => {
    const p = await phone(user);
    const { second } = await withCredentials(p, p.registerRequest(600), USERS.users[user]);
    assert.equal(second.status, 200, `${user} registers`);
    return p;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sip-users-'));
    writeFileSync(join(dir, 'users.json'), JSON.stringify(USERS));
    server = await startDevSipServer({ port: 0, logger: noopLogger, clock, users: join(dir, 'users.json') });
  });
  afterEach(() => {
    for (const p of phones) p.client.close();
    phones = [];
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('challenges REGISTER with 401, SHA-256 offered before MD5, and registers once answered', async () => {
    assert.equal(server.realm, 'sip-elements.test');
    const alice = await phone('alice');
    const { first, second, sent } = await withCredentials(alice, alice.registerRequest(600), 'alice-secret');
    assert.equal(first.status, 401);
    const offered = challengesOf(first, 'WWW-Authenticate');
    assert.deepEqual(
      offered.map((c) => c.get('algorithm')),
      ['SHA-256', 'MD5'],
    );
    for (const challenge of offered) {
      assert.equal(challenge.get('realm'), 'sip-elements.test');
      assert.equal(challenge.get('qop'), 'auth');
      assert.equal(challenge.get('stale'), undefined);
    }
    assert.equal(
      parseAuthHeader(sent.header('Authorization')!)[0]!.params.get('algorithm'),
      'SHA-256',
      'the client took the stronger one',
    );
    assert.equal(second.status, 200);
    assert.equal(server.bindings('alice').length, 1);
  });

  it('accepts an MD5 answer too', async () => {
    const bob = await phone('bob');
    const { second } = await withCredentials(bob, bob.registerRequest(600), 'bob-secret', (value) =>
      /algorithm=MD5/.test(value),
    );
    assert.equal(second.status, 200);
  });

  it("challenges a wrong password again (401), which the stack's client reports as rejected", async () => {
    const alice = await phone('alice');
    const { second, sent, auth, attempt } = await withCredentials(
      alice,
      alice.registerRequest(600),
      'not-the-password',
    );
    assert.equal(second.status, 401, 'a fresh challenge, as Kamailio answers');
    const verdict = auth.authorize(
      { wwwAuthenticate: second.headers('WWW-Authenticate') },
      { method: 'REGISTER', uri: String(sent.uri) },
      attempt,
    );
    assert.equal(verdict.ok ? 'ok' : verdict.reason, 'rejected');
  });

  it("refuses with 403 a user not in the file and one user's credentials for another's AOR", async () => {
    const mallory = await phone('mallory');
    const stranger = await withCredentials(mallory, mallory.registerRequest(600), 'guess');
    assert.equal(stranger.second.status, 403);
    const alice = await phone('alice');
    const asBob = alice.build('REGISTER', `sip:${server.domain}`, {
      to: new NameAddr(`sip:bob@${server.domain}`),
      contact: `<${alice.contactUri}>`,
    });
    const { first, second } = await withCredentials(alice, asBob, 'alice-secret');
    assert.equal(first.status, 401);
    assert.equal(second.status, 403);
  });

  it("marks an old nonce stale (401 stale=true), and the client's answer to the new one succeeds", async () => {
    const alice = await phone('alice');
    const request = alice.registerRequest(600);
    const first = await alice.client.request(request);
    const auth = new DigestAuthenticator({ username: 'alice', password: 'alice-secret' });
    const outcome = auth.authorize(
      { wwwAuthenticate: first.headers('WWW-Authenticate') },
      { method: 'REGISTER', uri: String(request.uri) },
    );
    assert.ok(outcome.ok);
    clock.advance(301_000);
    const late = retry(alice, request, outcome.headers);
    const stale = await alice.client.request(late);
    assert.equal(stale.status, 401);
    assert.deepEqual(
      challengesOf(stale, 'WWW-Authenticate').map((c) => c.get('stale')),
      ['true', 'true'],
    );
    const again = auth.authorize(
      { wwwAuthenticate: stale.headers('WWW-Authenticate') },
      { method: 'REGISTER', uri: String(request.uri) },
      outcome.attempt,
    );
    assert.ok(again.ok, 'a stale nonce is not a wrong password');
    assert.equal((await alice.client.request(retry(alice, late, again.headers))).status, 200);
  });

  it('challenges MESSAGE with 407, delivers it once answered, without the credentials', async () => {
    const bob = await registered('bob');
    const alice = await registered('alice');
    const sending = withCredentials(
      alice,
      alice.build('MESSAGE', `sip:bob@${server.domain}`, { body: 'authenticated hello' }),
      'alice-secret',
    );
    const delivered = await bob.client.receiveRequest('MESSAGE');
    assert.equal(delivered.body, 'authenticated hello');
    assert.equal(
      delivered.hasHeader('Proxy-Authorization'),
      false,
      'the proxy consumes credentials for its realm (§22.3)',
    );
    bob.answer(delivered, 200);
    const { first, second } = await sending;
    assert.equal(first.status, 407);
    assert.deepEqual(
      challengesOf(first, 'Proxy-Authenticate').map((c) => c.get('algorithm')),
      ['SHA-256', 'MD5'],
    );
    assert.equal(second.status, 200);
  });

  it('answers 404 for users not in the file and 480 for users of the file who are offline', async () => {
    const alice = await registered('alice');
    const unknown = await withCredentials(
      alice,
      alice.build('MESSAGE', `sip:nobody@${server.domain}`, { body: 'x' }),
      'alice-secret',
    );
    assert.equal(unknown.second.status, 404);
    const offline = await withCredentials(
      alice,
      alice.build('MESSAGE', `sip:carol@${server.domain}`, { body: 'x' }),
      'alice-secret',
    );
    assert.equal(offline.second.status, 480);
  });

  it('reads users files and algorithm lists strictly, with readable errors', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "users": ');
    assert.throws(() => readUsersFile(path), /broken\.json is not valid JSON/);
    writeFileSync(path, JSON.stringify({ users: { alice: 42 } }));
    assert.throws(() => readUsersFile(path), /password of "alice" must be a string/);
    assert.throws(() => readUsersFile(join(dir, 'missing.json')), /cannot read users file/);
    assert.deepEqual(readUsersFile(join(dir, 'users.json')), USERS);
    assert.deepEqual(parseDigestAlgorithms('md5, SHA-256'), ['MD5', 'SHA-256']);
    assert.throws(() => parseDigestAlgorithms('SHA-512-256'), /SHA-256 and\/or MD5/);
  });
});
