import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { responseTo } from '../../transaction/requests';
import { setup } from '../user-agent.fixtures';
import { MAX_WATCH_EXPIRES } from './notifier';
import { PIDF_TYPE, readPidf, writePidf } from './pidf';

/** A SUBSCRIBE from bob to alice (us), out of dialog or in the dialog `toTag` names. */
function subscribe(options: {
  event?: string;
  expires?: number;
  toTag?: string;
  seq?: number;
  callId?: string;
}): string {
  return (
    'SUBSCRIBE sip:alice@example.test SIP/2.0\r\n' +
    `Via: SIP/2.0/WSS watcher.example;branch=z9hG4bKs${options.seq ?? 1}${options.callId ?? 'w1'}\r\n` +
    'Max-Forwards: 70\r\n' +
    'Record-Route: <sip:proxy.example.test;lr>\r\n' +
    'From: <sip:bob@example.test>;tag=bobtag\r\n' +
    `To: <sip:alice@example.test>${options.toTag ? `;tag=${options.toTag}` : ''}\r\n` +
    `Call-ID: ${options.callId ?? 'w1'}\r\n` +
    `CSeq: ${options.seq ?? 1} SUBSCRIBE\r\n` +
    'Contact: <sip:bob@192.0.2.7;transport=ws>\r\n' +
    `Event: ${options.event ?? 'presence'}\r\n` +
    'Accept: application/pidf+xml\r\n' +
    (options.expires === undefined ? '' : `Expires: ${options.expires}\r\n`) +
    'Content-Length: 0\r\n\r\n'
  );
}

async function served() {
  const t = setup();
  t.serve((request) => responseTo(request, 200, undefined, 'srv'));
  await t.ua.start();
  let state: 'available' | 'busy' = 'available';
  const service = t.ua.subscriptions.serve('presence', {
    contentType: PIDF_TYPE,
    body: () => writePidf('sip:alice@example.test', state, 't1'),
  });
  return { t, service, set: (next: typeof state) => (state = next) };
}

describe('serving our event packages (RFC 6665 §4.2)', () => {
  // Seen failing with SUBSCRIBE left in NOT_SERVED (405), and without the Record-Route copied.
  it('accepts a SUBSCRIBE for a served package: 200 with Expires and a tag, then a NOTIFY with the state', async () => {
    const { t } = await served();
    t.inject(subscribe({ expires: 7200 }));
    await t.flush();
    const ok = t.responses().find((r) => r.cseq.method === 'SUBSCRIBE')!;
    assert.equal(ok.status, 200);
    assert.equal(ok.header('Expires'), String(MAX_WATCH_EXPIRES), 'cut to our maximum');
    assert.ok(ok.to.tag);
    assert.equal(ok.header('Record-Route'), '<sip:proxy.example.test;lr>', 'copied (RFC 3261 §12.1.1)');
    const [notify] = t.requests('NOTIFY');
    assert.ok(notify);
    assert.equal(notify.uri.toString(), 'sip:bob@192.0.2.7;transport=ws');
    assert.equal(notify.from.tag, ok.to.tag);
    assert.equal(notify.to.tag, 'bobtag');
    assert.equal(notify.callId, 'w1');
    assert.equal(notify.header('Route'), '<sip:proxy.example.test;lr>');
    assert.equal(notify.header('Event'), 'presence');
    assert.match(notify.header('Subscription-State') ?? '', /^active;expires=36\d\d$/);
    assert.equal(readPidf(notify.body)?.state, 'available');
  });

  // Seen failing with changed() sending nothing.
  it('notifies each change, and ends with a last NOTIFY when the watcher unsubscribes (Expires: 0)', async () => {
    const { t, service, set } = await served();
    t.inject(subscribe({}));
    await t.flush();
    const tag = t.responses().find((r) => r.cseq.method === 'SUBSCRIBE')!.to.tag!;
    set('busy');
    service.changed();
    await t.flush();
    assert.equal(readPidf(t.requests('NOTIFY')[1]!.body)?.state, 'busy');
    t.inject(subscribe({ toTag: tag, seq: 2, expires: 0 }));
    await t.flush();
    const notifies = t.requests('NOTIFY');
    assert.equal(notifies.at(-1)!.header('Subscription-State'), 'terminated;reason=timeout');
    service.changed();
    await t.flush();
    assert.equal(t.requests('NOTIFY').length, notifies.length, 'nothing after the end');
  });

  // Seen failing with the 489 branch answering 200.
  it('answers 489 with Allow-Events for a package it does not serve, and 481 to a refresh of nothing', async () => {
    const { t } = await served();
    t.inject(subscribe({ event: 'dialog', callId: 'w2' }));
    t.inject(subscribe({ toTag: 'nosuch', callId: 'w3' }));
    await t.flush();
    const byCall = new Map(t.responses().map((r) => [r.callId, r]));
    assert.equal(byCall.get('w2')!.status, 489);
    assert.equal(byCall.get('w2')!.header('Allow-Events'), 'presence');
    assert.equal(byCall.get('w3')!.status, 481);
  });

  // Seen failing with stop() leaving the watchers alone.
  it('ends every watcher with reason=noresource when the package is no longer served', async () => {
    const { t, service } = await served();
    t.inject(subscribe({}));
    await t.flush();
    service.stop();
    await t.flush();
    assert.equal(t.requests('NOTIFY').at(-1)!.header('Subscription-State'), 'terminated;reason=noresource');
    t.inject(subscribe({ callId: 'w4' }));
    await t.flush();
    assert.equal(t.responses().find((r) => r.callId === 'w4')!.status, 489);
  });
});
