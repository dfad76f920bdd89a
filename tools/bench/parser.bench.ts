/**
 * Parser throughput: our parseMessage against JsSIP's and SIP.js's parsers on the same corpus of
 * realistic messages (tools/bench/sip-corpus.ts), in one process, rounds interleaved. Each parser
 * also reads From, To, Call-ID, CSeq, every Via and every Contact through its own API, parsed, so
 * lazy parsing cannot win by leaving work undone. Ours validates every one of those fields
 * (and the start line, Route, Record-Route and framing) while parsing.
 *
 * Run with `npm run bench` (all sections) or `npm run bench -- parser`.
 */
import { createRequire } from 'node:module';
import { Parser as SipJsParser } from 'sip.js/lib/core/messages/parser.js';
import { parseMessage } from '../../src/sip';
import { SIP_CORPUS } from './sip-corpus';

const require = createRequire(import.meta.url);
// JsSIP does not export its parser from the package root; its Parser module takes a UA only to
// attach to incoming requests.
const JsSipParser = require('jssip/lib/Parser') as { parseMessage(data: string, ua: unknown): JsSipMessage | undefined };

interface JsSipNameAddr {
  uri: { host: string; user?: string };
}
interface JsSipMessage {
  from: JsSipNameAddr;
  to: JsSipNameAddr;
  from_tag?: string;
  to_tag?: string;
  call_id: string;
  cseq: number;
  method: string;
  getHeaders(name: string): string[];
  parseHeader(name: string, index: number): { host: string; branch?: string; uri?: { host: string } } | undefined;
}
interface SipJsMessage {
  from: JsSipNameAddr;
  to: JsSipNameAddr;
  fromTag?: string;
  toTag?: string;
  callId: string;
  cseq: number;
  method: string;
  getHeaders(name: string): string[];
  parseHeader(name: string, index?: number): { host: string; branch?: string; uri?: { host: string } } | undefined;
}

const texts = SIP_CORPUS.map((entry) => entry.text);
const silentLogger = { log() {}, debug() {}, warn() {}, error() {} };
const jsSipUa = {};

/** Parses one message and reads the fields every contender must read; returns a number to keep. */
type Contender = (text: string) => number;

const ours: Contender = (text) => {
  const m = parseMessage(text);
  let n = m.from.uri.toString().length + (m.from.tag?.length ?? 0) + m.to.uri.toString().length + (m.to.tag?.length ?? 0);
  n += m.callId.length + m.cseq.seq + m.cseq.method.length;
  for (const via of m.via) n += via.host.length + (via.branch?.length ?? 0);
  for (const contact of m.contact) n += contact === '*' ? 1 : contact.uri.toString().length;
  return n;
};

const jsSip: Contender = (text) => {
  const m = JsSipParser.parseMessage(text, jsSipUa);
  if (m === undefined) throw new Error('JsSIP rejected a corpus message');
  let n = m.from.uri.host.length + (m.from_tag?.length ?? 0) + m.to.uri.host.length + (m.to_tag?.length ?? 0);
  n += m.call_id.length + m.cseq + m.method.length;
  const vias = m.getHeaders('via').length;
  for (let i = 0; i < vias; i++) {
    const via = m.parseHeader('via', i);
    n += (via?.host.length ?? 0) + (via?.branch?.length ?? 0);
  }
  const contacts = m.getHeaders('contact').length;
  for (let i = 0; i < contacts; i++) n += m.parseHeader('contact', i)?.uri?.host.length ?? 0;
  return n;
};

const sipJs: Contender = (text) => {
  const m = SipJsParser.parseMessage(text, silentLogger as never) as unknown as SipJsMessage | undefined;
  if (m === undefined) throw new Error('SIP.js rejected a corpus message');
  let n = m.from.uri.host.length + (m.fromTag?.length ?? 0) + m.to.uri.host.length + (m.toTag?.length ?? 0);
  n += m.callId.length + m.cseq + m.method.length;
  const vias = m.getHeaders('via').length;
  for (let i = 0; i < vias; i++) {
    const via = m.parseHeader('via', i);
    n += (via?.host.length ?? 0) + (via?.branch?.length ?? 0);
  }
  const contacts = m.getHeaders('contact').length;
  for (let i = 0; i < contacts; i++) n += m.parseHeader('contact', i)?.uri?.host.length ?? 0;
  return n;
};

const CONTENDERS: ReadonlyArray<readonly [string, Contender]> = [
  ['sip-elements', ours],
  ['JsSIP 3.13', jsSip],
  ['SIP.js 0.21', sipJs],
];

let sink = 0;

/** Messages per second over passes of the whole corpus for about `ms` milliseconds. */
function measure(contender: Contender, ms: number): number {
  let messages = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (const text of texts) sink += contender(text);
    messages += texts.length;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (messages * 1000) / elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const format = (n: number) => Math.round(n).toLocaleString('en-US');

export function runParserBench(rounds = 7, roundMs = 400): void {
  console.log('## Parser throughput');
  console.log(`corpus: ${texts.length} messages, ${texts.reduce((n, t) => n + Buffer.byteLength(t), 0)} bytes`);
  // Every contender must accept every message, or its figure would not be comparable.
  for (const [, contender] of CONTENDERS) for (const text of texts) sink += contender(text);
  for (const [, contender] of CONTENDERS) measure(contender, 500); // warm-up: let the JIT settle
  const results = new Map<string, number[]>(CONTENDERS.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    // Interleaved, and in a rotating order, so drift in machine load hits every contender alike.
    for (let k = 0; k < CONTENDERS.length; k++) {
      const [name, contender] = CONTENDERS[(round + k) % CONTENDERS.length];
      results.get(name)?.push(measure(contender, roundMs));
    }
  }
  const oursRate = median(results.get('sip-elements') ?? []);
  console.log(`rounds: ${rounds} x ${roundMs} ms per contender, median shown`);
  console.log('| parser | messages/s | ours ÷ this |');
  console.log('| --- | ---: | ---: |');
  for (const [name] of CONTENDERS) {
    const rate = median(results.get(name) ?? []);
    console.log(`| ${name} | ${format(rate)} | ${(oursRate / rate).toFixed(1)}x |`);
  }
  if (sink === 42) console.log(''); // keeps the reads observable
}

runParserBench();
