// Issue 15 item 5: a peer cannot make the phone hold unbounded calls. 5000 INVITEs gave 5000
// ringing calls, each ringing forever.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../core/clock.fake';
import { seededRandom } from '../../core/seeded-random.fake';
import { isRequest, type SipRequest } from '../../message/message';
import { parseMessage } from '../../message/parser';
import { responseTo } from '../../transaction/requests';
import { createMemoryTransportPair } from '../../transport/memory-transport.fake';
import { fakeMediaSessionFactory } from '../media-session.fake';
import { UserAgent } from '../user-agent';
import { DEFAULT_MAX_INCOMING_CALLS } from './call-manager';
import { MAX_EARLY_DIALOGS, type OutgoingCall } from './outgoing-call';
import { sent, twoPhones } from './calls.fixtures';

describe('incoming call limits', () => {
  it(`answers 486 Busy Here to an INVITE beyond ${DEFAULT_MAX_INCOMING_CALLS} incoming calls, and takes calls again once one ends`, async () => {
    const { alice, bob, pair, flush } = await twoPhones();
    const calls = Array.from({ length: DEFAULT_MAX_INCOMING_CALLS + 2 }, () => alice.ua.call('bob'));
    await flush();
    assert.equal(bob.incoming.length, DEFAULT_MAX_INCOMING_CALLS);
    assert.equal(bob.ua.calls.length, DEFAULT_MAX_INCOMING_CALLS);
    assert.equal(sent(pair.b, 'SIP/2.0 486').length, 2);
    assert.deepEqual(
      calls.slice(-2).map((call) => call.ended?.status),
      [486, 486],
    );
    bob.incoming[0]!.decline();
    await flush();
    alice.ua.call('bob');
    await flush();
    assert.equal(bob.incoming.length, DEFAULT_MAX_INCOMING_CALLS + 1, 'a place freed');
  });

  it('takes the cap from the options', async () => {
    const { alice, bob, flush } = await twoPhones({ maxIncomingCalls: 1 });
    const [first, second] = [alice.ua.call('bob'), alice.ua.call('bob')];
    await flush();
    assert.equal(bob.incoming.length, 1);
    assert.equal(first.ended, undefined);
    assert.equal(second.ended?.status, 486);
  });

  it('declines with 480 a call left ringing for 60 s, and reports it as no-answer on both sides', async () => {
    const { alice, bob, clock, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    const ringing = bob.incoming[0]!;
    clock.advance(59_999);
    await flush();
    assert.equal(ringing.state, 'incoming', 'still ringing');
    clock.advance(1);
    await flush();
    assert.equal(ringing.ended?.cause, 'no-answer');
    assert.equal(call.ended?.status, 480);
    assert.deepEqual(bob.ua.calls, []);
  });

  it('takes the ring timeout from the options, and an answered call is not ended by it', async () => {
    const { alice, bob, clock, flush } = await twoPhones({ ringTimeoutMs: 5_000 });
    alice.ua.call('bob');
    alice.ua.call('bob');
    await flush();
    const [answered, left] = bob.incoming;
    await answered!.answer();
    await flush();
    clock.advance(5_000);
    await flush();
    assert.equal(left!.ended?.cause, 'no-answer');
    assert.equal(answered!.ended, undefined);
    assert.equal(answered!.state, 'connected');
  });
});

describe('outgoing call limits', () => {
  it(`keeps at most ${MAX_EARLY_DIALOGS} early dialogs however many tagged 180s arrive, and the call still connects`, async () => {
    const clock = new FakeClock();
    const pair = createMemoryTransportPair({ clock, random: seededRandom(31) });
    const ua = new UserAgent({
      aor: 'sip:alice@example.test',
      transport: pair.a,
      clock,
      random: seededRandom(32),
      calls: { mediaSessionFactory: fakeMediaSessionFactory() },
    });
    await ua.start();
    let invite: SipRequest | undefined;
    pair.b.onMessage((text) => {
      const message = parseMessage(text);
      if (isRequest(message) && message.method === 'INVITE') invite = message;
    });
    const call = ua.call('bob') as OutgoingCall;
    for (let i = 0; i < 20 && !invite; i++) {
      clock.advance(0);
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (let i = 0; i < 500; i++) pair.b.send(responseTo(invite!, 180, undefined, `fork${i}`).toString());
    for (let i = 0; i < 20; i++) {
      clock.advance(0);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(call.earlyDialogs, MAX_EARLY_DIALOGS);
    assert.equal(call.state, 'ringing');
    // The 2xx of a fork beyond the cap still makes its dialog (RFC 3261 §13.2.2.4).
    pair.b.send(responseTo(invite!, 200, undefined, 'fork499').toString());
    for (let i = 0; i < 20; i++) {
      clock.advance(0);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(call.state, 'connected');
    assert.equal(call.dialog?.remoteTag, 'fork499');
    assert.equal(call.earlyDialogs, 0);
  });
});
