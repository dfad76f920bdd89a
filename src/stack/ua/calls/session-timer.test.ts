// RFC 4028 session timers and RFC 3311 UPDATE between two of our user agents, and against a
// scripted far end, all on the fake clock: refresher choice, refreshes at half the interval, 422
// and its retry, and the BYE when the refresh never comes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../core/clock.fake';
import { seededRandom } from '../../core/seeded-random.fake';
import { parseMessage } from '../../message/parser';
import type { SipRequest } from '../../message/message';
import { responseTo } from '../../transaction/requests';
import { createMemoryTransportPair } from '../../transport/memory-transport.fake';
import { fakeMediaSessionFactory } from '../media-session.fake';
import { UserAgent } from '../user-agent';
import { sent, twoPhones } from './calls.fixtures';
import { callFarEnd } from './far-end.fixtures';
import { MAX_422_RETRIES, SessionTimer } from './session-timer';

const request = (text: string) => parseMessage(text) as SipRequest;
const lastOf = (lines: string[]) => parseMessage(lines.at(-1)!);

/** Moves the fake clock `seconds` forward, one second at a time, letting promises run. */
async function pass(clock: FakeClock, flush: () => Promise<void>, seconds: number): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    clock.advance(1000);
    await flush();
  }
}

describe('session timers (RFC 4028) between two of our phones', () => {
  it('the caller asks to refresh; the callee agrees (Require: timer) and the caller refreshes by UPDATE every half interval', async () => {
    const { alice, bob, pair, clock, flush } = await twoPhones({ sessionTimers: { expires: 90 } });
    const call = alice.ua.call('bob');
    await flush();
    const invite = lastOf(sent(pair.a, 'INVITE'));
    assert.equal(invite.header('Session-Expires'), '90;refresher=uac');
    assert.ok(invite.headers('Supported').includes('timer'));
    await bob.incoming[0]!.answer();
    await flush();
    const ok = lastOf(sent(pair.b, 'SIP/2.0 200'));
    assert.equal(ok.header('Session-Expires'), '90;refresher=uac', 'refresher: the caller, as it asked (§9)');
    assert.deepEqual(ok.headers('Require'), ['timer']);
    await pass(clock, flush, 44);
    assert.equal(sent(pair.a, 'UPDATE').length, 0, 'not before half the interval');
    await pass(clock, flush, 2 + 45 * 2);
    const updates = sent(pair.a, 'UPDATE');
    assert.equal(updates.length, 3, 'one refresh per 45 s for three intervals');
    assert.equal(parseMessage(updates[0]!).header('Session-Expires'), '90;refresher=uac');
    assert.equal(parseMessage(updates[0]!).body, '', 'a refresh UPDATE carries no offer');
    assert.equal(sent(pair.b, 'UPDATE').length + sent(pair.b, 'BYE').length + sent(pair.a, 'BYE').length, 0);
    assert.equal(call.state, 'connected');
    assert.equal(bob.incoming[0]!.state, 'connected');
  });

  it('the side that does not refresh sends BYE at the interval less min(32 s, a third) when no refresh comes (§10): session-expired', async () => {
    const { alice, bob, pair, clock, flush } = await twoPhones({ sessionTimers: { expires: 90 } });
    const call = alice.ua.call('bob');
    await flush();
    const incoming = bob.incoming[0]!;
    await incoming.answer();
    await flush();
    pair.a.drop((text) => text.startsWith('UPDATE '));
    await pass(clock, flush, 59);
    assert.equal(incoming.state, 'connected', 'still up at 59 s');
    await pass(clock, flush, 2);
    assert.equal(incoming.ended?.cause, 'session-expired');
    assert.equal(sent(pair.b, 'BYE').length, 1);
    // The caller's refresh got no answer either: its own expiry ends it at the same moment.
    assert.ok(call.ended?.cause === 'remote-hangup' || call.ended?.cause === 'session-expired', call.ended?.cause);
  });

  it('a callee whose Min-SE is larger answers 422 with it, and the caller asks again with that interval (§7.4)', async () => {
    const clock = new FakeClock();
    const pair = createMemoryTransportPair({ clock, random: seededRandom(3) });
    const make = (user: string, transport: typeof pair.a, seed: number, minSE?: number) =>
      new UserAgent({
        aor: `sip:${user}@example.test`,
        transport,
        clock,
        random: seededRandom(seed),
        calls: { mediaSessionFactory: fakeMediaSessionFactory(), sessionTimers: { expires: 90, minSE } },
      });
    const alice = make('alice', pair.a, 1);
    const bob = make('bob', pair.b, 2, 300);
    bob.events.on('incoming-call', (incoming) => void incoming.answer());
    await alice.start();
    const call = alice.call('bob');
    for (let i = 0; i < 30; i++) {
      clock.advance(0);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(lastOf(sent(pair.b, 'SIP/2.0 422')).header('Min-SE'), '300');
    const [first, second] = sent(pair.a, 'INVITE').map(request);
    assert.equal(second!.header('Session-Expires'), '300;refresher=uac');
    assert.equal(second!.header('Min-SE'), '300');
    assert.equal(second!.callId, first!.callId);
    assert.equal(second!.from.tag, first!.from.tag);
    assert.equal(second!.cseq.seq, first!.cseq.seq + 1);
    assert.equal(call.state, 'connected');
  });
});

describe('session timers against a scripted far end', () => {
  it('refreshes by re-INVITE when the peer does not allow UPDATE, as the 2xx made us the refresher', async () => {
    const { clock, call, far, flush, answer, invites } = await callFarEnd();
    await answer(invites()[0]!, 200, [
      ['Session-Expires', '120;refresher=uac'],
      ['Allow', 'INVITE, ACK, BYE, CANCEL'],
    ]);
    assert.equal(call.state, 'connected');
    await pass(clock, flush, 61);
    const reinvite = invites()[1];
    assert.ok(reinvite, `a re-INVITE at half of 120 s; the far end got ${far.map((r) => r.method).join(', ')}`);
    assert.equal(reinvite.header('Session-Expires'), '120;refresher=uac');
    assert.ok(reinvite.body.includes('m=audio'), 're-INVITE offers the session as it is');
    assert.equal(far.filter((r) => r.method === 'UPDATE').length, 0);
  });

  it('leaves the refreshing to the peer when its 2xx says refresher=uas, and ends the call when it does not', async () => {
    const { clock, call, far, flush, answer, invites } = await callFarEnd();
    await answer(invites()[0]!, 200, [
      ['Session-Expires', '90;refresher=uas'],
      ['Allow', 'INVITE, ACK, BYE, UPDATE'],
    ]);
    await pass(clock, flush, 59);
    assert.equal(
      far.filter((r) => r.method === 'UPDATE' || (r.method === 'INVITE' && r.to.tag)).length,
      0,
      'we do not refresh',
    );
    assert.equal(call.state, 'connected');
    await pass(clock, flush, 2);
    assert.equal(call.ended?.cause, 'session-expired');
    assert.ok(far.some((r) => r.method === 'BYE'));
  });

  it('gives up after MAX_422_RETRIES 422s: the call is rejected with 422', async () => {
    const { call, flush, answer, invites } = await callFarEnd();
    for (let i = 0; i <= MAX_422_RETRIES; i++) await answer(invites()[i]!, 422, [['Min-SE', String(2000 + 1000 * i)]]);
    await flush();
    assert.equal(invites().length, MAX_422_RETRIES + 1);
    assert.equal(invites()[MAX_422_RETRIES]!.header('Session-Expires'), '3000;refresher=uac');
    assert.equal(call.ended?.cause, 'rejected');
    assert.equal(call.ended?.status, 422);
  });
});

describe('SessionTimer: refresher choice of the UAS (RFC 4028 §9)', () => {
  const invite = (headers: string) =>
    request(
      `INVITE sip:bob@example.test SIP/2.0\r\nVia: SIP/2.0/WSS a.invalid;branch=z9hG4bK1\r\nFrom: <sip:alice@example.test>;tag=1\r\nTo: <sip:bob@example.test>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n${headers}Content-Length: 0\r\n\r\n`,
    );
  const answerTo = (headers: string, minSE?: number) => {
    const timer = new SessionTimer(
      { clock: new FakeClock(), refresh: () => undefined, expire: () => undefined },
      { minSE },
    );
    const req = invite(headers);
    const rejected = timer.reject(req);
    const ok = responseTo(req, 200, undefined, 't');
    if (!rejected) timer.accept(req, ok);
    return { ok, rejected, running: timer.running };
  };

  it('takes the refresher the caller names', () => {
    assert.equal(answerTo('Session-Expires: 600;refresher=uas\r\n').ok.header('Session-Expires'), '600;refresher=uas');
    assert.equal(answerTo('Session-Expires: 600;refresher=uas\r\n').running?.refresher, 'local');
  });

  it('without one: the caller when it supports timer (Require: timer added), else us', () => {
    const theirs = answerTo('Session-Expires: 600\r\nSupported: timer\r\n');
    assert.equal(theirs.ok.header('Session-Expires'), '600;refresher=uac');
    assert.deepEqual(theirs.ok.headers('Require'), ['timer']);
    const ours = answerTo('Session-Expires: 600\r\n');
    assert.equal(ours.ok.header('Session-Expires'), '600;refresher=uas');
    assert.equal(ours.ok.hasHeader('Require'), false);
  });

  it('refuses an interval below its Min-SE with 422 naming it; runs no timer without Session-Expires', () => {
    assert.deepEqual(answerTo('Session-Expires: 60\r\n').rejected?.headers, [['Min-SE', '90']]);
    assert.deepEqual(answerTo('Session-Expires: 200\r\n', 300).rejected?.headers, [['Min-SE', '300']]);
    const none = answerTo('Supported: timer\r\n');
    assert.equal(none.running, undefined);
    assert.equal(none.ok.hasHeader('Session-Expires'), false);
  });

  it('caps an enormous interval at MAX_SESSION_EXPIRES in its 2xx', () => {
    assert.equal(
      answerTo('Session-Expires: 4294967295;refresher=uac\r\n').ok.header('Session-Expires'),
      '86400;refresher=uac',
    );
  });
});
