/**
 * Stack throughput: how many transactions per second the whole stack (serializer, parser,
 * transaction layer, user agent, digest) carries in Node, so that a regression anywhere on that
 * path shows. Both ends run in this process on an in-memory transport pair; the user agents use
 * the real clock (their timers are real), the pair delivers on the next turn of the event loop
 * (setImmediate: Node's setTimeout(0) would wait a millisecond and measure the timer instead).
 *
 * - MESSAGE, one at a time: alice's sendMessage() to bob's user agent, which answers 200; each
 *   exchange is one client and one server transaction, both in this process.
 * - MESSAGE, 32 in flight: the same with 32 outstanding at once.
 * - REGISTER refresh: alice's register() against a stateless registrar (tools/bench/loopback-
 *   registrar.ts) that challenges once with digest; refreshes reuse the nonce (nc counts up).
 *
 * Every case runs in rounds of a fixed count, cases in rotating order, after a warm-up round;
 * figures are medians. The rate per CPU second (the process's user + system time, both ends
 * together) is the figure to compare across runs: on a shared machine the wall-clock rate moves
 * with other load (it is printed beside it, with its spread).
 *
 * Run with `npm run bench` (all sections) or `npm run bench -- throughput`.
 */
import type { Clock, TimerHandle } from '../../src/stack/core/clock';
import { createMemoryTransportPair, type MemoryTransportPair } from '../../src/stack/transport/memory-transport.fake';
import { UserAgent } from '../../src/stack/ua/user-agent';
import { REGISTRAR_REALM, registrarReply } from './loopback-registrar';
import { fixed, integer, median, printTable, within } from './report';

const ROUNDS = 7;
const COUNT = 2000;
const WINDOW = 32;

/** Zero-delay deliveries on the next event-loop turn; anything later on Node's timers. */
const nextTurnClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) =>
    (delayMs > 0
      ? { timeout: setTimeout(callback, delayMs) }
      : { immediate: setImmediate(callback) }) as unknown as TimerHandle,
  clearTimeout: (handle) => {
    const timer = handle as unknown as { timeout?: NodeJS.Timeout; immediate?: NodeJS.Immediate } | undefined;
    if (timer?.timeout) clearTimeout(timer.timeout);
    if (timer?.immediate) clearImmediate(timer.immediate);
  },
};

interface Case {
  name: string;
  /** Runs `count` transactions; resolves to how many requests went on the wire. */
  run(count: number): Promise<number>;
}

async function messageCase(): Promise<{ one: Case; window: Case; pair: MemoryTransportPair }> {
  const pair = createMemoryTransportPair({ clock: nextTurnClock });
  const alice = new UserAgent({ aor: `sip:alice@${REGISTRAR_REALM}`, transport: pair.a });
  new UserAgent({ aor: `sip:bob@${REGISTRAR_REALM}`, transport: pair.b });
  await alice.start();
  const bob = `sip:bob@${REGISTRAR_REALM}`;
  const send = () => alice.sendMessage(bob, 'Are you there?');
  return {
    pair,
    one: {
      name: 'MESSAGE, one at a time',
      async run(count) {
        for (let i = 0; i < count; i++) await send();
        return count;
      },
    },
    window: {
      name: `MESSAGE, ${WINDOW} in flight`,
      async run(count) {
        let next = 0;
        const worker = async () => {
          while (next < count) {
            next++;
            await send();
          }
        };
        await Promise.all(Array.from({ length: WINDOW }, worker));
        return count;
      },
    },
  };
}

async function registerCase(): Promise<{ register: Case; pair: MemoryTransportPair }> {
  const pair = createMemoryTransportPair({ clock: nextTurnClock });
  pair.b.onMessage((text) => {
    const answer = registrarReply(text);
    if (answer) pair.b.send(answer);
  });
  const alice = new UserAgent({ aor: `sip:alice@${REGISTRAR_REALM}`, password: 'secret', transport: pair.a });
  await alice.start();
  return {
    pair,
    register: {
      name: 'REGISTER refresh, digest',
      async run(count) {
        const sentBefore = pair.a.sent.length;
        for (let i = 0; i < count; i++) {
          const { response } = await alice.register();
          if (response.status !== 200) throw new Error(`REGISTER answered ${response.status}`);
        }
        return pair.a.sent.length - sentBefore;
      },
    },
  };
}

interface Round {
  perSecond: number;
  cpuMicros: number;
  requests: number;
}

async function timed(testCase: Case, count: number): Promise<Round> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const requests = await testCase.run(count);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { perSecond: count / seconds, cpuMicros: (used.user + used.system) / count, requests: requests / count };
}

async function main(): Promise<void> {
  console.log('## Stack throughput');
  const messages = await messageCase();
  const registers = await registerCase();
  const cases = [messages.one, messages.window, registers.register];
  // The test transport keeps a copy of every message it sent: clear it between rounds.
  const forget = () => {
    for (const pair of [messages.pair, registers.pair]) pair.a.sent.length = pair.b.sent.length = 0;
  };
  for (const testCase of cases) await timed(testCase, COUNT); // warm-up
  forget();
  const results = cases.map(() => [] as Round[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < cases.length; k++) {
      const index = (round + k) % cases.length;
      results[index].push(await timed(cases[index], COUNT));
      forget();
    }
  }
  console.log(
    `Node ${process.version}, both ends in one process over the in-memory transport pair; ${ROUNDS} rounds of ${integer(COUNT)} after a warm-up, medians`,
  );
  printTable(
    [
      'case',
      '>transactions per CPU second',
      '>CPU µs per transaction',
      '>transactions/s (wall)',
      '>wall min–max',
      '>requests per transaction',
    ],
    cases.map((testCase, i) => {
      const rates = results[i].map((r) => r.perSecond);
      const cpuMicros = median(results[i].map((r) => r.cpuMicros));
      return [
        testCase.name,
        integer(1e6 / cpuMicros),
        fixed(cpuMicros, 0),
        integer(median(rates)),
        `${integer(Math.min(...rates))}–${integer(Math.max(...rates))}`,
        fixed(median(results[i].map((r) => r.requests)), 2),
      ];
    }),
  );
  // The user agents' timers would keep Node alive; the figures are out.
  process.exit(0);
}

// Bounded: a lost response would otherwise wait out Timer F (32 s) per transaction.
await within(120000, 'the throughput section', main());
