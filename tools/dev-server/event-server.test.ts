// The dev server as notifier (event-server.ts): the project's own UserAgent subscribes through the
// real server, over WebSocket, to bob's presence (from his registrations) and dialogs (from the
// calls the server proxies), and watches them change as bob registers, is called and hangs up.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { noopLogger } from '../../src/stack/core/logger';
import { isRequest, type SipRequest } from '../../src/stack/message/message';
import { parseMessage } from '../../src/stack/message/parser';
import { WebSocketTransport } from '../../src/stack/transport/websocket-transport';
import type { WebSocketConstructor } from '../../src/stack/transport/websocket-like';
import type { IncomingCall } from '../../src/stack/ua/calls/incoming-call';
import { fakeMediaSessionFactory } from '../../src/stack/ua/media-session.fake';
import {
  DIALOG_INFO_TYPE,
  WatchedDialogs,
  readDialogInfo,
  type LampState,
} from '../../src/stack/ua/subscriptions/dialog-info';
import { PIDF_TYPE, readPidf, type PresenceState } from '../../src/stack/ua/subscriptions/pidf';
import { parseSubscriptionState } from '../../src/stack/ua/subscriptions/subscription';
import { UserAgent } from '../../src/stack/ua/user-agent';
import { until } from '../test-support/until';
import { TestPhone } from './sip-test-client';
import { startDevSipServer, type DevSipServer } from './dev-sip-server';

