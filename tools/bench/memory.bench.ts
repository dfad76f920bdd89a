/**
 * Memory: the JavaScript heap a phone costs while registered, what an active call adds, and what
 * one parsed INVITE keeps alive, ours beside JsSIP and SIP.js where they can run in Node.
 *
 * Each figure comes from a fresh child process started with --expose-gc: it builds one warm-up
 * item first (so code, shapes and module caches are not counted), collects garbage, reads
 * heapUsed, builds N more items and keeps them reachable, collects again, and divides the growth
 * by N. Every figure is the median of a few such children.
 *
 * - Registered phone: each client's own user agent and WebSocket transport (over an in-process
 *   loopback WebSocket to a stateless registrar: a digest challenge, then 200), with calls enabled.
 * - Active call: two of our user agents back to back on an in-memory transport pair with fake
 *   media sessions (SDP text only; a browser's RTCPeerConnection lives outside the JS heap), so it
 *   is the signalling state of both ends: right after connect, and once the transactions' timers
 *   (RFC 6026 Timer L, 32 s of fake time) have let go of what only the handshake needed.
 * - Parsed INVITE: a WebRTC INVITE with full SDP, each copy with its own Call-ID and branch and
 *   received as a fresh flat string, parsed, the fields a user agent reads (From, To, Call-ID, CSeq,
 *   Via, Contact) read through each parser's API, the message kept and the text dropped, as a
 *   transport would. What a parser keeps of its input shows up here.
 *
 * Run with `npm run bench` (all sections) or `npm run bench -- memory`.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseMessage } from '../../src/stack/message/parser';
import { FakeClock } from '../../src/stack/core/clock.fake';
import { settle } from '../../src/stack/core/settle.fixtures';
import { createMemoryTransportPair, type MemoryTransportPair } from '../../src/stack/transport/memory-transport.fake';
import { WebSocketTransport } from '../../src/stack/transport/websocket-transport';
import { fakeMediaSessionFactory, type FakeMediaSession } from '../../src/stack/ua/media-session.fake';
import type { Call } from '../../src/stack/ua/calls/call';
import { UserAgent } from '../../src/stack/ua/user-agent';
import { loopbackWebSocket } from './loopback-websocket';
import { REGISTRAR_REALM, registrarReply } from './loopback-registrar';
import { integer, median, printTable, ratio } from './report';
import { SIP_CORPUS } from './sip-corpus';

const ROUNDS = 3;
const COUNTS = { phone: 200, call: 200, churn: 4000, invite: 2000 };

type Measurement = Record<string, number>;

// ---------------------------------------------------------------- child side

declare const gc: () => void;

async function heapUsed(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/** Heap growth per item while `count` items made by `make` are kept reachable. */
async function perItem(count: number, make: (index: number) => Promise<unknown>): Promise<number> {
  const kept: unknown[] = new Array(count + 1).fill(undefined);
  kept[count] = await make(count); // warm-up, outside the count
  const before = await heapUsed();
  for (let i = 0; i < count; i++) kept[i] = await make(i);
  const after = await heapUsed();
  if (kept.length !== count + 1) throw new Error('unreachable');
  return (after - before) / count;
}

// ---- registered phones

const LoopbackWebSocket = loopbackWebSocket(registrarReply);
const SERVER = 'wss://registrar.bench.test/ws';
const aor = (index: number) => `sip:user${index}@${REGISTRAR_REALM}`;

async function ourPhone(index: number): Promise<UserAgent> {
  const ua = new UserAgent({
    aor: aor(index),
    password: 'secret',
    transport: new WebSocketTransport({ url: SERVER, webSocket: LoopbackWebSocket }),
    calls: { mediaSessionFactory: fakeMediaSessionFactory() },
  });
  await ua.start();
  const { response } = await ua.register();
  if (response.status !== 200) throw new Error(`ours registered with ${response.status}`);
  return ua;
}

interface EventSource {
  on(event: string, listener: (event: { cause?: string }) => void): void;
}

