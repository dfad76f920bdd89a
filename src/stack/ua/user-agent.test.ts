import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { responseTo } from '../transaction/requests';
import { RequestFailedError } from './request-failed-error';
import { setup } from './user-agent.fixtures';

/** A request from the server end; `id` sets both Call-ID and branch, so each is a new transaction. */
function incoming(
  method: string,
  extra = '',
  body = '',
  uri = 'sip:alice@a1b2.invalid;transport=ws',
  id = 'in-1',
): string {
  const bytes = new TextEncoder().encode(body).length;
  return (
    `${method} ${uri} SIP/2.0\r\n` +
    `Via: SIP/2.0/WSS proxy.example;branch=z9hG4bK${id}\r\n` +
    'Max-Forwards: 69\r\n' +
    'From: "Bob" <sip:bob@example.test>;tag=b1\r\n' +
    'To: <sip:alice@example.test>\r\n' +
    `Call-ID: ${id}\r\n` +
    `CSeq: 1 ${method}\r\n` +
    extra +
    `Content-Length: ${bytes}\r\n\r\n${body}`
  );
}

describe('MESSAGE (RFC 3428)', () => {
  it('sends a MESSAGE with a UTF-8 body and resolves on the 200', async () => {
    const t = setup();
    t.serve((request) => responseTo(request, 200, undefined, 'srv'));
    await t.ua.start();
    const sent = t.ua.sendMessage('bob', 'héllo 👋');
    await t.flush();
    assert.equal((await sent).status, 200);
    const [message] = t.requests('MESSAGE');
    assert.equal(message!.uri.toString(), 'sip:bob@example.test');
    assert.equal(message!.body, 'héllo 👋');
    // h é(2) l l o space 👋(4): 11 octets, where UTF-16 would count 8 code units.
    assert.equal(message!.header('Content-Length'), '11', 'octets, not UTF-16 code units');
    assert.equal(message!.from.displayName, 'Alice');
  });

  it('rejects with the final status when the MESSAGE fails', async () => {
    const t = setup();
    t.serve((request) => responseTo(request, 404, 'Not Found', 'srv'));
    await t.ua.start();
    const sent = assert.rejects(
      t.ua.sendMessage('sip:nobody@example.test', 'hi'),
      (error: unknown) => error instanceof RequestFailedError && error.status === 404,
    );
    await t.flush();
    await sent;
  });

  it('queues a MESSAGE while disconnected and delivers it after the reconnect', async () => {
    const t = setup();
    t.serve((request) => responseTo(request, 200, undefined, 'srv'));
    await t.ua.start();
    t.pair.sever('wifi off');
    await t.flush();
    const sent = t.ua.sendMessage('bob', 'while offline');
    await t.flush();
    assert.equal(t.requests('MESSAGE').length, 0);
    t.pair.restore();
    await t.flush();
    assert.equal((await sent).status, 200);
    assert.equal(t.requests('MESSAGE')[0]?.body, 'while offline');
  });

  it('fails a queued MESSAGE with a reason when the connection does not come back in time', async () => {
    const t = setup({ messageQueueTimeoutMs: 5000 });
    await t.ua.start();
    t.pair.sever('server gone');
    await t.flush();
    const sent = t.ua.sendMessage('bob', 'lost?');
    const outcome = assert.rejects(
      sent,
      (error: unknown) =>
        error instanceof RequestFailedError && error.status === 503 && /within 5000 ms/.test(error.message),
    );
    t.clock.advance(5000);
    await t.flush();
    await outcome;
  });

  it('answers an incoming MESSAGE with 200 and reports it; an unknown body type gets 415 with Accept', async () => {
    const t = setup();
    const messages: string[] = [];
    t.ua.events.on('message', (m) => messages.push(`${m.from.displayName}: ${m.body}`));
    await t.ua.start();
    t.inject(incoming('MESSAGE', 'Content-Type: text/plain;charset=utf-8\r\n', 'grüß dich'));
    t.inject(incoming('MESSAGE', 'Content-Type: application/octet-stream\r\n', 'xx', undefined, 'in-2'));
    await t.flush();
    assert.deepEqual(messages, ['Bob: grüß dich']);
    const [ok, unsupported] = t.responses();
    assert.equal(ok!.status, 200);
    assert.ok(ok!.to.tag, 'a To tag on the final response (§8.2.6.2)');
    assert.equal(unsupported!.status, 415);
    assert.equal(unsupported!.header('Accept'), 'text/plain');
  });
});

describe('MESSAGE resends (RFC 3428 §7, RFC 3261 §8.2.2.2)', () => {
  it('shows a resend (same Call-ID, From tag and CSeq, new branch) once, remembering the last 200 MESSAGEs for two minutes', async () => {
    const t = setup();
    const shown: string[] = [];
    t.ua.events.on('message', (m) => shown.push(m.request.callId));
    await t.ua.start();
    let branch = 0;
    /** The MESSAGE `id` again on a new branch: a new transaction, the same request. */
    const send = (id: string) =>
      t.inject(
        incoming('MESSAGE', 'Content-Type: text/plain\r\n', 'hi', undefined, id).replace(
          `branch=z9hG4bK${id}`,
          `branch=z9hG4bK${id}-${branch++}`,
        ),
      );
    send('m-0');
    send('m-0');
    await t.flush();
    assert.deepEqual(shown, ['m-0'], 'a resend is shown once');
    for (let i = 1; i <= 200; i++) send(`m-${i}`);
    await t.flush();
    assert.equal(shown.length, 201);
    send('m-0'); // the oldest of 201: no longer remembered
    send('m-200'); // the newest: still remembered
    await t.flush();
    assert.deepEqual(shown.slice(201), ['m-0']);
    t.clock.advance(120_001);
    send('m-200'); // two minutes on: forgotten
    await t.flush();
    assert.deepEqual(shown.slice(202), ['m-200']);
    assert.equal(t.responses().filter((r) => r.status === 200).length, 205, 'every one is answered 200');
  });
});

