// Issue 15 item 4: a peer cannot make the user agent parse (or hold) an unbounded message. Too
// large a message, or too many header lines, is refused before parsing, reported as a bad message,
// not answered, and the connection keeps serving.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SipParseError } from '../message/sip-parse-error';
import { DEFAULT_MESSAGE_LIMITS, exceededLimit } from '../transport/message-limits';
import { setup } from './user-agent.fixtures';

function options(id: string, extra = '', body = ''): string {
  return (
    `OPTIONS sip:alice@a1b2.invalid SIP/2.0\r\nVia: SIP/2.0/WSS proxy.example;branch=z9hG4bK${id}\r\n` +
    `From: <sip:bob@example.test>;tag=b1\r\nTo: <sip:alice@example.test>\r\nCall-ID: ${id}\r\nCSeq: 1 OPTIONS\r\n` +
    `${extra}Content-Length: ${new TextEncoder().encode(body).length}\r\n\r\n${body}`
  );
}

function watch(t: ReturnType<typeof setup>) {
  const bad: Array<{ error: Error; answered: boolean }> = [];
  t.ua.events.on('bad-message', (info) => bad.push(info));
  return bad;
}

describe('message limits (issue 15: no maximum message size anywhere)', () => {
  it('refuses a message over 64 KiB unanswered, reports it, and keeps serving on the same connection', async () => {
    const t = setup();
    const bad = watch(t);
    await t.ua.start();
    const flow = t.ua.core.transport.flowId;
    t.inject(options('big', '', 'x'.repeat(DEFAULT_MESSAGE_LIMITS.maxMessageBytes)));
    await t.flush();
    assert.equal(bad.length, 1);
    assert.ok(bad[0]!.error instanceof SipParseError);
    assert.equal((bad[0]!.error as SipParseError).status, 513);
    assert.match(bad[0]!.error.message, /more than 65536 bytes/);
    assert.equal(bad[0]!.answered, false);
    assert.deepEqual(t.responses(), [], 'nothing sent back');
    t.inject(options('after'));
    await t.flush();
    assert.deepEqual(
      t.responses().map((r) => r.status),
      [200],
      'still serving',
    );
    assert.equal(t.ua.core.transport.flowId, flow, 'the same connection');
  });

  it('counts octets, not UTF-16 code units: 30,000 three-octet characters are over 64 KiB', async () => {
    const t = setup();
    const bad = watch(t);
    await t.ua.start();
    t.inject(options('utf8', 'Content-Type: text/plain\r\n', '€'.repeat(30_000)));
    await t.flush();
    assert.equal(bad.length, 1);
    assert.match(bad[0]!.error.message, /more than 65536 bytes/);
  });

  it("refuses a message with more than 256 header lines (compact v: lines, the issue's case)", async () => {
    const t = setup();
    const bad = watch(t);
    await t.ua.start();
    t.inject(options('many', 'v: SIP/2.0/WS a.invalid;branch=z9hG4bK2\r\n'.repeat(300)));
    await t.flush();
    assert.equal(bad.length, 1);
    assert.match(bad[0]!.error.message, /more than 256 header lines/);
    assert.deepEqual(t.responses(), []);
    // 250 extra lines are within the limit and answered.
    t.inject(options('fewer', 'v: SIP/2.0/WS a.invalid;branch=z9hG4bK2\r\n'.repeat(240)));
    await t.flush();
    assert.deepEqual(
      t.responses().map((r) => r.status),
      [200],
    );
  });

  it('takes limits from the options', async () => {
    const t = setup({ limits: { maxMessageBytes: 400, maxHeaderLines: 8 } });
    const bad = watch(t);
    await t.ua.start();
    t.inject(options('a', '', 'y'.repeat(200)));
    t.inject(options('b', 'Subject: 1\r\nSubject: 2\r\nSubject: 3\r\n'));
    t.inject(options('c'));
    await t.flush();
    assert.deepEqual(
      bad.map((b) => b.error.message.replace(/ \(.*/, '')),
      ['a message of more than 400 bytes', 'a message with more than 8 header lines is refused'],
    );
    assert.deepEqual(
      t.responses().map((r) => r.callId),
      ['c'],
    );
  });

  it('counts the lines of the header section only, folded lines included, and stops at the empty line', () => {
    const limits = { maxMessageBytes: 1000, maxHeaderLines: 2 };
    assert.equal(
      exceededLimit('OPTIONS x SIP/2.0\r\nA: 1\r\nB: 2\r\n\r\nbody\r\nmore\r\nlines\r\n', limits),
      undefined,
    );
    assert.equal(exceededLimit('OPTIONS x SIP/2.0\nA: 1\nB: 2\n\nbody\nmore\n', limits), undefined);
    assert.match(
      exceededLimit('OPTIONS x SIP/2.0\r\nA: 1\r\n 2\r\nB: 2\r\n\r\n', limits) ?? '',
      /more than 2 header lines/,
    );
    assert.equal(
      exceededLimit('OPTIONS x SIP/2.0\r\nA: 1\r\nB: 2', limits),
      undefined,
      'no empty line: the frame ends the message',
    );
  });
});

// Issue 15 item 7: a stranger's HTML reached the page as a message unless the page filtered it.
describe('MESSAGE body types (RFC 3428 §7, RFC 3261 §21.4.13)', () => {
  const html = (id: string) =>
    options(id, 'Content-Type: text/html\r\n', '<img src=x onerror=alert(1)>').replaceAll('OPTIONS', 'MESSAGE');

  it('refuses text/html with 415 and Accept: text/plain unless the page opted in', async () => {
    const t = setup();
    const shown: string[] = [];
    t.ua.events.on('message', ({ contentType }) => shown.push(contentType));
    await t.ua.start();
    t.inject(html('h1'));
    t.inject(options('p1', 'Content-Type: text/plain;charset=utf-8\r\n', 'hi').replaceAll('OPTIONS', 'MESSAGE'));
    await t.flush();
    const [refused, accepted] = t.responses();
    assert.equal(refused!.status, 415);
    assert.equal(refused!.header('Accept'), 'text/plain');
    assert.equal(accepted!.status, 200);
    assert.deepEqual(shown, ['text/plain']);
  });

  it('accepts text/html with acceptHtmlMessages, and still refuses other types listing both', async () => {
    const t = setup({ acceptHtmlMessages: true });
    const shown: string[] = [];
    t.ua.events.on('message', ({ contentType }) => shown.push(contentType));
    await t.ua.start();
    t.inject(html('h2'));
    t.inject(options('x2', 'Content-Type: application/x-bogus\r\n', 'x').replaceAll('OPTIONS', 'MESSAGE'));
    await t.flush();
    const [accepted, refused] = t.responses();
    assert.equal(accepted!.status, 200);
    assert.equal(refused!.status, 415);
    assert.match(refused!.toString(), /\r\nAccept: text\/plain, text\/html\r\n/);
    assert.deepEqual(shown, ['text/html']);
  });
});