async function jssipPhone(index: number): Promise<unknown> {
  const JsSIP = createRequire(import.meta.url)('jssip') as {
    UA: new (config: object) => EventSource & { start(): void };
    WebSocketInterface: new (url: string) => object;
    debug: { disable(): void };
  };
  JsSIP.debug.disable();
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(SERVER)],
    uri: aor(index),
    password: 'secret',
    register: true,
  });
  const registered = new Promise<void>((resolve, reject) => {
    ua.on('registered', () => resolve());
    ua.on('registrationFailed', (event) => reject(new Error(`JsSIP registration failed: ${event.cause}`)));
  });
  ua.start();
  await registered;
  return ua;
}

async function sipJsPhone(index: number): Promise<unknown> {
  const { Registerer, RegistererState, UserAgent: SipJsUserAgent } = await import('sip.js');
  const userAgent = new SipJsUserAgent({
    uri: SipJsUserAgent.makeURI(aor(index)),
    authorizationUsername: `user${index}`,
    authorizationPassword: 'secret',
    transportOptions: { server: SERVER },
    logLevel: 'error',
  });
  await userAgent.start();
  const registerer = new Registerer(userAgent);
  const registered = new Promise<void>((resolve, reject) => {
    registerer.stateChange.addListener((state) => {
      if (state === RegistererState.Registered) resolve();
      if (state === RegistererState.Terminated) reject(new Error('SIP.js registration ended'));
    });
    registerer
      .register({
        requestDelegate: {
          onReject: (response) => reject(new Error(`SIP.js registration failed: ${response.message.statusCode}`)),
        },
      })
      .catch(reject);
  });
  await registered;
  return { userAgent, registerer };
}

// ---- active calls

/** N pairs of our phones, then one call per pair: heap per call just connected and steady. */
async function measureCalls(count: number): Promise<Measurement> {
  const clock = new FakeClock();
  interface Pair {
    link: MemoryTransportPair;
    alice: UserAgent;
    bob: UserAgent;
    media: ReturnType<typeof fakeMediaSessionFactory>[];
    calls: Call[];
  }
  const pairs: Pair[] = [];
  for (let i = 0; i <= count; i++) {
    const link = createMemoryTransportPair({ clock });
    const media = [fakeMediaSessionFactory(), fakeMediaSessionFactory()];
    const make = (user: string, end: MemoryTransportPair['a'], factory: (typeof media)[number]) =>
      new UserAgent({
        aor: `sip:${user}${i}@${REGISTRAR_REALM}`,
        transport: end,
        clock,
        calls: { mediaSessionFactory: factory },
      });
    const pair: Pair = {
      link,
      alice: make('alice', link.a, media[0]),
      bob: make('bob', link.b, media[1]),
      media,
      calls: [],
    };
    pair.bob.events.on('incoming-call', (call) => {
      pair.calls.push(call);
      void call.answer();
    });
    await pair.alice.start();
    pairs.push(pair);
  }
  await settle(clock);
  // What test doubles record for assertions is not the product's: the transports' copies of
  // every message sent, the fake factories' lists of sessions, each fake session's call log.
  const forgetRecords = () => {
    for (const { link, media, calls } of pairs) {
      link.a.sent.length = link.b.sent.length = 0;
      for (const factory of media) factory.sessions.length = 0;
      for (const call of calls) if (call.media) (call.media as FakeMediaSession).calls.length = 0;
    }
  };
  const connect = async (pair: Pair) => {
    pair.calls.push(pair.alice.call(pair.bob.core.aor.toString()));
    await settle(clock);
    if (!pair.calls.every((call) => call.state === 'connected'))
      throw new Error(`a call did not connect: ${pair.calls.map((c) => c.state)}`);
  };
  await connect(pairs[count]); // warm-up
  forgetRecords();
  const before = await heapUsed();
  for (let i = 0; i < count; i++) await connect(pairs[i]);
  forgetRecords();
  const connected = await heapUsed();
  // Past RFC 6026 Timer L (64*T1) and every other handshake timer: what a call keeps while it lasts.
  for (let t = 0; t < 40; t++) {
    clock.advance(1000);
    await settle(clock);
  }
  forgetRecords();
  const steady = await heapUsed();
  if (!pairs.every((pair) => pair.calls.every((call) => call.state === 'connected')))
    throw new Error('a call ended while measured');
  return { connected: (connected - before) / count, steady: (steady - before) / count };
}