describe('dev SIP server as notifier of presence and dialog (RFC 6665, 3856, 4235)', () => {
  let server: DevSipServer;
  let uas: UserAgent[] = [];
  before(async () => {
    server = await startDevSipServer({ port: 0, logger: noopLogger, minExpires: 1 });
  });
  after(() => server.stop());
  afterEach(async () => {
    await Promise.all(uas.map((ua) => ua.stop()));
    uas = [];
  });

  /** A started user agent; every NOTIFY it receives is kept in `notifies`. */
  const agent = async (user: string) => {
    const transport = new WebSocketTransport({
      url: server.url,
      webSocket: WebSocket as unknown as WebSocketConstructor,
      reconnect: false,
      keepAlive: false,
    });
    const ua = new UserAgent({
      aor: `sip:${user}@${server.domain}`,
      transport,
      calls: { mediaSessionFactory: fakeMediaSessionFactory() },
    });
    uas.push(ua);
    const notifies: SipRequest[] = [];
    transport.onMessage((text) => {
      const message = parseMessage(text);
      if (isRequest(message) && message.method === 'NOTIFY') notifies.push(message);
    });
    await ua.start();
    return { ua, notifies };
  };
  const registered = async (ua: UserAgent) => {
    await ua.register();
    await until('registered', () => ua.registered);
  };

  it('serves presence from registrations: offline, available on REGISTER, offline on unregister, and a last NOTIFY on Expires: 0', async () => {
    const { ua: carol, notifies } = await agent('carol');
    const states: PresenceState[] = [];
    const subscription = carol.subscriptions.subscribe('bob', { event: 'presence', accept: PIDF_TYPE, expires: 7200 });
    subscription.events.on('notify', (notification) => states.push(readPidf(notification.body)?.state ?? 'unknown'));
    await until('the first NOTIFY', () => states.length === 1);
    assert.deepEqual(states, ['offline'], 'bob is not registered');
    const first = parseSubscriptionState(notifies[0]!.header('Subscription-State'));
    assert.equal(first.state, 'active');
    assert.ok(
      Number(first.params.get('expires')) <= 3600,
      `at most an hour granted: ${notifies[0]!.header('Subscription-State')}`,
    );
    assert.equal(notifies[0]!.header('Content-Type'), PIDF_TYPE);
    // A refresh in the dialog (RFC 6665 §4.1.2.1) is answered here, with the state again.
    await subscription.refresh();
    await until('the NOTIFY after the refresh', () => states.length === 2);
    assert.equal(parseSubscriptionState(notifies[1]!.header('Subscription-State')).state, 'active');
    assert.equal(subscription.state, 'active');
    states.length = 1;

    const { ua: bob } = await agent('bob');
    await registered(bob);
    await until('bob available', () => states.at(-1) === 'available');
    await bob.unregister();
    await until('bob offline again', () => states.at(-1) === 'offline');
    assert.deepEqual(states, ['offline', 'available', 'offline'], 'one NOTIFY per change');

    await subscription.stop();
    await until('the last NOTIFY', () =>
      notifies.some((notify) => notify.header('Subscription-State')?.startsWith('terminated')),
    );
    assert.equal(server.subscriptions, 0, 'the server forgot the subscription');
  });

  it('serves dialog state from the calls it proxies: idle, ringing, busy, idle, and busy at the caller', async () => {
    const { ua: alice } = await agent('alice');
    const { ua: bob } = await agent('bob');
    const { ua: carol, notifies } = await agent('carol');
    await Promise.all([registered(alice), registered(bob)]);
    const lamps: Record<string, LampState[]> = { alice: [], bob: [] };
    for (const user of ['alice', 'bob']) {
      const watched = new WatchedDialogs();
      const subscription = carol.subscriptions.subscribe(user, { event: 'dialog', accept: DIALOG_INFO_TYPE });
      subscription.events.on('notify', (notification) => {
        const document = readDialogInfo(notification.body);
        if (document && watched.apply(document) && watched.lamp !== lamps[user]!.at(-1))
          lamps[user]!.push(watched.lamp);
      });
    }
    await until('both lamps known', () => lamps.alice!.length === 1 && lamps.bob!.length === 1);
    assert.deepEqual(lamps, { alice: ['idle'], bob: ['idle'] });

    const incoming = new Promise<IncomingCall>((resolve) => bob.events.on('incoming-call', resolve));
    const call = alice.call('bob');
    const ringing = await incoming;
    await until('bob ringing', () => lamps.bob!.at(-1) === 'ringing');
    await ringing.answer();
    await until('bob busy', () => lamps.bob!.at(-1) === 'busy');
    await call.hangup();
    await until('bob idle', () => lamps.bob!.at(-1) === 'idle');
    assert.deepEqual(lamps.bob, ['idle', 'ringing', 'busy', 'idle']);
    assert.deepEqual(lamps.alice, ['idle', 'busy', 'idle'], 'a call placed is busy from the INVITE');
    const versions = notifies
      .filter((notify) => notify.header('Event') === 'dialog' && notify.to.tag !== undefined)
      .map((notify) => readDialogInfo(notify.body)!);
    const bobs = versions
      .filter((document) => document.entity === `sip:bob@${server.domain}`)
      .map((document) => document.version);
    assert.deepEqual(
      bobs,
      bobs.map((_, index) => index),
      'versions count from 0 in each subscription',
    );
    const bobStates = versions
      .filter((document) => document.entity === `sip:bob@${server.domain}`)
      .map((document) => document.dialogs.map((dialog) => `${dialog.direction} ${dialog.state}`).join());
    assert.deepEqual(
      bobStates.filter((states, index) => states !== bobStates[index - 1]),
      ['', 'recipient trying', 'recipient early', 'recipient confirmed', 'recipient terminated'],
    );
    // RFC 4235 §10: a watcher never learns what would let it replace the call (RFC 3891 Replaces
    // takes the Call-ID and both tags).
    const secrets = [ringing.invite.callId, ringing.invite.from.tag!, ringing.dialog!.localTag];
    const documents = notifies.filter((notify) => notify.header('Event') === 'dialog').map((notify) => notify.body);
    assert.ok(
      documents.some((body) => body.includes('<dialog ')),
      'some document names a dialog',
    );
    for (const body of documents)
      for (const secret of secrets) assert.ok(!body.includes(secret), `a dialog document carries ${secret}`);
  });

  it('ends a cancelled call on the lamp, and refuses other event packages with 489 (for anyone, registered or not)', async () => {
    const { ua: alice } = await agent('alice');
    const { ua: bob } = await agent('bob');
    const { ua: carol } = await agent('carol');
    await Promise.all([registered(alice), registered(bob)]);
    const lamps: LampState[] = [];
    const watched = new WatchedDialogs();
    carol.subscriptions
      .subscribe('bob', { event: 'dialog', accept: DIALOG_INFO_TYPE })
      .events.on('notify', (notification) => {
        if (watched.apply(readDialogInfo(notification.body)!) && watched.lamp !== lamps.at(-1))
          lamps.push(watched.lamp);
      });
    const incoming = new Promise<IncomingCall>((resolve) => bob.events.on('incoming-call', resolve));
    const call = alice.call('bob');
    await incoming;
    await until('bob ringing', () => lamps.at(-1) === 'ringing');
    await call.hangup();
    await until('bob idle after the CANCEL', () => lamps.at(-1) === 'idle');
    assert.deepEqual(lamps, ['idle', 'ringing', 'idle']);

    const refused = new Promise<{ reason: string; status?: number }>((resolve) =>
      carol.subscriptions
        .subscribe('nobody', { event: 'message-summary', accept: 'application/simple-message-summary' })
        .events.on('terminated', resolve),
    );
    assert.equal((await refused).status, 489);
  });

  it('announces a registration that lapses without a REGISTER, its connection still up', async () => {
    const { ua: carol } = await agent('carol');
    const states: PresenceState[] = [];
    carol.subscriptions
      .subscribe('dave', { event: 'presence', accept: PIDF_TYPE })
      .events.on('notify', (notification) => states.push(readPidf(notification.body)?.state ?? 'unknown'));
    await until('the first NOTIFY', () => states.length === 1);
    const dave = await TestPhone.connect(server.url, 'dave', server.domain);
    try {
      assert.equal((await dave.register(1)).status, 200);
      await until('dave available', () => states.at(-1) === 'available');
      await until('dave offline once his one-second registration lapsed', () => states.at(-1) === 'offline', 4000);
      assert.deepEqual(states, ['offline', 'available', 'offline']);
    } finally {
      dave.client.close();
    }
  });
});
