import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SipRequest, SipResponse } from '../../message/message';
import { parseMessage } from '../../message/parser';
import { parseReplaces } from '../../message/replaces';
import { responseTo } from '../../transaction/requests';
import type { IncomingCall } from './incoming-call';
import type { ReferRequest } from './call-types';
import { sent, threePhones } from './calls.fixtures';

type Phones = Awaited<ReturnType<typeof threePhones>>;

/** `from` calls `to` and `to` answers: both call objects, connected. */
async function connect({ flush }: Phones, from: Phones['alice'], to: Phones['alice'], name: string) {
  const call = from.ua.call(name);
  await flush();
  const incoming = to.incoming.at(-1)!;
  const answering = incoming.answer();
  await flush();
  await answering;
  assert.equal(call.state, 'connected');
  return [call, incoming] as const;
}

/**
 * An INVITE to `user` (carol by default) from outside any dialog, with `headers`; the answer is in that phone's `sent`.
 */
function inviteFromGateway(phones: Phones, id: string, headers: string, user = 'carol'): void {
  phones.bob.transport.send(
    `INVITE sip:${user}@example.test SIP/2.0\r\nVia: SIP/2.0/WS gw.invalid;branch=z9hG4bK${id}\r\nMax-Forwards: 70\r\n` +
      `From: <sip:gw@example.test>;tag=g${id}\r\nTo: <sip:${user}@example.test>\r\nCall-ID: ${id}\r\nCSeq: 1 INVITE\r\n` +
      `Contact: <sip:gw@gw.invalid;transport=ws>\r\n${headers}Content-Length: 0\r\n\r\n`,
  );
}

/** The statuses (past 100 Trying) `phone` answered the request of Call-ID `id` with. */
const statusTo = (phone: Phones['alice'], id: string) =>
  phone.transport.sent
    .filter((text) => text.startsWith('SIP/2.0') && text.includes(`Call-ID: ${id}\r\n`))
    .map((text) => (parseMessage(text) as SipResponse).status)
    .filter((status) => status > 100);