/**
 * One pair of our phones placing call after call, each hung up and its timers run out: what the
 * heap keeps per finished call (a leak would show as a steady figure however many calls ran).
 */
async function measureChurn(count: number): Promise<Measurement> {
  const clock = new FakeClock();
  const link = createMemoryTransportPair({ clock });
  const media = [fakeMediaSessionFactory(), fakeMediaSessionFactory()];
  const alice = new UserAgent({
    aor: `sip:alice@${REGISTRAR_REALM}`,
    transport: link.a,
    clock,
    calls: { mediaSessionFactory: media[0] },
  });
  const bob = new UserAgent({
    aor: `sip:bob@${REGISTRAR_REALM}`,
    transport: link.b,
    clock,
    calls: { mediaSessionFactory: media[1] },
  });
  bob.events.on('incoming-call', (call) => void call.answer());
  await alice.start();
  await settle(clock);
  const cycle = async () => {
    const call = alice.call(`sip:bob@${REGISTRAR_REALM}`);
    await settle(clock);
    if (call.state !== 'connected') throw new Error(`a call did not connect: ${call.state}`);
    await call.hangup();
    for (let t = 0; t < 40; t++) {
      clock.advance(1000);
      await settle(clock);
    }
    link.a.sent.length = link.b.sent.length = 0;
    for (const factory of media) factory.sessions.length = 0;
  };
  // Warm-up: the first few thousand calls still grow the heap (JIT feedback, hash tables settling)
  // by a falling amount (730, 170, 30 B per call over successive thousands), not a leak.
  for (let i = 0; i < 3000; i++) await cycle();
  const before = await heapUsed();
  for (let i = 0; i < count; i++) await cycle();
  const after = await heapUsed();
  if (alice.calls.length + bob.calls.length !== 0 || clock.pending !== 0)
    throw new Error('calls or timers outlived their calls');
  return { perItem: (after - before) / count };
}

// ---- parsed INVITEs

const INVITE = SIP_CORPUS.find((entry) => entry.text.startsWith('INVITE '))!.text;

/** The INVITE as a transport hands it over: a distinct, flat string per message. */
function freshInvite(index: number): string {
  const text = INVITE.replace(/Call-ID: [^\r]+/i, `Call-ID: bench-${index}-${INVITE.length}`).replace(
    /branch=z9hG4bK[^;\r,]+/,
    `branch=z9hG4bKbench${index}`,
  );
  return Buffer.from(text, 'utf8').toString('utf8');
}

interface PegMessage {
  from: { uri: { host: string } };
  to: { uri: { host: string } };
  getHeaders(name: string): string[];
  parseHeader(name: string, index: number): unknown;
}

function readPeg(message: PegMessage): PegMessage {
  for (let i = 0; i < message.getHeaders('via').length; i++) message.parseHeader('via', i);
  for (let i = 0; i < message.getHeaders('contact').length; i++) message.parseHeader('contact', i);
  return message;
}

async function inviteParser(contender: string): Promise<(text: string) => unknown> {
  switch (contender) {
    case 'text':
      return (text) => text; // the yardstick: the received text itself, unparsed
    case 'ours':
      return (text) => {
        const m = parseMessage(text);
        // The lookups a user agent makes; each may build and cache its parsed form.
        void [m.from.tag, m.to.uri, m.callId, m.cseq.seq, m.via[0]?.branch, m.contact[0], m.body.length];
        return m;
      };
    case 'jssip': {
      const parser = createRequire(import.meta.url)('jssip/lib/Parser') as {
        parseMessage(data: string, ua: unknown): PegMessage | undefined;
      };
      const ua = {};
      return (text) => readPeg(parser.parseMessage(text, ua)!);
    }
    case 'sipjs': {
      const { Parser } = await import('sip.js/lib/core/messages/parser.js');
      const logger = { log() {}, debug() {}, warn() {}, error() {} };
      return (text) => readPeg(Parser.parseMessage(text, logger as never) as unknown as PegMessage);
    }
    default:
      throw new Error(`unknown parser ${contender}`);
  }
}

