// RFC 4028 §7.4 against a real proxy: Kamailio's sst module (deploy/kamailio/kamailio.cfg,
// WITH_SST) refuses an INVITE whose Session-Expires is below its Min-SE with 422; our caller asks
// again with the Min-SE the 422 names, and the call connects with that interval at both ends.
// Two stack user agents in Node on real WebSockets, with media sessions that write real SDP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { parseMessage } from '../../src/stack/message/parser';
import type { SipRequest, SipResponse } from '../../src/stack/message/message';

type SipMessage = SipRequest | SipResponse;
import { WebSocketTransport } from '../../src/stack/transport/websocket-transport';
import { fakeMediaSessionFactory } from '../../src/stack/ua/media-session.fake';
import type { IncomingCall } from '../../src/stack/ua/calls/incoming-call';
import { UserAgent } from '../../src/stack/ua/user-agent';
import { startKamailio, type KamailioServer } from '../../tools/kamailio/kamailio.mjs';

const MIN_SE = 300;

/** A registered phone asking for 90 s session timers, with every message it sent and received. */
function phone(server: KamailioServer, name: 'alice' | 'bob') {
  const account = server.users[name];
  const transport = new WebSocketTransport({ url: server.wsUrl, webSocket: WebSocket as never });
  const wire: Array<{ way: 'out' | 'in'; message: SipMessage }> = [];
  const send = transport.send.bind(transport);
  transport.send = (text: string) => {
    wire.push({ way: 'out', message: parseMessage(text) as SipMessage });
    send(text);
  };
  transport.onMessage((text) => wire.push({ way: 'in', message: parseMessage(text) as SipMessage }));
  const ua = new UserAgent({
    aor: `sip:${account.user}@${server.domain}`,
    password: account.password,
    transport,
    calls: { mediaSessionFactory: fakeMediaSessionFactory(), sessionTimers: { expires: 90 } },
  });
  return { ua, wire };
}

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}

describe('session timers through Kamailio sst enforcing a Min-SE (RFC 4028 §7.4, §8)', () => {
  let server: KamailioServer;
  let alice: ReturnType<typeof phone>;
  let bob: ReturnType<typeof phone>;

  before(async () => {
    server = await startKamailio({ defines: ['WITH_SST', `SST_MIN_SE=${MIN_SE}`] });
    alice = phone(server, 'alice');
    bob = phone(server, 'bob');
    await Promise.all([alice.ua.start(), bob.ua.start()]);
    await Promise.all([alice.ua.register(), bob.ua.register()]);
  });

  after(async () => {
    await Promise.allSettled([alice?.ua.stop(), bob?.ua.stop()]);
    await server?.stop();
  });

  it('our INVITE asking 90 s gets 422 Min-SE: 300 from Kamailio; the retry asks 300 s and the call connects', async () => {
    const incoming = within(
      10000,
      'the call at bob',
      new Promise<IncomingCall>((resolve) => bob.ua.events.on('incoming-call', resolve)),
    );
    const call = alice.ua.call('bob');
    const atBob = await incoming.catch((error: Error) => {
      throw new Error(
        `${error.message}; alice's wire: ${alice.wire.map((w) => `${w.way} ${w.message.kind === 'response' ? w.message.status : w.message.method} ${w.message.header('Session-Expires') ?? ''}`).join(', ')}`,
      );
    });
    await atBob.answer();
    await within(
      10000,
      'the call to connect',
      new Promise<void>((resolve) =>
        call.state === 'connected' ? resolve() : call.events.on('state', (s) => s === 'connected' && resolve()),
      ),
    );

    const invites = alice.wire
      .filter(({ way, message }) => way === 'out' && message.kind === 'request' && message.method === 'INVITE')
      .map(({ message }) => message);
    const tooSmall = alice.wire.find(
      ({ way, message }) => way === 'in' && message.kind === 'response' && message.status === 422,
    )?.message;
    assert.ok(
      tooSmall,
      `Kamailio answered 422; alice got ${alice.wire
        .filter((w) => w.way === 'in')
        .map((w) => (w.message.kind === 'response' ? w.message.status : w.message.method))
        .join(', ')}`,
    );
    assert.equal(tooSmall.header('Min-SE'), String(MIN_SE));
    assert.equal(invites[0]!.header('Session-Expires'), '90;refresher=uac');
    const retry = invites.at(-1)!;
    assert.equal(retry.header('Session-Expires'), `${MIN_SE};refresher=uac`);
    assert.equal(retry.header('Min-SE'), String(MIN_SE));
    assert.equal(retry.callId, invites[0]!.callId, 'the same call, asked again (§7.4)');

    assert.equal(atBob.invite.header('Session-Expires'), `${MIN_SE};refresher=uac`, 'bob got the retry');
    const ok = alice.wire.find(
      ({ way, message }) =>
        way === 'in' && message.kind === 'response' && message.status === 200 && message.cseq.method === 'INVITE',
    )?.message;
    assert.equal(ok?.header('Session-Expires'), `${MIN_SE};refresher=uac`);
    await call.hangup();
  });
});
