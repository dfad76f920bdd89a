// The robustness proof: malformed frames (garbage, truncated messages, a huge frame,
// binary junk, a request missing Call-ID, a response to nowhere, random mutations of real
// messages) and connections dropped at every stage, after which the same server still registers
// and relays. Everything crosses real WebSockets (and raw TCP) on 127.0.0.1.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Logger } from '../../src/stack/core/logger';
import { isRequest } from '../../src/stack/message/message';
import { startDevSipServer } from './dev-sip-server';
import type { DevSipServer } from './dev-sip-server';
import { TestPhone, newBranch } from './sip-test-client';

/** A Logger that keeps warnings, to show that what is dropped is also logged. */
function recordingLogger(): Logger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  const ignore = () => {};
  return {
    warnings,
    errors,
    debug: ignore,
    info: ignore,
    warn: (m: string) => warnings.push(m),
    error: (m: string) => errors.push(m),
  };
}

/** Opens a TCP connection and resolves when it is connected. */
function tcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function handshake(port: number, protocol = 'sip'): string {
  return [
    'GET / HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Protocol: ${protocol}`,
    '',
    '',
  ].join('\r\n');
}

describe('dev SIP server: robustness', () => {
  let server: DevSipServer;
  const logger = recordingLogger();
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  const phones: TestPhone[] = [];
  const phone = async (user: string) => {
    const p = await TestPhone.connect(server.url, user, server.domain);
    phones.push(p);
    return p;
  };
  /** Proves a connection still works: OPTIONS to the server gets its 200 (frames are handled in order). */
  const stillServes = async (p: TestPhone) =>
    assert.equal((await p.client.request(p.build('OPTIONS', `sip:${server.domain}`))).status, 200);

  before(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    server = await startDevSipServer({ port: 0, logger, maxMessageBytes: 64 * 1024, maxFrameBytes: 512 * 1024 });
  });
  after(async () => {
    for (const p of phones) p.client.close();
    await server.stop();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });

  it('drops garbage, binary junk, and a response to nowhere, logs them, and keeps the connection', async () => {
    const probe = await phone('probe');
    const warningsBefore = logger.warnings.length;
    probe.client.send('hello, is this SIP?');
    probe.client.send(new Uint8Array([0, 1, 2, 0xff, 0xfe, 0x80, 0x0d, 0x0a, 0x0d, 0x0a, 0x7f]), true);
    probe.client.send('\0\0\0\r\n\r\n\0');
    probe.client.send(
      `SIP/2.0 200 OK\r\nVia: SIP/2.0/WS 127.0.0.1:${server.port};branch=${newBranch()}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: nowhere\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`,
    );
    probe.client.send('SIP/2.0 999 Nonsense\r\n\r\n');
    await stillServes(probe);
    assert.deepEqual(probe.client.unclaimed, [], 'nothing was answered');
    assert.ok(
      logger.warnings.length >= warningsBefore + 4,
      `drops are logged: ${logger.warnings.slice(warningsBefore).join(' | ')}`,
    );
  });

  it('answers 400 to a request missing Call-ID and to a truncated one, copying what identifies the transaction', async () => {
    const probe = await phone('probe');
    const branch = newBranch();
    probe.client.send(
      `MESSAGE sip:bob@${server.domain} SIP/2.0\r\nVia: SIP/2.0/WS ${probe.client.host};branch=${branch}\r\nMax-Forwards: 70\r\n` +
        `f: <sip:probe@${server.domain}>;tag=77\r\nTo: <sip:bob@${server.domain}>\r\nCSeq: 7 MESSAGE\r\nContent-Length: 0\r\n\r\n`,
    );
    // The answer has no Call-ID either (there was none to copy), so a strict parser refuses it: read it as text.
    const noCallId = await probe.client.nextOtherFrame();
    assert.match(noCallId, /^SIP\/2\.0 400 Bad Request\r\n/);
    assert.match(noCallId, new RegExp(`\\r\\nVia: SIP/2\\.0/WS ${probe.client.host};branch=${branch}\\b`));
    assert.match(noCallId, /\r\nCSeq: 7 MESSAGE\r\n/);
    assert.match(noCallId, /\r\nFrom: <sip:probe@[^>]+>;tag=77\r\n/, 'From copied, its compact form read');
    assert.match(noCallId, /\r\nTo: <sip:bob@[^>]+>;tag=\w+\r\n/, 'a To tag added (§8.2.6.2)');
    assert.match(noCallId, /\r\nWarning: 399 127\.0\.0\.1:\d+ ".*Call-ID.*"\r\n/);
    assert.doesNotMatch(noCallId, /Call-ID:/i);

    const truncated = probe.build('MESSAGE', `sip:bob@${server.domain}`, { body: 'this body is cut short' });
    probe.client.send(truncated.toString().slice(0, -10));
    const cut = await probe.client.receive(
      (m) => !isRequest(m) && m.branch === truncated.branch,
      'the 400 for a truncated request',
    );
    assert.ok(!isRequest(cut) && cut.status === 400 && cut.callId === truncated.callId);

    const badCseq = probe
      .build('OPTIONS', `sip:${server.domain}`)
      .toString()
      .replace(/CSeq: \d+ OPTIONS/, 'CSeq: many OPTIONS');
    probe.client.send(badCseq);
    const cseqAnswer = await probe.client.nextOtherFrame();
    assert.match(cseqAnswer, /^SIP\/2\.0 400 Bad Request\r\n/);
    assert.match(cseqAnswer, /\r\nCSeq: many OPTIONS\r\n/, 'copied as text, not parsed');
    const versioned = probe.build('OPTIONS', `sip:${server.domain}`);
    versioned.version = 'SIP/3.0';
    assert.equal((await probe.client.request(versioned)).status, 505, 'a version the server does not speak (§8.2.2.1)');
    await stillServes(probe);
  });

  it('answers 513 to a message over the size limit, closes the connection of a frame over the frame limit, and only that one', async () => {
    const probe = await phone('probe');
    const big = probe.build('MESSAGE', `sip:bob@${server.domain}`, { body: 'x'.repeat(100 * 1024) });
    const tooLarge = await probe.client.request(big);
    assert.equal(tooLarge.status, 513);
    await stillServes(probe);

    const victim = await phone('victim');
    victim.client.send('y'.repeat(600 * 1024));
    assert.equal(await victim.client.closed, 1009, 'RFC 6455 §7.4.1: message too big');
    victim.client.socket.removeAllListeners();
    // Invalid UTF-8 in a text frame breaks the WebSocket protocol itself (RFC 6455 §8.1): that connection goes, too.
    const liar = await phone('liar');
    liar.client.socket.send(Buffer.from([0x49, 0x4e, 0xff, 0xfe]), { binary: false });
    assert.equal(await liar.client.closed, 1007);
    await stillServes(probe);
  });

  it('survives random frames: mutations of real requests and arbitrary text and bytes (property test)', async () => {
    const probe = await phone('probe');
    const seed = probe
      .build('INVITE', `sip:bob@${server.domain}`, {
        contact: `<${probe.contactUri}>`,
        body: 'v=0\r\n',
        contentType: 'application/sdp',
      })
      .toString();
    const mutation = fc
      .record({ at: fc.nat(seed.length), cut: fc.nat(40), insert: fc.string({ maxLength: 20 }) })
      .map(({ at, cut, insert }) => seed.slice(0, at) + insert + seed.slice(at + cut));
    const frames = fc.oneof(mutation, fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }));
    fc.assert(
      fc.property(frames, (frame) => {
        probe.client.send(frame, frame instanceof Uint8Array);
      }),
      { numRuns: 300, seed: 7 },
    );
    await stillServes(probe);
    assert.deepEqual(logger.errors, [], 'no handler threw');
  });

  it('shrugs off connections dropped at every stage: mid-handshake, mid-frame, mid-transaction', async () => {
    // TCP that never finishes the HTTP request, and a handshake without the "sip" subprotocol.
    const halfHttp = await tcp(server.port);
    halfHttp.write('GET / HTTP/1.1\r\nHost: 127.');
    halfHttp.destroy();
    const refused = await tcp(server.port);
    const refusal = new Promise<string>((resolve) => refused.once('data', (data) => resolve(String(data))));
    refused.write(handshake(server.port, 'xmpp'));
    assert.match(await refusal, /^HTTP\/1\.1 400/);
    refused.destroy();
    // A WebSocket whose first frame is cut off (header promises 125 bytes, 3 arrive), then a reset.
    const cut = await tcp(server.port);
    const upgraded = new Promise<void>((resolve) => cut.once('data', () => resolve()));
    cut.write(handshake(server.port));
    await upgraded;
    cut.write(Buffer.from([0x81, 0xfd, 1, 2, 3, 4, 0x41, 0x42, 0x43]));
    cut.resetAndDestroy();

    // A callee that dies with a MESSAGE in hand, and a caller that dies before the answer comes back.
    const bob = await phone('bob');
    assert.equal((await bob.register()).status, 200);
    const alice = await phone('alice');
    const orphaned = alice.client.request(
      alice.build('MESSAGE', `sip:bob@${server.domain}`, { body: 'are you there?' }),
    );
    await bob.client.receiveRequest('MESSAGE');
    bob.client.terminate();
    assert.equal((await orphaned).status, 480, 'the pending MESSAGE ends at once');

    const carol = await phone('carol');
    assert.equal((await carol.register()).status, 200);
    const ghost = await phone('ghost');
    ghost.client.send(ghost.build('MESSAGE', `sip:carol@${server.domain}`, { body: 'boo' }));
    const delivered = await carol.client.receiveRequest('MESSAGE');
    ghost.client.terminate();
    await ghost.client.closed;
    carol.answer(delivered, 200); // goes to a connection that is gone
    // Several clients vanish in the middle of registering.
    const quitters = await Promise.all([1, 2, 3].map((n) => phone(`quitter${n}`)));
    for (const quitter of quitters) {
      quitter.client.send(quitter.registerRequest(600));
      quitter.client.terminate();
    }
    await Promise.all(quitters.map((quitter) => quitter.client.closed));

    // The same server still registers and relays.
    const dave = await phone('dave');
    assert.equal((await dave.register()).status, 200);
    const hello = carol.client.request(carol.build('MESSAGE', `sip:dave@${server.domain}`, { body: 'still here' }));
    dave.answer(await dave.client.receiveRequest('MESSAGE'), 200);
    assert.equal((await hello).status, 200);
    assert.equal(
      (await carol.client.request(carol.build('MESSAGE', `sip:bob@${server.domain}`, { body: 'x' }))).status,
      480,
      "bob's binding went with his connection",
    );
    assert.deepEqual(crashes, [], 'no uncaught exception or unhandled rejection');
    assert.deepEqual(logger.errors, []);
  });
});
