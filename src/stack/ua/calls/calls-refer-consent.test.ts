import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SipRequest, SipResponse } from '../../message/message';
import { parseMessage } from '../../message/parser';
import type { Call } from './call';
import type { ReferRequest } from './call-types';
import { sent, threePhones } from './calls.fixtures';
import { REFER_ASK_TIMEOUT_MS, REFER_LIMIT, REFER_WINDOW_MS } from './transfer';

// Issue 15 item 3: a peer must not make the phone dial anything. A REFER is followed only in a
// confirmed dialog, one at a time, a few per minute, as an audio-only call unless the user turns
// video on, and never without the application saying so.

type Phones = Awaited<ReturnType<typeof threePhones>>;
type Phone = Phones['alice'];

/** `from` calls `to` (with video when asked) and `to` answers: both call objects, connected. */
async function connect({ flush }: Phones, from: Phone, to: Phone, name: string, video = false) {
  const call = from.ua.call(name, video ? { video: true } : {});
  await flush();
  const incoming = to.incoming.at(-1)!;
  const answering = incoming.answer(video ? { video: true } : {});
  await flush();
  await answering;
  assert.equal(call.state, 'connected');
  return [call, incoming] as const;
}

/**
 * `phone` sends a REFER in the dialog of `call` (as a hostile peer may, whatever its state); resolves to the status.
 */
async function refer(
  { flush }: Phones,
  phone: Phone,
  call: Call,
  target = 'sip:carol@example.test',
): Promise<SipResponse> {
  const request = call.dialog!.createRequest('REFER');
  request.setHeader('Refer-To', `<${target}>`);
  request.setHeader('Contact', phone.ua.core.contact());
  const sending = phone.ua.core.send(request, { nextSeq: () => call.dialog!.nextSeq() });
  await flush();
  return (await sending).response;
}

/** The INVITEs `phone` sent to carol (the REFER target). */
const invitesToCarol = (phone: Phone) => sent(phone.transport, 'INVITE sip:carol@');

/** The sipfrag status lines of the NOTIFYs `phone` sent. */
const notified = (phone: Phone) =>
  sent(phone.transport, 'NOTIFY').map((text) => {
    const notify = parseMessage(text) as SipRequest;
    return `${notify.body.trim()} (${notify.header('Subscription-State')})`;
  });

