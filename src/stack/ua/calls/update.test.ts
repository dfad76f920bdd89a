// UPDATE (RFC 3311) received in confirmed and early dialogs, with and without SDP, and the
// identity it may carry (P-Asserted-Identity, Remote-Party-ID), from a far end scripted by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeMediaSession } from '../media-session.fake';
import { sent, twoPhones } from './calls.fixtures';
import { callFarEnd } from './far-end.fixtures';

/** An SDP offer from a far end: its own fake media session's. */
const farOffer = (options: { hold?: boolean } = {}) => {
  const media = new FakeMediaSession({});
  if (options.hold) media.hold();
  return media.createOffer();
};

async function connected() {
  const far = await callFarEnd();
  await far.answer(far.invites()[0]!, 200, [['Allow', 'INVITE, ACK, BYE, UPDATE']]);
  assert.equal(far.call.state, 'connected');
  return far;
}

describe('UPDATE received (RFC 3311)', () => {
  it("without SDP: 200, and a new P-Asserted-Identity becomes the call's remote party (Asterisk's connected line)", async () => {
    const { call, request } = await connected();
    const parties: unknown[] = [];
    call.events.on('remote-identity', (party) => parties.push(party));
    const ok = await request('UPDATE', [['P-Asserted-Identity', '"Carol Jones" <sip:carol@example.test>']]);
    assert.equal(ok?.status, 200);
    assert.equal(ok.body, '');
    assert.deepEqual(call.remote, { uri: 'sip:carol@example.test', displayName: 'Carol Jones' });
    assert.deepEqual(parties, [{ uri: 'sip:carol@example.test', displayName: 'Carol Jones' }]);
    assert.equal(call.state, 'connected');
  });

  it('Remote-Party-ID in a re-INVITE does the same; one asking for privacy, or a non-SIP URI, does not', async () => {
    const { call, request } = await connected();
    await request('UPDATE', [['Remote-Party-ID', '<sip:dave@example.test>;party=calling;privacy=full']]);
    await request('UPDATE', [['P-Asserted-Identity', '<mailto:eve@example.test>']]);
    assert.deepEqual(call.remote, { uri: 'sip:bob@example.test', displayName: undefined });
    const ok = await request(
      'INVITE',
      [['Remote-Party-ID', '"Dave" <sip:dave@example.test>;party=calling;screen=yes']],
      await farOffer(),
    );
    assert.equal(ok?.status, 200);
    assert.deepEqual(call.remote, { uri: 'sip:dave@example.test', displayName: 'Dave' });
  });

  it('with SDP in a confirmed dialog: answered in the 200 (a hold offer puts us on remote hold)', async () => {
    const { call, request } = await connected();
    const ok = await request('UPDATE', [], await farOffer({ hold: true }));
    assert.equal(ok?.status, 200);
    assert.match(ok.body, /a=recvonly/);
    assert.equal(ok.contentType, 'application/sdp');
    assert.equal(call.remoteHold, true);
    assert.equal(call.state, 'held');
  });

  it('an offer while our re-INVITE is outstanding: 491 (glare, RFC 3311 §5.2)', async () => {
    const { call, request, far, flush } = await connected();
    const hold = call.hold();
    await flush();
    assert.ok(
      far.some((r) => r.method === 'INVITE' && r.to.tag),
      'our re-INVITE is out, unanswered',
    );
    const glare = await request('UPDATE', [], await farOffer());
    assert.equal(glare?.status, 491);
    void hold.catch(() => undefined);
  });

  it('with an unsupported body: 415 with Accept', async () => {
    const { request } = await connected();
    const refused = await request('UPDATE', [], 'hello', 'text/plain');
    assert.equal(refused?.status, 415);
    assert.equal(refused.header('Accept'), 'application/sdp');
  });
});

describe('UPDATE in an early dialog', () => {
  it('while the INVITE we received is unanswered: an offer gets 500 with Retry-After 0-10 s; no offer gets 200', async () => {
    const { alice, bob, pair, flush } = await twoPhones();
    alice.ua.call('bob');
    await flush();
    const ringing = sent(pair.b, 'SIP/2.0 180')[0]!;
    const invite = sent(pair.a, 'INVITE')[0]!;
    const header = (text: string, name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(text)![1]!;
    let seq = 10;
    const update = async (sdp: string) => {
      const lines = [
        `UPDATE ${/^Contact: <([^>]+)>/m.exec(ringing)![1]} SIP/2.0`,
        `Via: SIP/2.0/WSS x.invalid;branch=z9hG4bKearly${sdp.length}`,
        `From: ${header(invite, 'From')}`,
        `To: ${header(ringing, 'To')}`,
        `Call-ID: ${header(invite, 'Call-ID')}`,
        `CSeq: ${++seq} UPDATE`,
        'Contact: <sip:alice@x.invalid>',
        ...(sdp ? ['Content-Type: application/sdp'] : []),
        `Content-Length: ${new TextEncoder().encode(sdp).length}`,
      ];
      pair.a.send(`${lines.join('\r\n')}\r\n\r\n${sdp}`);
      await flush();
      return sent(pair.b, 'SIP/2.0').at(-1)!;
    };
    const offered = await update(await farOffer());
    assert.match(offered, /^SIP\/2.0 500/);
    const retryAfter = Number(/^Retry-After: (\d+)/m.exec(offered)?.[1]);
    assert.ok(retryAfter >= 0 && retryAfter <= 10, offered);
    assert.match(await update(''), /^SIP\/2.0 200/);
    assert.equal(bob.incoming[0]!.state, 'incoming');
  });

  it('as the caller, while ringing: an UPDATE without SDP gets 200 and may name the party (connected line); an offer before a reliable answer gets 491; other requests find no dialog (481)', async () => {
    const { call, request, answer, invites } = await callFarEnd();
    await answer(invites()[0]!, 180, []);
    assert.equal(call.state, 'ringing');
    const ok = await request('UPDATE', [['P-Asserted-Identity', '"Carol" <sip:carol@example.test>']]);
    assert.equal(ok?.status, 200);
    assert.deepEqual(call.remote, { uri: 'sip:carol@example.test', displayName: 'Carol' });
    assert.equal((await request('UPDATE', [], await farOffer()))?.status, 491);
    assert.equal((await request('INFO'))?.status, 481);
    assert.equal((await request('BYE'))?.status, 481, 'RFC 3261 §15: the callee sends no BYE in an early dialog');
    assert.equal(call.state, 'ringing');
  });
});
