// Asterisk's connected-line UPDATE, replayed by SIPp (sip-tester) through a real Kamailio: a
// "PBX" calls our phone (a stack user agent in Node on a real WebSocket), which answers; the PBX
// then sends an UPDATE without SDP whose P-Asserted-Identity names the party it now connects us
// to (after a transfer). The call must answer 200, take that party as its remote party and say
// so in a `remote-identity` event; the scenario (tools/sipp/scenarios/connected-line-update.xml)
// then ends the call with BYE.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { WebSocketTransport } from '../../src/stack/transport/websocket-transport';
import { fakeMediaSessionFactory } from '../../src/stack/ua/media-session.fake';
import type { CallEndInfo } from '../../src/stack/ua/calls/call-types';
import type { IncomingCall } from '../../src/stack/ua/calls/incoming-call';
import { UserAgent } from '../../src/stack/ua/user-agent';
import { startKamailio, type KamailioServer } from '../../tools/kamailio/kamailio.mjs';
import { startSipp } from '../../tools/sipp/sipp.mjs';

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}

describe('connected-line UPDATE from a PBX (SIPp replaying Asterisk, RFC 3311 + RFC 3325)', () => {
  let server: KamailioServer;
  let alice: UserAgent;

  before(async () => {
    server = await startKamailio();
    const account = server.users.alice;
    alice = new UserAgent({
      aor: `sip:${account.user}@${server.domain}`,
      password: account.password,
      transport: new WebSocketTransport({ url: server.wsUrl, webSocket: WebSocket as never }),
      calls: { mediaSessionFactory: fakeMediaSessionFactory() },
    });
    await alice.start();
    await alice.register();
  });

  after(async () => {
    await alice?.stop();
    await server?.stop();
  });

  it('the UPDATE without SDP is answered 200 and its P-Asserted-Identity becomes the remote party', async () => {
    const incoming = within(
      10000,
      'the PBX call at alice',
      new Promise<IncomingCall>((resolve) => alice.events.on('incoming-call', resolve)),
    );
    const sipp = await startSipp({
      scenario: 'connected-line-update.xml',
      proxy: { host: '127.0.0.1', port: server.udpPort },
      service: 'alice',
      keys: { callee: 'alice', party_user: 'carol', party_name: 'Carol Transferred' },
    });
    try {
      const call = await incoming;
      assert.deepEqual(call.remote, { uri: 'sip:pbx@peer.test', displayName: 'PBX trunk' });
      const identity = within(
        10000,
        'the remote-identity event',
        new Promise<{ uri: string; displayName: string | undefined }>((resolve) =>
          call.events.on('remote-identity', resolve),
        ),
      );
      const ended = within(15000, 'the BYE', new Promise<CallEndInfo>((resolve) => call.events.on('ended', resolve)));
      await call.answer();
      assert.deepEqual(await identity, { uri: 'sip:carol@peer.test', displayName: 'Carol Transferred' });
      assert.deepEqual(call.remote, { uri: 'sip:carol@peer.test', displayName: 'Carol Transferred' });
      assert.equal((await ended).cause, 'remote-hangup');
      const outcome = await within(15000, 'SIPp to finish', sipp.done);
      assert.equal(
        outcome.code,
        0,
        `SIPp failed (its scenario saw an unexpected message):\n${outcome.errors}\n${outcome.log}\n${outcome.messages}`,
      );
    } finally {
      await sipp.stop();
    }
  });
});