async function child(kind: string, contender: string): Promise<Measurement> {
  switch (kind) {
    case 'phone': {
      if (contender !== 'ours') (globalThis as { WebSocket?: unknown }).WebSocket = LoopbackWebSocket;
      const make = { ours: ourPhone, jssip: jssipPhone, sipjs: sipJsPhone }[contender];
      if (!make) throw new Error(`unknown client ${contender}`);
      return { perItem: await perItem(COUNTS.phone, make) };
    }
    case 'call':
      return measureCalls(COUNTS.call);
    case 'churn':
      return measureChurn(COUNTS.churn);
    case 'invite': {
      const parse = await inviteParser(contender);
      return { perItem: await perItem(COUNTS.invite, async (index) => parse(freshInvite(index))) };
    }
    default:
      throw new Error(`unknown measurement ${kind}`);
  }
}

// ---------------------------------------------------------------- parent side

const SELF = fileURLToPath(import.meta.url);

/** Median over ROUNDS fresh children of each figure the child reports. */
function measure(kind: string, contender: string): Measurement {
  const runs: Measurement[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, '--child', kind, contender], {
      encoding: 'utf8',
      timeout: 60000,
    });
    const line = result.stdout.trim().split('\n').at(-1) ?? '';
    if (result.status !== 0 || !line.startsWith('{')) {
      throw new Error(
        `memory child ${kind} ${contender} failed (${result.signal ?? result.status}): ${result.stderr.trim().slice(-800)}`,
      );
    }
    runs.push(JSON.parse(line) as Measurement);
  }
  return Object.fromEntries(Object.keys(runs[0]).map((key) => [key, median(runs.map((run) => run[key]))]));
}

const bytes = (n: number) => `${integer(n)} B`;

function main(): void {
  console.log('## Memory');
  console.log(
    `JS heap (heapUsed after forced GC), Node ${process.version}; median of ${ROUNDS} fresh processes per figure`,
  );
  const clients = [
    ['sip-elements', 'ours'],
    ['JsSIP 3.13', 'jssip'],
    ['SIP.js 0.21', 'sipjs'],
  ] as const;
  const phones = clients.map(([, id]) => measure('phone', id).perItem);
  const invites = clients.map(([, id]) => measure('invite', id).perItem);
  const text = measure('invite', 'text').perItem;
  const calls = measure('call', 'ours');
  const churn = measure('churn', 'ours').perItem;
  printTable(
    ['per item', ...clients.flatMap(([name]) => [`>${name}`]), '>ours ÷ JsSIP', '>ours ÷ SIP.js'],
    [
      [
        `registered phone (${COUNTS.phone} kept)`,
        ...phones.map(bytes),
        ratio(phones[0], phones[1]),
        ratio(phones[0], phones[2]),
      ],
      [
        `parsed INVITE (${COUNTS.invite} kept, text ${integer(Buffer.byteLength(INVITE))} B)`,
        ...invites.map(bytes),
        ratio(invites[0], invites[1]),
        ratio(invites[0], invites[2]),
      ],
    ],
  );
  console.log(
    `the INVITE's text alone, kept as received: ${bytes(text)} per copy (part of each parser's figure when its message keeps the text)`,
  );
  console.log('');
  console.log(`Active call, ours only (${COUNTS.call} calls, both ends, fake media: signalling state and SDP text)`);
  printTable(
    ['per call', '>heap', '>÷ registered phone'],
    [
      ['just connected', bytes(calls.connected), ratio(calls.connected, phones[0])],
      ['after 40 s (handshake timers done)', bytes(calls.steady), ratio(calls.steady, phones[0])],
      [
        `left behind per finished call (${COUNTS.churn} calls in turn on one pair)`,
        bytes(churn),
        ratio(churn, phones[0]),
      ],
    ],
  );
}

const at = process.argv.indexOf('--child');
if (at < 0) {
  main();
} else {
  const result = await child(process.argv[at + 1], process.argv[at + 2]);
  console.log(JSON.stringify(result));
  // Phones keep timers and sockets alive; the figure is out, the process may go.
  process.exit(0);
}
