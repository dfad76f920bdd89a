// The project's own user agent (src/stack/ua) against the dev server, over its real WebSocket
// transport in Node with fake media: what the demo tabs will do, minus the browser. Two phones
// register, message each other, call, answer, hang up and cancel; with a users file they
// authenticate (the server's SHA-256 challenge). demo-tabs.test.ts does the same in browsers.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { noopLogger } from '../../src/stack/core/logger';
import { isResponse, type NameAddr } from '../../src/stack/message/message';
import { parseMessage } from '../../src/stack/message/parser';
import type { Emitter } from '../../src/stack/core/emitter';
import { WebSocketTransport } from '../../src/stack/transport/websocket-transport';
import type { WebSocketConstructor } from '../../src/stack/transport/websocket-like';
import type { CallEndInfo, CallState } from '../../src/stack/ua/calls/call-types';
import type { Call } from '../../src/stack/ua/calls/call';
import { fakeMediaSessionFactory } from '../../src/stack/ua/media-session.fake';
import { UserAgent } from '../../src/stack/ua/user-agent';
import type { IncomingCall } from '../../src/stack/ua/calls/incoming-call';
import { startDevSipServer } from './dev-sip-server';
import type { DevSipServer } from './dev-sip-server';

/** The next emission of `event`, within a bounded wait. */
function next<E extends { [K in keyof E]: unknown[] }, K extends keyof E>(
  emitter: Emitter<E>,
  event: K,
  what: string,
  timeoutMs = 3000,
): Promise<E[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = emitter.on(event, (...args: E[K]) => {
      clearTimeout(timer);
      off();
      resolve(args);
    });
  });
}

function stateReached(call: Call, state: CallState): Promise<unknown> {
  if (call.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`call never became ${state} (is ${call.state})`)), 3000);
    const off = call.events.on('state', (now) => {
      if (now !== state) return;
      clearTimeout(timer);
      off();
      resolve(undefined);
    });
  });
}

function ended(call: Call): Promise<CallEndInfo> {
  if (call.ended) return Promise.resolve(call.ended);
  return next(call.events, 'ended', 'end of the call').then(([info]) => info);
}

