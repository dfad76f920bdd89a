// Issue 8: a stream of malformed and fuzzed SIP sent to a registered phone in a real browser. The
// peer is a raw WebSocket server in this test (a proxy such as Kamailio would drop such messages
// before they reach a phone). The phone answers 400 wherever a response is possible, reports every
// bad message, and afterwards still registers, calls and takes messages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser, PUPPETEER_BROWSERS, wantedBrowsers } from '../../tools/browsers.mjs';
import { startDemoServer } from '../../tools/demo-server/demo-server.mjs';
import { parseMessage } from '../../src/stack/message/parser';
import { isRequest, type SipRequest } from '../../src/stack/message/message';
import { responseTo } from '../../src/stack/transaction/requests';

const DOMAIN = 'fuzz.test';

/** A valid MESSAGE to the phone; `n` makes its transaction unique. */
function message(n: number, body = 'hello'): string {
  return (
    `MESSAGE sip:alice@${DOMAIN} SIP/2.0\r\nVia: SIP/2.0/WS peer.invalid;branch=z9hG4bKfuzz${n}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:peer@${DOMAIN}>;tag=p${n}\r\nTo: <sip:alice@${DOMAIN}>\r\nCall-ID: fuzz-${n}\r\nCSeq: 1 MESSAGE\r\n` +
    `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/** Hand-made breakage: each keeps Via, From, To, Call-ID and CSeq, so each can be answered with 400. */
const ANSWERABLE = [
  (n: number) => message(n).replace(/Content-Length: \d+/, 'Content-Length: 9999'),
  (n: number) => message(n).replace('Max-Forwards: 70', 'Max-Forwards: lots'),
  (n: number) => message(n).replace(`To: <sip:alice@${DOMAIN}>`, 'To: <sip:alice@[::1>'),
  (n: number) => message(n).replace('CSeq: 1 MESSAGE', 'CSeq: one MESSAGE'),
  (n: number) => message(n).replace('Via: SIP/2.0/WS', 'Via: SIP/2.0/WS peer.invalid;branch=z9hG4bKx, SIP/2.0/'),
];
/** Not answerable: no request line to answer, or the fields a response copies are gone. */
const UNANSWERABLE = ['', '\x00\x01\x02garbage', 'SIP/2.0 200 OK\r\n\r\n', 'INVITE\r\n\r\n', 'x'.repeat(70000)];

describe('bad input on the wire to a registered phone', () => {
  for (const name of wantedBrowsers(PUPPETEER_BROWSERS)) {
    describe(`in ${name}`, () => {
      let web: Awaited<ReturnType<typeof startDemoServer>>;
      let server: WebSocketServer;
      let browser: Browser;
      let page: Page;
      let phoneSocket: WebSocket | undefined;
      const fromPhone: string[] = [];

      before(async () => {
        server = new WebSocketServer({
          host: '127.0.0.1',
          port: 0,
          handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
        });
        await new Promise((resolve) => server.once('listening', resolve));
        server.on('connection', (socket) => {
          phoneSocket = socket;
          socket.on('message', (data) => {
            const text = data.toString();
            fromPhone.push(text.slice(0, text.indexOf('\r\n')));
            let request: SipRequest;
            try {
              const parsed = parseMessage(text);
              if (!isRequest(parsed)) return;
              request = parsed;
            } catch {
              return;
            }
            // A minimal registrar and callee: REGISTER and MESSAGE succeed, an INVITE is busy.
            if (request.method === 'ACK') return;
            const status = request.method === 'INVITE' ? 486 : 200;
            const response = responseTo(request, status, undefined, 'srv');
            if (request.method === 'REGISTER')
              response.setHeader('Contact', `${request.contact[0]!.toString()};expires=600`);
            socket.send(response.toString());
          });
        });
        web = await startDemoServer({ port: 0 });
        browser = await launchBrowser(name);
        page = await browser.newPage();
        await page.goto(web.url.replace(/\/demo\/$/, '/test/e2e/harness/phone.html'));
        await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
        const port = (server.address() as { port: number }).port;
        const status = await page.evaluate((config) => window.harness.start(config), {
          server: `ws://127.0.0.1:${port}`,
          aor: `sip:alice@${DOMAIN}`,
        });
        assert.equal(status, 200);
      });

      after(async () => {
        await page?.evaluate(() => window.harness.stop()).catch(() => undefined);
        await browser?.close();
        await web?.stop();
        server?.close();
      });

      it('answers 400 where it can, reports every bad message, and keeps working', async () => {
        const answerable = ANSWERABLE.map((make, i) => make(100 + i));
        const before = fromPhone.length;
        for (const text of [...answerable, ...UNANSWERABLE]) phoneSocket!.send(text);
        phoneSocket!.send(message(1, 'after the hand-made ones'));
        await page.waitForFunction(() => window.harness.messages.includes('after the hand-made ones'), {
          timeout: 10000,
        });
        const replies = fromPhone.slice(before);
        // One 400 per answerable message, nothing for the rest, then the 200 for the valid MESSAGE.
        assert.deepEqual(
          replies.map((line) => line.slice(0, 11)),
          [...answerable.map(() => 'SIP/2.0 400'), 'SIP/2.0 200'],
          replies.join(' | '),
        );
        const bad = await page.evaluate(() => window.harness.badMessages);
        assert.deepEqual(
          bad.map((b) => b.answered),
          [...answerable.map(() => true), ...UNANSWERABLE.map(() => false)],
          JSON.stringify(bad),
        );
        assert.match(bad[0]!.message, /Content-Length 9999 exceeds the 5-byte body/);

        // Seeded fuzz: random byte corruptions of a valid MESSAGE (bounded, repeatable). Each must
        // be answered (200, 400, 501...) or reported; none may break the phone.
        const fuzzed = fc.sample(
          fc.tuple(fc.nat(400), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => {
            const valid = message(900, 'fuzzed body');
            const index = at % valid.length;
            return valid.slice(0, index) + String.fromCharCode(byte) + valid.slice(index + 1);
          }),
          { numRuns: 60, seed: 42 },
        );
        const fuzzStart = fromPhone.length;
        for (const text of fuzzed) phoneSocket!.send(text);
        phoneSocket!.send(message(2, 'after the fuzz'));
        await page.waitForFunction(() => window.harness.messages.includes('after the fuzz'), { timeout: 10000 });
        const fuzzReplies = fromPhone.slice(fuzzStart);
        assert.ok(
          fuzzReplies.every((line) => !line.startsWith('SIP/2.0 5')),
          `no 5xx: ${fuzzReplies.join(' | ')}`,
        );
        assert.ok(
          (await page.evaluate(() => window.harness.badMessages.length)) > bad.length,
          'corrupted messages were reported',
        );

        // Still working: registers again, places a call (the peer is busy), takes a message.
        assert.equal(await page.evaluate(() => window.harness.register()), 200);
        await page.evaluate(() => window.harness.call('bob'));
        await page.waitForFunction(() => window.harness.state() === 'ended', { timeout: 10000 });
        assert.deepEqual(await page.evaluate(() => window.harness.ended()), {
          cause: 'busy',
          status: 486,
          reason: 'Busy Here',
        });
      });
    });
  }
});
