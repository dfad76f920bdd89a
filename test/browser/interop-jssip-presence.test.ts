// Subscriptions with a client nobody here wrote: JsSIP 3.13's Notifier (RFC 6665) answers our
// <sip-presence>'s SUBSCRIBE for the dialog package, through the plain Kamailio (no presence
// server: the SUBSCRIBE reaches JsSIP), and its NOTIFYs drive the lamp.
import { expect } from '@open-wc/testing';
import type { SipPresence } from '../../src/index';
import { dialogInfo } from '../../src/components/sip-presence/notifier.fixtures';
import { kamailio, makePhone, removePhones, waitFor } from './elements-helpers';
import { jssipPhone, type JsSipEmitter, type JsSipPhone, type JsSipUa } from './interop-jssip-peer';

interface JsSipNotifier extends JsSipEmitter {
  start(): void;
  notify(body?: string): void;
}
/** JsSIP's UA with the notifier factory (`ua.notify(subscribe, contentType, options)`). */
type NotifyingUa = JsSipUa & { notify(request: unknown, contentType: string, options: object): JsSipNotifier };

describe('interop with JsSIP subscriptions through Kamailio', function () {
  this.timeout(30000);
  let dave: JsSipPhone | undefined;

  afterEach(async () => {
    dave?.ua.stop();
    dave = undefined;
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
    dave.ua.on<{ event: { event: string }; request: { getHeader(name: string): string } }>('newSubscribe', ({ event, request }) => {
      notifier = (dave!.ua as NotifyingUa).notify(request, 'application/dialog-info+xml', { pending: false });
      notifier.on<boolean>('subscribe', (unsubscribe) => seen.push({ unsubscribe, event: event.event, accept: request.getHeader('Accept') }));
      notifier.start();
      notifier.notify(dialogInfo(0));
    });
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
});
