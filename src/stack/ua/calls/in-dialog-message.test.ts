import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../message/parser';
import type { SipResponse } from '../../message/message';
import { MAX_MESSAGE_BODY } from '../message-policy';
import type { CallMessage } from './in-dialog-message';
import { MAX_MESSAGES_PER_WINDOW, MESSAGE_WINDOW_MS } from './in-dialog-message';
import { sent, twoPhones } from './calls.fixtures';

/** alice calls bob, bob answers: both ends of a connected call, and what each received as MESSAGE. */
async function connected(uaOptions = {}) {
  const phones = await twoPhones({}, uaOptions);
  const { alice, bob, flush } = phones;
  const call = alice.ua.call('bob');
  await flush();
  const incoming = bob.incoming[0]!;
  await incoming.answer();
  await flush();
  const atBob: CallMessage[] = [];
  const atAlice: CallMessage[] = [];
  incoming.events.on('message', (message) => atBob.push(message));
  call.events.on('message', (message) => atAlice.push(message));
  return { ...phones, call, incoming, atBob, atAlice };
}

/** The status of the last response bob sent to a MESSAGE. */
function lastMessageStatus(transport: { sent: string[] }): SipResponse {
  const answers = transport.sent.filter((text) => text.startsWith('SIP/2.0') && / MESSAGE\r\n/.test(text));
  return parseMessage(answers.at(-1)!) as SipResponse;
}

describe('MESSAGE inside a call (RFC 3428 §4)', () => {
  it("is sent in the dialog both ways, delivered as the call's message event, and resolves with the 200", async () => {
    const { call, incoming, atBob, atAlice, pair, flush } = await connected();
    const sending = call.sendMessage('hello in the call');
    await flush();
    assert.equal((await sending).status, 200);
    assert.deepEqual(atBob, [{ body: 'hello in the call', contentType: 'text/plain' }]);
    const [message] = sent(pair.a, 'MESSAGE');
    const request = parseMessage(message!);
    assert.ok('method' in request);
    assert.equal(request.callId, call.dialog!.callId, 'in the dialog: its Call-ID');
    assert.equal(request.to.tag, call.dialog!.remoteTag, 'and its tags');
    const reply = incoming.sendMessage('and back');
    await flush();
    assert.equal((await reply).status, 200);
    assert.deepEqual(atAlice, [{ body: 'and back', contentType: 'text/plain' }]);
  });

  it('answers 415 with Accept to text/html unless HTML messages are accepted, as out of a dialog', async () => {
    const plain = await connected();
    const refused = assert.rejects(plain.call.sendMessage('<b>hi</b>', 'text/html'), { status: 415 });
    await plain.flush();
    await refused;
    assert.equal(lastMessageStatus(plain.pair.b).header('Accept'), 'text/plain');
    assert.deepEqual(plain.atBob, []);
    const html = await connected({ acceptHtmlMessages: true });
    const accepted = html.call.sendMessage('<b>hi</b>', 'text/html;charset=utf-8');
    await html.flush();
    assert.equal((await accepted).status, 200);
    assert.deepEqual(html.atBob, [{ body: '<b>hi</b>', contentType: 'text/html' }]);
  });

  it('refuses other types with 415 and a body over the limit with 413', async () => {
    const { call, atBob, flush } = await connected();
    const json = assert.rejects(call.sendMessage('{}', 'application/json'), { status: 415 });
    await flush();
    await json;
    const big = assert.rejects(call.sendMessage('x'.repeat(MAX_MESSAGE_BODY + 1)), { status: 413 });
    await flush();
    await big;
    const justFits = call.sendMessage('x'.repeat(MAX_MESSAGE_BODY));
    await flush();
    assert.equal((await justFits).status, 200);
    assert.equal(atBob.length, 1);
  });

  it(`takes at most ${MAX_MESSAGES_PER_WINDOW} per ${MESSAGE_WINDOW_MS / 1000} s from a call; more get 503 with Retry-After until the window has room`, async () => {
    const { call, atBob, pair, clock, flush } = await connected();
    const statuses: number[] = [];
    for (let i = 0; i <= MAX_MESSAGES_PER_WINDOW; i++) {
      const sending = call.sendMessage(`m${i}`).then(
        (r) => r.status,
        (e: { status: number }) => e.status,
      );
      await flush();
      statuses.push(await sending);
      clock.advance(100);
    }
    assert.deepEqual(statuses, [...Array(MAX_MESSAGES_PER_WINDOW).fill(200), 503]);
    assert.equal(atBob.length, MAX_MESSAGES_PER_WINDOW);
    assert.equal(lastMessageStatus(pair.b).header('Retry-After'), '9');
    clock.advance(MESSAGE_WINDOW_MS);
    const later = call.sendMessage('later');
    await flush();
    assert.equal((await later).status, 200);
    assert.equal(atBob.at(-1)!.body, 'later');
  });

  it('cannot be sent before the call is established', async () => {
    const { alice, flush } = await twoPhones();
    const call = alice.ua.call('bob');
    await flush();
    await assert.rejects(call.sendMessage('too early'), { name: 'StateError' });
  });
});