describe('attended transfer (RFC 5589 §7, RFC 3891 Replaces)', () => {
  it('alice transfers bob to carol: bob INVITEs carol with Replaces, carol answers at once and BYEs alice, alice leaves', async () => {
    const phones = await threePhones();
    const { alice, bob, carol, flush } = phones;
    const [x, xAtBob] = await connect(phones, alice, bob, 'bob');
    const [y, yAtCarol] = await connect(phones, alice, carol, 'carol');
    const refers: ReferRequest[] = [];
    xAtBob.events.on('refer', (refer) => {
      refers.push(refer);
      refer.accept();
    });
    let replacing: IncomingCall | undefined;
    yAtCarol.events.on('replaced', (call) => (replacing = call));
    const transferring = x.transfer(y);
    await flush();
    await transferring;
    await flush();

    // The Refer-To names carol (her AOR: no GRUU here) and the dialog as carol sees it (RFC 3891 §3).
    const d = y.dialog!;
    const referTo = parseMessage(sent(alice.transport, 'REFER')[0]!).header('Refer-To');
    assert.equal(
      referTo,
      `<sip:carol@example.test?Replaces=${d.callId.replace('@', '%40')}%3Bto-tag%3D${d.remoteTag}%3Bfrom-tag%3D${d.localTag}>`,
    );
    assert.equal(refers[0]?.target, 'sip:carol@example.test');
    const invite = parseMessage(sent(bob.transport, 'INVITE').at(-1)!) as SipRequest;
    assert.equal(invite.uri.toString(), 'sip:carol@example.test');
    assert.deepEqual(parseReplaces(invite.header('Replaces')!), {
      callId: yAtCarol.dialog!.callId,
      toTag: yAtCarol.dialog!.localTag,
      fromTag: yAtCarol.dialog!.remoteTag,
      earlyOnly: false,
    });
    // RFC 3891 §4, §6.2: the INVITE requires the extension, so a target without it refuses (420)
    // rather than ringing as a new call.
    assert.deepEqual(invite.headers('Require'), ['replaces']);

    // Carol: no ringing, no incoming-call; the new call took the old one's place.
    assert.equal(carol.incoming.length, 1);
    assert.ok(replacing, "carol's old call announced its replacement");
    assert.equal(replacing.state, 'connected');
    assert.equal(replacing.remote.displayName, 'bob');
    assert.equal(statusTo(carol, invite.callId).join(), '200');
    assert.equal(yAtCarol.ended?.cause, 'replaced');
    assert.deepEqual(carol.ua.calls, [replacing]);

    // Alice: the consultation call ended by carol's BYE, the transferred one by the final NOTIFY.
    assert.equal(y.ended?.cause, 'remote-hangup');
    assert.equal(x.ended?.cause, 'transferred');
    assert.deepEqual(alice.ua.calls, []);
    // Bob: talks to carol now.
    assert.equal(xAtBob.ended?.cause, 'remote-hangup');
    assert.equal(bob.ua.calls.length, 1);
    assert.equal(bob.ua.calls[0]!.state, 'connected');
  });

  it('answers INVITEs with Allow and Supported: replaces (RFC 3261 §13.3.1.4), so the caller knows it may replace the dialog', async () => {
    const phones = await threePhones();
    const { alice, carol } = phones;
    await connect(phones, alice, carol, 'carol');
    const answers = [...sent(carol.transport, 'SIP/2.0 180'), ...sent(carol.transport, 'SIP/2.0 200')].map((text) =>
      parseMessage(text),
    );
    assert.equal(answers.length, 2);
    for (const answer of answers) {
      assert.ok(answer.headers('Supported').includes('replaces'), `Supported in ${answer.toString().split('\r\n')[0]}`);
      assert.ok(answer.headers('Allow').includes('REFER'));
    }
  });

  it('a target that lacks Replaces answers the INVITE 420 (Require: replaces): the transferor hears it by NOTIFY and keeps both calls', async () => {
    const phones = await threePhones();
    const { alice, bob, carol, flush } = phones;
    const [x, xAtBob] = await connect(phones, alice, bob, 'bob');
    const [y] = await connect(phones, alice, carol, 'carol');
    xAtBob.events.on('refer', (refer) => refer.accept());
    const progress: number[] = [];
    x.events.on('transfer-progress', ({ status }) => progress.push(status));
    // Carol's UA stands in for one that does not know the extension. Such a UA refuses an INVITE
    // that requires it with 420 (RFC 3261 §8.2.2.3), and ignores a Replaces it is not told to
    // require (§8.2.2: unknown header fields are ignored), so that INVITE reaches carol's UA
    // without it, as a new call.
    bob.transport.drop((text) => {
      const message = parseMessage(text);
      if (!('method' in message) || message.method !== 'INVITE' || !message.header('Replaces')) return false;
      if (!message.headers('Require').includes('replaces')) {
        message.removeHeader('Replaces');
        queueMicrotask(() => bob.transport.send(message.toString()));
        return true;
      }
      const refusal = responseTo(message, 420, 'Bad Extension', 'nr');
      refusal.setHeader('Unsupported', 'replaces');
      queueMicrotask(() => carol.transport.send(refusal.toString()));
      return true;
    });
    const transferring = x.transfer(y);
    await flush();
    await transferring;
    assert.equal(progress.at(-1), 420);
    assert.equal(carol.incoming.length, 1, 'no second call rings at carol');
    assert.equal(x.state, 'connected');
    assert.equal(y.state, 'connected');
  });

  it('refuses what it cannot replace: 481 for no dialog or an early one it did not start, 486 for early-only, 400 for two', async () => {
    const phones = await threePhones();
    const { carol, alice, flush } = phones;
    const [, yAtCarol] = await connect(phones, alice, carol, 'carol');
    const { callId, localTag, remoteTag } = yAtCarol.dialog!;
    inviteFromGateway(
      phones,
      'nomatch',
      `Require: replaces\r\nReplaces: ${callId};to-tag=${remoteTag};from-tag=${localTag}\r\n`,
    ); // tags swapped
    inviteFromGateway(
      phones,
      'earlyonly',
      `Replaces: ${callId};to-tag=${localTag};from-tag=${remoteTag};early-only\r\n`,
    );
    inviteFromGateway(
      phones,
      'twice',
      `Replaces: ${callId};to-tag=${localTag};from-tag=${remoteTag}\r\nReplaces: a;to-tag=b;from-tag=c\r\n`,
    );
    inviteFromGateway(phones, 'bad', `Replaces: ${callId};to-tag=${localTag}\r\n`);
    await flush();
    alice.ua.call('carol'); // ringing at carol: an early dialog carol did not start
    await flush();
    const ringing = carol.incoming[1]!.dialog!;
    inviteFromGateway(
      phones,
      'early',
      `Replaces: ${ringing.callId};to-tag=${ringing.localTag};from-tag=${ringing.remoteTag}\r\n`,
    );
    await flush();
    assert.deepEqual(statusTo(carol, 'nomatch'), [481]);
    assert.deepEqual(statusTo(carol, 'earlyonly'), [486]);
    assert.deepEqual(statusTo(carol, 'twice'), [400]);
    assert.deepEqual(statusTo(carol, 'bad'), [400]);
    assert.deepEqual(statusTo(carol, 'early'), [481]);
    assert.equal(carol.incoming.length, 2, 'none of them is offered to the user');
    assert.equal(yAtCarol.state, 'connected');
    assert.equal(carol.incoming[1]!.state, 'incoming');
  });

  it('replaces an early dialog it started by CANCELing it (RFC 3891 §3, §7.1)', async () => {
    const phones = await threePhones();
    const { alice, carol, flush } = phones;
    const calling = alice.ua.call('carol');
    await flush();
    assert.equal(calling.state, 'ringing');
    const { callId, localTag, remoteTag } = calling.dialog!;
    let replacing: IncomingCall | undefined;
    calling.events.on('replaced', (call) => (replacing = call));
    inviteFromGateway(
      phones,
      'pickup',
      `Replaces: ${callId};to-tag=${localTag};from-tag=${remoteTag};early-only\r\n`,
      'alice',
    );
    await flush();
    assert.deepEqual(statusTo(alice, 'pickup'), [200]);
    assert.equal(calling.ended?.cause, 'replaced');
    assert.equal(sent(alice.transport, 'CANCEL').length, 1);
    assert.equal(replacing?.state, 'connected');
    assert.equal(alice.incoming.length, 0);
    assert.equal(carol.incoming[0]!.ended?.cause, 'remote-canceled');
  });

  it('copies only Replaces from the Refer-To URI into the INVITE, and refuses a malformed Replaces with 400', async () => {
    const phones = await threePhones();
    const { alice, bob, flush } = phones;
    const [x, xAtBob] = await connect(phones, alice, bob, 'bob');
    const targets: string[] = [];
    xAtBob.events.on('refer', (refer) => {
      targets.push(refer.target);
      refer.accept();
    });
    const refer = async (referTo: string) => {
      const request = x.dialog!.createRequest('REFER');
      request.setHeader('Refer-To', referTo);
      const sending = alice.ua.core.send(request, { nextSeq: () => x.dialog!.nextSeq() });
      await flush();
      return (await sending).response.status;
    };
    const evil =
      '<sip:carol@example.test?Call-ID=evil%40x&Via=SIP%2F2.0%2FWS%20evil.invalid&Route=%3Csip%3Aevil.invalid%3E&From=%3Csip%3Amallory%40evil%3E&CSeq=9%20BYE>';
    assert.equal(await refer(evil), 202);
    assert.deepEqual(targets, ['sip:carol@example.test']);
    const invite = parseMessage(sent(bob.transport, 'INVITE').at(-1)!) as SipRequest;
    assert.equal(invite.uri.toString(), 'sip:carol@example.test');
    assert.notEqual(invite.callId, 'evil@x');
    assert.equal(invite.via.length, 1);
    assert.equal(invite.headers('Route').length, 0);
    assert.equal(invite.from.uri.toString(), 'sip:bob@example.test');
    assert.equal(invite.cseq.method, 'INVITE');
    assert.equal(invite.header('Replaces'), undefined);
    assert.deepEqual(invite.headers('Require'), [], 'a blind transfer requires nothing');

    assert.equal(await refer('<sip:carol@example.test?Replaces=abc%3Bto-tag%3Dx>'), 400);
    assert.equal(targets.length, 1, 'a malformed Replaces is not offered');
  });
});
