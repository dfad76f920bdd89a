// Subscriptions with a client nobody here wrote, through the plain Kamailio (no presence server:
// SUBSCRIBEs reach the phones): JsSIP 3.13's Notifier (RFC 6665) answers our <sip-presence>'s
// SUBSCRIBE for the dialog package and its NOTIFYs drive the lamp; JsSIP's Subscriber watches the
// presence our stack serves (ua.subscriptions.serve).
import { expect } from '@open-wc/testing';
import type { SipPresence } from '../../src/index';
import { dialogInfo } from '../../src/components/sip-presence/notifier.fixtures';
import { kamailio, makePhone, removePhones, waitFor } from './elements-helpers';
import { PIDF_TYPE, readPidf, writePidf } from '../../src/stack/ua/subscriptions/pidf';
import { jssipPhone, type JsSipEmitter, type JsSipPhone, type JsSipUa } from './interop-jssip-peer';
import { registeredPhone, type TestPhone } from './phone-fixtures';

interface JsSipNotifier extends JsSipEmitter {
  start(): void;
  notify(body?: string): void;
}
interface JsSipSubscriber extends JsSipEmitter {
  subscribe(body?: string): void;
  terminate(body?: string): void;
}
/** JsSIP's UA with its notifier and subscriber factories. */
type NotifyingUa = JsSipUa & {
  notify(request: unknown, contentType: string, options: object): JsSipNotifier;
  subscribe(target: string, event: string, accept: string, options: object): JsSipSubscriber;
};

describe('interop with JsSIP subscriptions through Kamailio', function () {
  this.timeout(30000);
  let dave: JsSipPhone | undefined;
  let alice: TestPhone | undefined;

  afterEach(async () => {
    dave?.ua.stop();
    dave = undefined;
    await alice?.ua.stop();
    alice = undefined;
    await removePhones();
  });

  // Seen failing before subscription.ts took the route set from the NOTIFY (JsSIP's 2xx has no
  // Record-Route: our Expires: 0 went to Kamailio without Route, got 404, and JsSIP never heard
  // the unsubscribe).
  it('a JsSIP Notifier drives a busy lamp, and hears Expires: 0 when the lamp leaves', async () => {
    const info = await kamailio();
    dave = await jssipPhone(info, 'dave');
    let notifier: JsSipNotifier | undefined;
    const seen: Array<{ unsubscribe: boolean; event: string; accept: string }> = [];
    dave.ua.on<{ event: { event: string }; request: { getHeader(name: string): string } }>(
      'newSubscribe',
      ({ event, request }) => {
        notifier = (dave!.ua as NotifyingUa).notify(request, 'application/dialog-info+xml', { pending: false });
        notifier.on<boolean>('subscribe', (unsubscribe) =>
          seen.push({ unsubscribe, event: event.event, accept: request.getHeader('Accept') }),
        );
        notifier.start();
        notifier.notify(dialogInfo(0));
      },
    );
    const alice = await makePhone(info, 'alice', { trace: true });
    const el = document.createElement('sip-presence') as SipPresence;
    Object.assign(el, { for: alice.id, target: 'dave', event: 'dialog' });
    document.body.append(el);
    await waitFor('the lamp to show idle', () => el.state === 'idle');
    expect(seen[0]).to.deep.equal({ unsubscribe: false, event: 'dialog', accept: 'application/dialog-info+xml' });
    notifier!.notify(dialogInfo(1, 'early'));
    await waitFor('the lamp to show ringing', () => el.state === 'ringing');
    notifier!.notify(dialogInfo(2, 'confirmed'));
    await waitFor('the lamp to show busy', () => el.state === 'busy');
    el.remove();
    await waitFor('JsSIP to hear the unsubscribe', () => seen.some((entry) => entry.unsubscribe));
  });

  // Seen failing with the 2xx to SUBSCRIBE not copying Record-Route (JsSIP's unsubscribe never
  // reached us: no final NOTIFY), and with changed() sending nothing (no second NOTIFY).
  it('a JsSIP Subscriber watches the presence our stack serves, sees it change, and unsubscribes', async () => {
    const info = await kamailio();
    alice = await registeredPhone(info, 'alice');
    let state: 'available' | 'busy' = 'available';
    const aor = `sip:alice@${info.domain}`;
    const service = alice.ua.subscriptions.serve('presence', {
      contentType: PIDF_TYPE,
      body: () => writePidf(aor, state, 'a1'),
    });
    dave = await jssipPhone(info, 'dave');
    const states: string[] = [];
    let terminated = false;
    const subscriber = (dave.ua as NotifyingUa).subscribe(aor, 'presence', PIDF_TYPE, {
      expires: 300,
      contentType: PIDF_TYPE,
    });
    subscriber.on<boolean>('notify', (...args: unknown[]) =>
      states.push(`${readPidf(String(args[2] ?? ''))?.state}${args[0] ? ' (final)' : ''}`),
    );
    subscriber.on('terminated', () => (terminated = true));
    subscriber.subscribe();
    await waitFor('the first NOTIFY at JsSIP', () => states.length === 1);
    state = 'busy';
    service.changed();
    await waitFor('the change at JsSIP', () => states.length === 2);
    subscriber.terminate();
    await waitFor('JsSIP to end the subscription', () => terminated);
    await waitFor('our last NOTIFY at JsSIP', () => states.length === 3);
    expect(states).to.deep.equal(['available', 'busy', 'busy (final)']);
  });

  // Seen failing with PresencePublisher not serving (our lamp's SUBSCRIBE got 489 from bob's phone).
  it('without a presence server, a lamp watches another phone that serves its own presence', async () => {
    const info = await kamailio();
    const watcher = await makePhone(info, 'alice');
    const watched = await makePhone(info, 'bob');
    watched.presence = 'away';
    await watched.updateComplete;
    const el = document.createElement('sip-presence') as SipPresence;
    Object.assign(el, { for: watcher.id, target: 'bob', event: 'presence' });
    document.body.append(el);
    await waitFor('the lamp to show away', () => el.state === 'away');
    watched.presence = 'busy';
    await waitFor('the lamp to show busy', () => el.state === 'busy');
    el.remove();
  });
});
