// Issue 4's proof over real parts: two stack user agents in Node, each on a real WebSocket
// (the `ws` package), register at a real Kamailio with digest auth, exchange MESSAGEs both ways,
// and register again by themselves after Kamailio is restarted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { UserAgent } from '../../src/stack/ua/user-agent';
import type { IncomingMessage } from '../../src/stack/ua/user-agent';
import { WebSocketTransport } from '../../src/stack/transport/websocket-transport';
import { startKamailio, type KamailioServer } from '../../tools/kamailio/kamailio.mjs';

/** `ws` with the test server's self-signed certificate accepted (browsers get a real one in production). */
class TestCertificateWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, { rejectUnauthorized: false });
  }
}

function phone(server: KamailioServer, name: 'alice' | 'bob', url = server.wsUrl) {
  const account = server.users[name];
  const webSocket = url.startsWith('wss:') ? TestCertificateWebSocket : WebSocket;
  const transport = new WebSocketTransport({ url, webSocket: webSocket as never });
  return new UserAgent({
    aor: `sip:${account.user}@${server.domain}`,
    displayName: name,
    password: account.password,
    transport,
    registerExpires: 300,
  });
}

/** Resolves with the next event of `name`, or rejects after `ms` with a message naming it. */
function next<T>(subscribe: (listener: (value: T) => void) => () => void, what: string, ms = 10000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const off = subscribe((value) => {
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

describe('stack user agents at a real Kamailio', () => {
  let server: KamailioServer;
  let alice: UserAgent;
  let bob: UserAgent;

  before(async () => {
    server = await startKamailio();
    alice = phone(server, 'alice');
    bob = phone(server, 'bob');
    await Promise.all([alice.start(), bob.start()]);
  });

  after(async () => {
    await Promise.allSettled([alice?.stop(), bob?.stop()]);
    await server?.stop();
  });

  it('registers both with digest authentication', async () => {
    const [a, b] = await Promise.all([alice.register(), bob.register()]);
    assert.equal(a.response.status, 200, `alice: ${a.response.status} ${a.response.reason}`);
    assert.equal(b.response.status, 200, `bob: ${b.response.status} ${b.response.reason}`);
    assert.ok(a.request.header('Authorization'), 'the 200 came after a 401 challenge');
    assert.equal(alice.registered && bob.registered, true);
  });

  it('exchanges MESSAGEs both ways, UTF-8 bodies intact', async () => {
    const atBob = next<IncomingMessage>((l) => bob.events.on('message', l), 'MESSAGE at bob');
    const sent = await alice.sendMessage(`sip:bob@${server.domain}`, 'Hallo Bob, grüße 👋');
    assert.equal(sent.status, 200);
    const received = await atBob;
    assert.equal(received.body, 'Hallo Bob, grüße 👋');
    assert.equal(received.from.uri.toString(), `sip:alice@${server.domain}`);

    const atAlice = next<IncomingMessage>((l) => alice.events.on('message', l), 'MESSAGE at alice');
    await bob.sendMessage('alice', 'hi Alice');
    assert.equal((await atAlice).body, 'hi Alice');
  });

  it('gets the final status of a MESSAGE to an unknown user', async () => {
    await assert.rejects(
      alice.sendMessage('nobody', 'hello?'),
      (error: Error & { status?: number }) => error.status === 404,
    );
  });

  it('registers again by itself after Kamailio restarts, and messaging works again', async () => {
    const lost = Promise.all([
      next((l) => alice.events.on('unregistered', l), 'alice unregistered'),
      next((l) => bob.events.on('unregistered', l), 'bob unregistered'),
    ]);
    // The default reconnect: one quick retry, then a random moment within 25 s (so that many
    // phones do not return in the same second), plus the time to connect and register.
    const back = Promise.all([
      next((l) => alice.events.on('registered', l), 'alice registered again', 30000),
      next((l) => bob.events.on('registered', l), 'bob registered again', 30000),
    ]);
    await server.restart();
    await lost;
    await back;
    const atBob = next<IncomingMessage>((l) => bob.events.on('message', l), 'MESSAGE at bob after restart');
    await alice.sendMessage('bob', 'after the restart');
    assert.equal((await atBob).body, 'after the restart');
  });
});

describe('stack user agents at a real Kamailio over WSS with SHA-256 digest (RFC 7616)', () => {
  let server: KamailioServer;
  let alice: UserAgent;
  let bob: UserAgent;

  before(async () => {
    server = await startKamailio({ authAlgorithm: 'SHA-256' });
    alice = phone(server, 'alice', server.wssUrl);
    bob = phone(server, 'bob', server.wssUrl);
    await Promise.all([alice.start(), bob.start()]);
  });

  after(async () => {
    await Promise.allSettled([alice?.stop(), bob?.stop()]);
    await server?.stop();
  });

  it('registers with SHA-256 credentials over TLS and delivers a MESSAGE', async () => {
    const [a, b] = await Promise.all([alice.register(), bob.register()]);
    assert.equal(a.response.status, 200);
    assert.equal(b.response.status, 200);
    assert.match(a.request.header('Authorization') ?? '', /algorithm=SHA-256/);
    assert.match(a.request.via[0]!.transport, /^WSS$/);
    const atBob = next<IncomingMessage>((l) => bob.events.on('message', l), 'MESSAGE at bob over WSS');
    await alice.sendMessage('bob', 'over TLS');
    assert.equal((await atBob).body, 'over TLS');
  });
});