describe('UAS behaviour (RFC 3261 §8.2, §11)', () => {
  it('answers OPTIONS with Allow, Accept and Supported', async () => {
    const t = setup();
    await t.ua.start();
    t.inject(incoming('OPTIONS'));
    await t.flush();
    const [ok] = t.responses();
    assert.equal(ok!.status, 200);
    assert.ok(ok!.headers('Allow').includes('INVITE'));
    assert.ok(ok!.headers('Accept').includes('application/sdp'));
    assert.deepEqual(ok!.headers('Supported'), [
      'outbound',
      'gruu',
      'replaces',
      '100rel',
      'timer',
      'answermode',
      'privanswermode',
    ]);
  });

  it('gives 501 for an unknown method, 405 with Allow for a known one it lacks, 420 for an unsupported Require, 416 for a tel: Request-URI', async () => {
    const t = setup();
    await t.ua.start();
    t.inject(incoming('FROBNICATE', '', '', undefined, 'a'));
    t.inject(incoming('PUBLISH', 'Event: presence\r\n', '', undefined, 'b'));
    t.inject(incoming('OPTIONS', 'Require: 100rel, foo\r\n', '', undefined, 'c'));
    t.inject(incoming('OPTIONS', '', '', 'tel:+15551234', 'd'));
    await t.flush();
    const byCall = new Map(t.responses().map((r) => [r.callId, r]));
    assert.equal(byCall.get('a')!.status, 501);
    assert.equal(byCall.get('b')!.status, 405);
    assert.ok(byCall.get('b')!.headers('Allow').includes('MESSAGE'));
    assert.equal(byCall.get('c')!.status, 420);
    // 100rel is ours (RFC 3262): only the tag we lack is listed.
    assert.deepEqual(byCall.get('c')!.headers('Unsupported'), ['foo']);
    assert.equal(byCall.get('d')!.status, 416);
  });

  it('answers 481 to a BYE for a dialog it does not have', async () => {
    const t = setup();
    await t.ua.start();
    t.inject(incoming('BYE').replace('To: <sip:alice@example.test>', 'To: <sip:alice@example.test>;tag=gone'));
    await t.flush();
    assert.equal(t.responses()[0]?.status, 481);
  });

  it('answers a malformed request with 400 when it can, reports every bad message, and keeps working', async () => {
    const t = setup();
    const bad: Array<{ message: string; answered: boolean }> = [];
    t.ua.events.on('bad-message', ({ error, answered }) => bad.push({ message: error.message, answered }));
    await t.ua.start();
    t.inject(
      incoming('MESSAGE', 'Content-Type: text/plain\r\n', 'hi').replace('Content-Length: 2', 'Content-Length: 9999'),
    );
    t.inject('complete garbage\r\n\r\n');
    t.inject(
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/WS elsewhere.invalid;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n',
    );
    await t.flush();
    assert.equal(bad.length, 3);
    assert.deepEqual(
      bad.map((b) => b.answered),
      [true, false, false],
    );
    assert.match(bad[0]!.message, /Content-Length/);
    const [answer] = t.responses();
    assert.equal(answer!.status, 400);
    assert.equal(answer!.callId, 'in-1');
    assert.ok(answer!.to.tag);
    t.inject(incoming('OPTIONS', '', '', undefined, 'after'));
    await t.flush();
    assert.equal(t.responses().at(-1)!.status, 200, 'still serving');
  });
});

describe('configuration', () => {
  it('refuses a display name with a line break when it is given, not at the first request (RFC 3261 §25.1)', () => {
    assert.throws(() => setup({ displayName: 'Bob\r\nX-Evil: 1' }), /display name cannot hold a line break/);
    assert.throws(() => setup({ displayName: 'Bob\n' }), /display name cannot hold a line break/);
    assert.equal(setup({ displayName: 'Bob "the builder" \\ é' }).ua.core.aor.user, 'alice');
  });
});

describe('start and stop', () => {
  it('refuses to start again once stopped, with a message saying what to do, and stays disconnected', async () => {
    const { ua, flush } = setup();
    await ua.start();
    await ua.stop();
    await assert.rejects(ua.start(), /stopped; create a new one/);
    await flush();
    assert.equal(ua.core.connected, false);
  });
});

describe('timeouts (RFC 3261 §8.1.3.1)', () => {
  it('rejects a MESSAGE nobody answers as 408 after Timer F', async () => {
    const t = setup();
    t.serve(() => undefined);
    await t.ua.start();
    const sent = assert.rejects(
      t.ua.sendMessage('bob', 'anyone?'),
      (error: unknown) =>
        error instanceof RequestFailedError &&
        error.status === 408 &&
        /no final response to MESSAGE/.test(error.message),
    );
    await t.flush();
    t.clock.advance(32_000);
    await t.flush();
    await sent;
  });
});