describe('REFER consent (RFC 3515 §2.4.2, issue 15 item 3)', () => {
  it('refuses a REFER in an early dialog (403 at the callee, 481 at the caller), and calls no one', async () => {
    const phones = await threePhones();
    const { alice, bob } = phones;
    const calling = alice.ua.call('bob');
    await phones.flush();
    const ringing = bob.incoming[0]!;
    assert.equal(calling.state, 'ringing');
    const offered: ReferRequest[] = [];
    for (const call of [calling, ringing])
      call.events.on('refer', (request) => offered.push(request) && request.accept());
    assert.equal((await refer(phones, alice, calling)).status, 403, 'the caller refers the phone that rings');
    // The caller routes nothing to an early dialog (its call takes a dialog on the 2xx): 481.
    assert.equal((await refer(phones, bob, ringing)).status, 481, 'the callee refers the caller before answering');
    assert.equal(offered.length, 0, 'neither reached the application');
    assert.equal(invitesToCarol(alice).length + invitesToCarol(bob).length, 0);
    assert.equal(calling.state, 'ringing', 'the call goes on');
  });

  it('follows nothing unless the application says so: no listener, or one that does not decide, means 603', async () => {
    const phones = await threePhones();
    const { alice, bob } = phones;
    const [x, xAtBob] = await connect(phones, alice, bob, 'bob');
    assert.equal((await refer(phones, alice, x)).status, 603);
    const seen: string[] = [];
    xAtBob.events.on('refer', (request) => seen.push(request.target));
    assert.equal((await refer(phones, alice, x)).status, 603);
    assert.deepEqual(seen, ['sip:carol@example.test']);
    assert.equal(invitesToCarol(bob).length, 0);
    assert.equal(xAtBob.state, 'connected');
  });

  it('refuses a second REFER with 491 while the first is followed, and follows one after it', async () => {
    const phones = await threePhones();
    const { alice, bob, carol, flush } = phones;
    const [x, xAtBob] = await connect(phones, alice, bob, 'bob');
    xAtBob.events.on('refer', (request) => request.accept());
    assert.equal((await refer(phones, alice, x)).status, 202);
    assert.equal((await refer(phones, alice, x)).status, 491, 'the first call to carol still rings');
    assert.equal(invitesToCarol(bob).length, 1);
    carol.incoming[0]!.decline();
    await flush();
    assert.equal((await refer(phones, alice, x)).status, 202, 'the first one is over');
    assert.equal(invitesToCarol(bob).length, 2);
  });

  it('refuses a second REFER with 491 while the user is asked about the first', async () => {
    const phones = await threePhones();
    const { alice, bob } = phones;
    const [x, xAtBob] = await connect(phones, alice, bob, 'bob');
    const asked: ReferRequest[] = [];
    xAtBob.events.on('refer', (request) => {
      asked.push(request);
      request.defer();
    });
    assert.equal((await refer(phones, alice, x)).status, 202);
    assert.equal((await refer(phones, alice, x)).status, 491);
    assert.equal(asked.length, 1, 'the user is asked once');
  });

  it(`limits REFERs to ${REFER_LIMIT} a minute per call: more get 503 with Retry-After`, async () => {
    const phones = await threePhones();
    const { alice, bob, carol, clock, flush } = phones;
    const [x, xAtBob] = await connect(phones, alice, bob, 'bob');
    xAtBob.events.on('refer', (request) => request.accept());
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i <= REFER_LIMIT; i++) {
      const response = await refer(phones, alice, x);
      statuses.push(response.status);
      retryAfter = response.header('Retry-After');
      const atCarol = carol.incoming.at(-1);
      if (atCarol?.state === 'incoming') atCarol.decline(); // each call to carol ends at once: none is being followed
      await flush();
      clock.advance(1000);
    }
    assert.deepEqual(statuses, [...Array<number>(REFER_LIMIT).fill(202), 503]);
    assert.ok(Number(retryAfter) > 0 && Number(retryAfter) <= REFER_WINDOW_MS / 1000, `Retry-After ${retryAfter}`);
    assert.equal(invitesToCarol(bob).length, REFER_LIMIT);
    clock.advance(REFER_WINDOW_MS);
    await flush();
    assert.equal((await refer(phones, alice, x)).status, 202, 'a minute later it is followed again');
  });

  it('makes the referred call audio-only, even from a video call, unless accept() asks for video', async () => {
    const phones = await threePhones();
    const { alice, bob, carol, flush } = phones;
    // Bob placed a video call: the call a REFER on it makes must not send his camera to carol.
    const [x, xAtAlice] = await connect(phones, bob, alice, 'alice', true);
    assert.equal(x.media?.video, true);
    const referred: Call[] = [];
    x.events.on('referred-call', (call) => referred.push(call));
    x.events.on('refer', (request) => request.accept());
    const xTransferring = xAtAlice.transfer('carol');
    await flush();
    await xTransferring;
    assert.equal(referred[0]?.media?.video, false);
    assert.doesNotMatch(parseMessage(invitesToCarol(bob)[0]!).body, /^m=video/m);
    await referred[0]!.hangup();
    carol.incoming.at(-1)?.decline();
    await flush();

    const [y, yAtAlice] = await connect(phones, bob, alice, 'alice', true);
    y.events.on('referred-call', (call) => referred.push(call));
    y.events.on('refer', (request) => request.accept({ video: true }));
    const yTransferring = yAtAlice.transfer('carol');
    await flush();
    await yTransferring;
    assert.equal(referred[1]?.media?.video, true, 'the user turned video on');
  });

  it('defer(): 202 and a pending NOTIFY at once; the user accepts later, declines (NOTIFY 603), or lets it expire', async () => {
    const phones = await threePhones();
    const { alice, bob, clock, flush } = phones;
    const [x, xAtBob] = await connect(phones, alice, bob, 'bob');
    const asked: ReferRequest[] = [];
    xAtBob.events.on('refer', (request) => {
      asked.push(request);
      request.defer();
    });
    const progress: number[] = [];
    x.events.on('transfer-progress', ({ status }) => progress.push(status));

    // Declined by the user.
    assert.equal((await refer(phones, alice, x)).status, 202);
    assert.equal(invitesToCarol(bob).length, 0, 'nothing is dialled while the user decides');
    asked[0]!.reject();
    await flush();
    assert.equal(await asked[0]!.outcome, 'declined');
    assert.deepEqual(notified(bob), [
      'SIP/2.0 100 Trying (active;expires=60)',
      'SIP/2.0 603 Declined (terminated;reason=rejected)',
    ]);
    assert.deepEqual(progress, [100, 603]);

    // Not answered in time.
    assert.equal((await refer(phones, alice, x)).status, 202);
    clock.advance(REFER_ASK_TIMEOUT_MS);
    await flush();
    assert.equal(await asked[1]!.outcome, 'expired');
    assert.equal(asked[1]!.accept(), undefined, 'too late');
    assert.equal(notified(bob).at(-1), 'SIP/2.0 603 Declined (terminated;reason=rejected)');

    // Accepted after a while: only now is carol called.
    assert.equal((await refer(phones, alice, x)).status, 202);
    clock.advance(REFER_ASK_TIMEOUT_MS / 2);
    await flush();
    const call = asked[2]!.accept();
    await flush();
    assert.equal(await asked[2]!.outcome, 'accepted');
    assert.equal(call?.state, 'ringing');
    assert.equal(invitesToCarol(bob).length, 1);
    assert.equal(
      notified(bob).filter((line) => line.startsWith('SIP/2.0 100')).length,
      3,
      'one pending NOTIFY per REFER',
    );
  });

  it('a REFER still waiting for the user is declined when its call ends', async () => {
    const phones = await threePhones();
    const { alice, bob, flush } = phones;
    const [x, xAtBob] = await connect(phones, alice, bob, 'bob');
    let asked: ReferRequest | undefined;
    xAtBob.events.on('refer', (request) => {
      asked = request;
      request.defer();
    });
    assert.equal((await refer(phones, alice, x)).status, 202);
    await x.hangup();
    await flush();
    assert.equal(await asked!.outcome, 'declined');
    assert.equal(asked!.accept(), undefined);
    assert.equal(invitesToCarol(bob).length, 0);
  });

  it('does not follow a REFER accepted after its call was hung up during the event', async () => {
    const phones = await threePhones();
    const { alice, bob } = phones;
    const [x, xAtBob] = await connect(phones, alice, bob, 'bob');
    xAtBob.events.on('refer', (request) => {
      void xAtBob.hangup();
      request.accept();
    });
    assert.equal((await refer(phones, alice, x)).status, 603);
    assert.equal(invitesToCarol(bob).length, 0);
  });

  it('answers an INVITE that replaces a video call (RFC 3891) without the camera: whoever knows the dialog may send it', async () => {
    const phones = await threePhones();
    const { alice, bob, carol, flush } = phones;
    const [, yAtCarol] = await connect(phones, alice, carol, 'carol', true);
    assert.equal(yAtCarol.media?.video, true);
    const { callId, localTag, remoteTag } = yAtCarol.dialog!;
    let replacing: Call | undefined;
    yAtCarol.events.on('replaced', (call) => (replacing = call));
    // Alice handed the dialog's identifiers to bob, who INVITEs carol with Replaces (no offer: carol makes it).
    bob.transport.send(
      `INVITE sip:carol@example.test SIP/2.0\r\nVia: SIP/2.0/WS gw.invalid;branch=z9hG4bKrv1\r\nMax-Forwards: 70\r\n` +
        `From: <sip:bob@example.test>;tag=rv1\r\nTo: <sip:carol@example.test>\r\nCall-ID: rv1\r\nCSeq: 1 INVITE\r\n` +
        `Contact: <sip:bob@gw.invalid;transport=ws>\r\nReplaces: ${callId};to-tag=${localTag};from-tag=${remoteTag}\r\nContent-Length: 0\r\n\r\n`,
    );
    await flush();
    assert.equal(replacing?.state, 'connected');
    assert.equal(replacing.media?.video, false, 'the camera stays off until carol turns it on');
  });
});
