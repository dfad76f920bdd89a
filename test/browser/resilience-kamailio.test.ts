// Issue 8 over real parts: Kamailio restarts in the middle of a call. Media keeps flowing (ICE does
// not depend on the WebSocket), both phones (reconnecting as lone phones may, QUICK_RECONNECT; the
// default spreads many phones over 25 s, see elements-registration.test.ts and `npm run bench --
// scale`) register again within 5 s of the server's return,
// the call refreshes its route over the new connections, and a BYE from the callee still
// reaches the caller afterwards.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { CallEndInfo } from '../../src/stack/ua/calls/call-types';
import { closeAll, waitForGrowth } from './media-test-helpers';
import { QUICK_RECONNECT, kamailio, mediaOf, registeredPhone, stateOf, within, type TestPhone } from './phone-fixtures';
import { describeNeedingWebRTC } from './webrtc-capability';

function registeredAgain(phone: TestPhone): Promise<number> {
  return within(
    15000,
    'registration after the restart',
    new Promise((resolve) => {
      const off = phone.ua.events.on('registered', () => {
        off();
        resolve(performance.now());
      });
    }),
  );
}

describeNeedingWebRTC('a call across a Kamailio restart', function () {
  this.timeout(60000);
  let alice: TestPhone;
  let bob: TestPhone;

  before(async () => {
    const server = await kamailio();
    const reconnect = QUICK_RECONNECT;
    [alice, bob] = await Promise.all([
      registeredPhone(server, 'alice', { reconnect }),
      registeredPhone(server, 'bob', { reconnect }),
    ]);
  });

  after(async () => {
    await Promise.allSettled([alice?.ua.stop(), bob?.ua.stop()]);
    closeAll();
  });

  it('keeps media, re-registers within 5 s of the server coming back, and BYE still works', async () => {
    const call = alice.ua.call('bob');
    const incoming = await bob.nextIncoming();
    await incoming.answer();
    await stateOf(call, 'connected');
    await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio before the restart');

    const transportEvents: string[] = [];
    alice.ua.events.on('transport', (state, info) => transportEvents.push(`${state}: ${info.reason}`));
    const aliceBack = registeredAgain(alice);
    const bobBack = registeredAgain(bob);
    await executeServerCommand('kamailio', { action: 'restart' });
    const serverBack = performance.now();
    const [a, b] = await Promise.all([aliceBack, bobBack]);
    expect(Math.max(a, b) - serverBack, "ms from the server's return to both registered").to.be.below(5000);
    expect(transportEvents.some((e) => e.startsWith('disconnected'))).to.equal(true);
    expect(call.state).to.equal('connected');
    await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio after the restart');
    await waitForGrowth(mediaOf(incoming), 'audio', 'bytesReceived', 'audio at bob after the restart');

    // The callee hangs up: its BYE must find the caller over the caller's new connection.
    const atAlice = within<CallEndInfo>(
      10000,
      'the BYE at alice',
      new Promise((resolve) => call.events.on('ended', resolve)),
    );
    await incoming.hangup();
    expect((await atAlice).cause).to.equal('remote-hangup');
  });
});
