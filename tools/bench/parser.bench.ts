/**
 * Parser throughput: our parseMessage against JsSIP's and SIP.js's parsers on the same corpus of
 * realistic messages (tools/bench/sip-corpus.ts), in one run. Each contender also reads From, To,
 * Call-ID, CSeq, every Via and every Contact through its own API, parsed, so lazy parsing cannot
 * win by leaving work undone. Ours validates every one of those fields (and the start line,
 * Route, Record-Route and framing) while parsing.
 *
 * Each contender runs in its own child process (its own heap and JIT, so one's garbage does not
 * slow another's collector); the parent runs them one at a time in rotating order, round after
 * round, and takes the median. Throughput is counted against the child's CPU time, so other load
 * on a shared machine skews the figures less than wall time would; wall-clock figures are
 * printed beside it.
 *
 * Run with `npm run bench` (all sections) or `npm run bench -- parser`.
 */
import { createRequire } from 'node:module';
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Parser as SipJsParser } from 'sip.js/lib/core/messages/parser.js';
import { parseMessage } from '../../src/sip';
import { integer, median, printTable } from './report';
import { SIP_CORPUS } from './sip-corpus';

interface JsSipNameAddr {
  uri: { host: string; user?: string };
}
interface PegMessage {
  from: JsSipNameAddr;
  to: JsSipNameAddr;
  method: string;
  getHeaders(name: string): string[];
  parseHeader(name: string, index: number): { host: string; branch?: string; uri?: { host: string } } | undefined;
}
interface JsSipMessage extends PegMessage {
  from_tag?: string;
  to_tag?: string;
  call_id: string;
  cseq: number;
}
interface SipJsMessage extends PegMessage {
  fromTag?: string;
  toTag?: string;
  callId: string;
  cseq: number;
}

/** Parses one message and reads the fields every contender must read; returns a number to keep. */
type Contender = (text: string) => number;

function readPegFields(m: PegMessage, n: number): number {
  const vias = m.getHeaders('via').length;
  for (let i = 0; i < vias; i++) {
    const via = m.parseHeader('via', i);
    n += (via?.host.length ?? 0) + (via?.branch?.length ?? 0);
  }
  const contacts = m.getHeaders('contact').length;
  for (let i = 0; i < contacts; i++) n += m.parseHeader('contact', i)?.uri?.host.length ?? 0;
  return n;
}

function makeContender(name: string): Contender {
  switch (name) {
    case 'sip-elements':
      return (text) => {
        const m = parseMessage(text);
        let n =
          m.from.uri.toString().length +
          (m.from.tag?.length ?? 0) +
          m.to.uri.toString().length +
          (m.to.tag?.length ?? 0);
        n += m.callId.length + m.cseq.seq + m.cseq.method.length;
        for (const via of m.via) n += via.host.length + (via.branch?.length ?? 0);
        for (const contact of m.contact) n += contact === '*' ? 1 : contact.uri.toString().length;
        return n;
      };
    case 'JsSIP 3.13': {
      // JsSIP does not export its parser from the package root; the Parser module takes a UA
      // only to attach it to incoming requests.
      const parser = createRequire(import.meta.url)('jssip/lib/Parser') as {
        parseMessage(data: string, ua: unknown): JsSipMessage | undefined;
      };
      const ua = {};
      return (text) => {
        const m = parser.parseMessage(text, ua);
        if (m === undefined) throw new Error('JsSIP rejected a corpus message');
        const n = m.from.uri.host.length + (m.from_tag?.length ?? 0) + m.to.uri.host.length + (m.to_tag?.length ?? 0);
        return readPegFields(m, n + m.call_id.length + m.cseq + m.method.length);
      };
    }
    case 'SIP.js 0.21': {
      const logger = { log() {}, debug() {}, warn() {}, error() {} };
      return (text) => {
        const m = SipJsParser.parseMessage(text, logger as never) as unknown as SipJsMessage | undefined;
        if (m === undefined) throw new Error('SIP.js rejected a corpus message');
        const n = m.from.uri.host.length + (m.fromTag?.length ?? 0) + m.to.uri.host.length + (m.toTag?.length ?? 0);
        return readPegFields(m, n + m.callId.length + m.cseq + m.method.length);
      };
    }
    default:
      throw new Error(`unknown contender ${name}`);
  }
}

const NAMES = ['sip-elements', 'JsSIP 3.13', 'SIP.js 0.21'];

interface RoundResult {
  cpuRate: number;
  wallRate: number;
}

/** Child side: parse the corpus in passes for about `ms` of CPU time, report messages per second. */
function serveRounds(name: string): void {
  const contender = makeContender(name);
  const texts = SIP_CORPUS.map((entry) => entry.text);
  let sink = 0;
  // Every message must parse, or the figure would not be comparable.
  for (const text of texts) sink += contender(text);
  process.on('message', (ms: number) => {
    let messages = 0;
    const cpu = process.cpuUsage();
    const wall = performance.now();
    let used = 0;
    do {
      for (let pass = 0; pass < 8; pass++) for (const text of texts) sink += contender(text);
      messages += 8 * texts.length;
      const delta = process.cpuUsage(cpu);
      used = (delta.user + delta.system) / 1000;
    } while (used < ms);
    const result: RoundResult = {
      cpuRate: (messages * 1000) / used,
      wallRate: (messages * 1000) / (performance.now() - wall),
    };
    process.send?.(sink === 0.5 ? { ...result, sink } : result);
  });
}

async function main(rounds = 9, roundMs = 400): Promise<void> {
  const texts = SIP_CORPUS.map((entry) => entry.text);
  console.log('## Parser throughput');
  console.log(
    `corpus: ${texts.length} messages, ${texts.reduce((n, t) => n + Buffer.byteLength(t), 0)} bytes (tools/bench/sip-corpus.ts)`,
  );
  // Each child loads this file through tsx, as the parent did.
  const workers = NAMES.map((name) =>
    fork(fileURLToPath(import.meta.url), ['--contender', name], { execArgv: ['--import', 'tsx'] }),
  );
  const ask = (worker: ChildProcess, ms: number) =>
    new Promise<RoundResult>((resolve, reject) => {
      worker.once('message', (result) => resolve(result as RoundResult));
      worker.once('error', reject);
      worker.send(ms);
    });
  for (const worker of workers) await ask(worker, 1000); // warm-up: let the JIT settle
  const results = NAMES.map(() => [] as RoundResult[]);
  for (let round = 0; round < rounds; round++) {
    // One contender at a time, in rotating order, so drift in machine load hits each alike.
    for (let k = 0; k < NAMES.length; k++) {
      const index = (round + k) % NAMES.length;
      results[index].push(await ask(workers[index], roundMs));
    }
  }
  for (const worker of workers) worker.kill();
  const cpu = results.map((list) => median(list.map((r) => r.cpuRate)));
  const wall = results.map((list) => median(list.map((r) => r.wallRate)));
  console.log(`rounds: ${rounds} x ${roundMs} ms of CPU per contender, medians`);
  printTable(
    ['parser', '>messages/s (CPU time)', '>messages/s (wall)', '>sip-elements ÷ this (CPU)', '>(wall)'],
    NAMES.map((name, i) => [
      name,
      integer(cpu[i]),
      integer(wall[i]),
      `${(cpu[0] / cpu[i]).toFixed(1)}x`,
      `${(wall[0] / wall[i]).toFixed(1)}x`,
    ]),
  );
}

const contender = process.argv.indexOf('--contender');
if (contender < 0) await main();
else serveRounds(process.argv[contender + 1]);
