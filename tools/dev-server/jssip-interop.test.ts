// Interop: JsSIP, a widely used RFC 7118 client with its own Contact conventions (a random user
// part, `+sip.ice`, reg-id and instance), registers with the dev server and exchanges MESSAGE both
// ways with a hand-driven phone; with a users file, it answers the default challenges (it keeps
// only the last challenge line, MD5, and ignores the SHA-256 one before it).
// (Its calls need RTCPeerConnection, so they belong to the later browser tests.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import JsSIP from 'jssip';
import type { IncomingMessageEvent } from 'jssip/lib/UA';
import WebSocket from 'ws';
import { noopLogger } from '../../src/stack/core/logger';
import { startDevSipServer } from './dev-sip-server';
import type { DevSipServer } from './dev-sip-server';
import { TestPhone } from './sip-test-client';

// JsSIP opens its socket with the global WebSocket, which Node 20 lacks.
if (typeof globalThis.WebSocket === 'undefined') Object.assign(globalThis, { WebSocket });

type JsSipUa = InstanceType<typeof JsSIP.UA>;

async function startJsSip(server: DevSipServer, user: string, password = 'unused'): Promise<JsSipUa> {
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(server.url)],
    uri: `sip:${user}@${server.domain}`,
    password,
    register: true,
  });
  const registered = new Promise<void>((resolve, reject) => {
    ua.on('registered', () => resolve());
    ua.on('registrationFailed', (event) => reject(new Error(`JsSIP registration failed: ${event.cause}`)));
  });
  ua.start();
  await registered;
  return ua;
}

async function stopJsSip(ua: JsSipUa): Promise<void> {
  const disconnected = new Promise<void>((resolve) => ua.on('disconnected', () => resolve()));
  ua.stop();
  await disconnected;
}

describe('dev SIP server with JsSIP', () => {
  describe('open registration', () => {
    let server: DevSipServer;
    before(async () => {
      server = await startDevSipServer({ port: 0, logger: noopLogger });
    });
    after(() => server.stop());

    it('registers JsSIP and carries MESSAGE both ways', async () => {
      const alice = await startJsSip(server, 'alice');
      const bob = await TestPhone.connect(server.url, 'bob', server.domain);
      try {
        const [binding] = server.bindings('alice');
        assert.match(
          binding?.contact ?? '',
          /\.invalid;transport=ws>.*reg-id=1/,
          "JsSIP's RFC 7118 Contact, bound to its flow",
        );
        assert.equal((await bob.register()).status, 200);

        const received = new Promise<string>((resolve) =>
          alice.on('newMessage', (event: IncomingMessageEvent) => {
            if (event.originator === 'remote') resolve(String(event.request.body));
          }),
        );
        const toAlice = bob.client.request(bob.build('MESSAGE', `sip:alice@${server.domain}`, { body: 'hello JsSIP' }));
        assert.equal(await received, 'hello JsSIP');
        assert.equal((await toAlice).status, 200);

        const sent = new Promise<void>((resolve, reject) =>
          alice.sendMessage(`sip:bob@${server.domain}`, 'hello bob', {
            eventHandlers: {
              succeeded: () => resolve(),
              failed: (event) => reject(new Error(`JsSIP MESSAGE failed: ${event.cause}`)),
            },
          }),
        );
        const atBob = await bob.client.receiveRequest('MESSAGE');
        assert.equal(atBob.body, 'hello bob');
        bob.answer(atBob, 200);
        await sent;
      } finally {
        bob.client.close();
        await stopJsSip(alice);
      }
      assert.deepEqual(server.bindings('alice'), [], 'JsSIP unregistered on stop');
    });
  });

  describe('with a users file', () => {
    let server: DevSipServer;
    before(async () => {
      server = await startDevSipServer({ port: 0, logger: noopLogger, users: { users: { carol: 'carol-secret' } } });
    });
    after(() => server.stop());

    it('lets JsSIP answer the 401 with MD5 (offered last, after SHA-256)', async () => {
      const carol = await startJsSip(server, 'carol', 'carol-secret');
      assert.equal(server.bindings('carol').length, 1);
      await stopJsSip(carol);
    });
  });
});