describe("dev SIP server with the project's own user agent", () => {
  let uas: UserAgent[] = [];
  const phone = async (server: DevSipServer, user: string, password?: string, reconnect = false) => {
    const transport = new WebSocketTransport({
      url: server.url,
      webSocket: WebSocket as unknown as WebSocketConstructor,
      reconnect: reconnect ? {} : false,
      keepAlive: false,
    });
    const ua = new UserAgent({
      aor: `sip:${user}@${server.domain}`,
      transport,
      password,
      calls: { mediaSessionFactory: fakeMediaSessionFactory() },
    });
    uas.push(ua);
    await ua.start();
    const outcome = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${user}: no registration outcome within 3000 ms`)), 3000);
      const offs = [
        ua.events.on('registered', () => done(() => resolve())),
        ua.events.on('registration-failed', (info) =>
          done(() => reject(new Error(`${user} could not register: ${info.status} ${info.reason}`))),
        ),
      ];
      const done = (settle: () => void) => {
        clearTimeout(timer);
        for (const off of offs) off();
        settle();
      };
    });
    void ua.register();
    await outcome;
    return ua;
  };
  afterEach(async () => {
    await Promise.all(uas.map((ua) => ua.stop()));
    uas = [];
  });

  describe('open registration', () => {
    let server: DevSipServer;
    before(async () => {
      server = await startDevSipServer({ port: 0, logger: noopLogger });
    });
    after(() => server.stop());

    it('registers two phones and carries a MESSAGE', async () => {
      const alice = await phone(server, 'alice');
      const bob = await phone(server, 'bob');
      assert.equal(server.bindings('bob').length, 1);
      const received = next(bob.events, 'message', 'MESSAGE at bob');
      const ok = await alice.sendMessage('bob', 'hello from the stack');
      assert.equal(ok.status, 200);
      const [message] = await received;
      assert.equal(message.body, 'hello from the stack');
      assert.equal(String(message.from.uri), `sip:alice@${server.domain}`);
    });

    it("places, answers and hangs up a call, each side seeing the other's BYE through the proxy", async () => {
      const alice = await phone(server, 'alice');
      const bob = await phone(server, 'bob');
      const incoming = next(bob.events, 'incoming-call', 'incoming call at bob');
      const call = alice.call('bob');
      const [ringing] = (await incoming) as [IncomingCall];
      await ringing.answer();
      await Promise.all([stateReached(call, 'connected'), stateReached(ringing, 'connected')]);
      const bobSees = ended(ringing);
      await call.hangup();
      assert.equal((await bobSees).cause, 'remote-hangup');
      assert.equal((await ended(call)).cause, 'hangup');
    });

    it('gives the phones GRUUs for their dialogs (RFC 5627), and keeps a call up when both reconnect at once', async () => {
      const alice = await phone(server, 'alice', undefined, true);
      const bob = await phone(server, 'bob', undefined, true);
      const atAlice: string[] = [];
      alice.core.transport.onMessage((text) => atAlice.push(text));
      assert.match(
        String(bob.core.gruu),
        new RegExp(`^sip:bob@${server.domain.replace(/\./g, '\\.')};gr=urn:uuid:`),
        'the registrar gave bob a GRUU',
      );
      const incoming = next(bob.events, 'incoming-call', 'incoming call at bob');
      const call = alice.call('bob');
      const [ringing] = (await incoming) as [IncomingCall];
      await ringing.answer();
      await Promise.all([stateReached(call, 'connected'), stateReached(ringing, 'connected')]);
      const answer = atAlice
        .map((text) => parseMessage(text))
        .find((m) => isResponse(m) && m.status === 200 && m.cseq.method === 'INVITE');
      assert.equal(
        String((answer?.contact[0] as NameAddr | undefined)?.uri),
        String(bob.core.gruu),
        'bob answers with his GRUU as Contact',
      );
      // Both flows are replaced at once (as when the server restarts): each old Contact is dead.
      const registeredAgain = [alice, bob].map((ua) => next(ua.events, 'registered', 'registration over the new flow'));
      (alice.core.transport as WebSocketTransport).reconnectNow('test');
      (bob.core.transport as WebSocketTransport).reconnectNow('test');
      await Promise.all(registeredAgain);
      const bobSees = ended(ringing);
      await call.hangup();
      assert.equal((await bobSees).cause, 'remote-hangup', "alice's BYE reached bob over his new flow");
    });

    it('cancels a ringing call: the callee hears the CANCEL, the caller ends with 487', async () => {
      const alice = await phone(server, 'alice');
      const bob = await phone(server, 'bob');
      const incoming = next(bob.events, 'incoming-call', 'incoming call at bob');
      const call = alice.call('bob');
      const [ringing] = (await incoming) as [IncomingCall];
      await stateReached(call, 'ringing');
      const bobSees = ended(ringing);
      await call.hangup();
      assert.equal((await bobSees).cause, 'remote-canceled');
      const info = await ended(call);
      assert.equal(info.cause, 'canceled');
      assert.equal(info.status, 487);
    });
  });

  describe('with a users file', () => {
    let server: DevSipServer;
    before(async () => {
      server = await startDevSipServer({
        port: 0,
        logger: noopLogger,
        users: { users: { alice: 'alice-secret', bob: 'bob-secret' } },
      });
    });
    after(() => server.stop());

    it('authenticates registration and MESSAGE, and refuses a wrong password', async () => {
      const alice = await phone(server, 'alice', 'alice-secret');
      const bob = await phone(server, 'bob', 'bob-secret');
      const received = next(bob.events, 'message', 'MESSAGE at bob');
      assert.equal((await alice.sendMessage('bob', 'authenticated')).status, 200);
      assert.equal((await received)[0].body, 'authenticated');
      await assert.rejects(phone(server, 'bob', 'wrong'), /could not register: 401/);
    });
  });
});
