/**
 * Call setup: how long from call() until the caller is connected, our phone calling our phone
 * beside JsSIP calling JsSIP, through a Kamailio on loopback, in headless Chromium with fake
 * devices. Then the same with a STUN server that never answers (a UDP socket on 127.0.0.1 that
 * swallows everything), configured on both ends of both clients: a browser waits for such a
 * server for seconds, and a client that waits for ICE gathering to complete (JsSIP, on both the
 * INVITE and the 200) pays that twice per call; ours sends after `iceGatheringTimeoutMs` (1 s).
 * Between the two, live servers: coturn on loopback as STUN and TURN (UDP, long-term credentials),
 * as a real deployment configures them; ours must stay within 1.5x of its no-server setup.
 *
 * The page is tools/bench/apps/call-setup-page.ts. Calls alternate between the clients (ours,
 * JsSIP, ours, ...) so that both share the machine's noise; one warm-up call each is not counted.
 * The slow JsSIP calls are placed a few at a time, or the section would take minutes: their time
 * is the browser's STUN timeout, which concurrency does not change.
 *
 * Run with `npm run bench` (all sections) or `npm run bench -- call-setup`.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser } from '../browsers.mjs';
import { startCoturn, type CoturnServer } from '../coturn/coturn.mjs';
import { startKamailio, type KamailioServer } from '../kamailio/kamailio.mjs';
import type { BenchSetup, CallTiming } from './apps/call-setup-page';
import { startBenchServer } from './bench-server.mjs';
import { fixed, median, percentile, printTable, ratio, within } from './report';

const CALLS = Number(process.env.BENCH_CALLS ?? 10);
/** How many slow JsSIP calls run at once: each waits out the browser's ~40 s STUN timeout. */
const SLOW_BATCH = 10;
/** The whole section, start to cleanup. */
const SECTION_TIMEOUT_MS = 200000;
/** Live STUN and TURN may cost ours this much over no servers at most (issue 16). */
const LIVE_SERVERS_LIMIT = 1.5;

/** A UDP port on loopback that receives STUN requests and never answers. */
function deadStunServer(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.on('message', () => undefined);
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  });
}

interface Series {
  ours: CallTiming[];
  jssip: CallTiming[];
}

async function measure(page: Page, slow: boolean): Promise<Series> {
  const series: Series = { ours: [], jssip: [] };
  // Warm-up: the first call pays for code loading, device start and JIT; it is not counted.
  await page.evaluate(() => window.bench.callOurs());
  if (!slow) {
    await page.evaluate(() => window.bench.callJsSip());
    for (let i = 0; i < CALLS; i++) {
      series.ours.push(await page.evaluate(() => window.bench.callOurs()));
      series.jssip.push(...(await page.evaluate(() => window.bench.callJsSip())));
    }
    return series;
  }
  // A JsSIP batch lasts the browser's STUN timeout; ours run between batches, one at a time.
  while (series.jssip.length < CALLS) {
    const count = Math.min(SLOW_BATCH, CALLS - series.jssip.length);
    series.jssip.push(...(await page.evaluate((n) => window.bench.callJsSip(n), count)));
    for (let i = 0; i < count; i++) series.ours.push(await page.evaluate(() => window.bench.callOurs()));
  }
  return series;
}

const connected = (timings: CallTiming[]) => timings.map((t) => t.connected);
const iqr = (values: number[]) => percentile(values, 75) - percentile(values, 25);

/**
 * "No slower" when our median is at most JsSIP's; "within noise" when it is above by less than
 * the larger interquartile range of the two series (the calls cannot tell them apart).
 */
function verdictNoSlower(ours: number[], jssip: number[]): string {
  const gap = median(ours) - median(jssip);
  if (gap <= 0) return 'met';
  const noise = Math.max(iqr(ours), iqr(jssip));
  return gap <= noise
    ? `within noise (ours ${fixed(gap, 0)} ms above, IQR ${fixed(noise, 0)} ms)`
    : `NOT met (ours ${fixed(gap, 0)} ms above)`;
}

function report(normal: Series, live: Series, slow: Series, stunPort: number): void {
  const cases: Array<[string, Series]> = [
    ['no ICE servers', normal],
    ['live STUN + TURN/UDP (coturn)', live],
    [`dead STUN (stun:127.0.0.1:${stunPort})`, slow],
  ];
  console.log(
    `Chromium headless, fake devices, Kamailio on loopback WS, audio only; ${CALLS} calls per client and case after one warm-up`,
  );
  printTable(
    ['call() → connected', '>ours median ms', '>ours p90 ms', '>JsSIP median ms', '>JsSIP p90 ms', '>ours ÷ JsSIP'],
    cases.map(([name, s]) => {
      const [ours, jssip] = [connected(s.ours), connected(s.jssip)];
      return [
        name,
        fixed(median(ours), 0),
        fixed(percentile(ours, 90), 0),
        fixed(median(jssip), 0),
        fixed(percentile(jssip, 90), 0),
        ratio(median(ours), median(jssip)),
      ];
    }),
  );
  console.log('');
  console.log(
    "Where the time goes (medians, ms): until the INVITE leaves (media, offer, ICE gathering), then until connected (proxy, callee's answer with its own gathering, 200, ACK)",
  );
  const split = (timings: CallTiming[]) => [
    fixed(median(timings.map((t) => t.invite)), 0),
    fixed(median(timings.map((t) => t.connected - t.invite)), 0),
  ];
  printTable(
    ['case', '>ours → INVITE', '>ours INVITE → connected', '>JsSIP → INVITE', '>JsSIP INVITE → connected'],
    cases.map(([name, s]) => [name, ...split(s.ours), ...split(s.jssip)]),
  );
  const dead = median(connected(slow.ours)) <= median(connected(slow.jssip)) / 5;
  const liveCost = median(connected(live.ours)) / median(connected(normal.ours));
  console.log(
    `target (no slower than JsSIP): ${verdictNoSlower(connected(normal.ours), connected(normal.jssip))}; target (dead STUN ≤ 1/5 of JsSIP): ${dead ? 'met' : 'NOT met'}`,
  );
  console.log(
    `target (live STUN + TURN ≤ ${LIVE_SERVERS_LIMIT}x ours without servers): ${liveCost <= LIVE_SERVERS_LIMIT ? 'met' : 'NOT met'} (${fixed(liveCost, 2)}x)`,
  );
  for (const [name, s] of cases) {
    console.log(
      `${name}, every call (ms): ours ${connected(s.ours)
        .map((v) => fixed(v, 0))
        .join(' ')}; JsSIP ${connected(s.jssip)
        .map((v) => fixed(v, 0))
        .join(' ')}`,
    );
  }
}

async function run(open: {
  kamailio?: KamailioServer;
  web?: { stop(): Promise<void> };
  browser?: Browser;
  stun?: Socket;
  coturn?: CoturnServer;
}): Promise<void> {
  open.kamailio = await startKamailio();
  const web = await startBenchServer();
  open.web = web;
  open.browser = await launchBrowser('chromium');
  // Its own browser context, so the page is a visible window, never a throttled background tab.
  const page = await (await open.browser.createBrowserContext()).newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      console.error('page:', message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico'))
      console.error(`page: ${response.status()} for ${response.url()}`);
  });
  await page.goto(`${web.origin}/tools/bench/apps/call-setup.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', { timeout: 30000 });
  const { wsUrl, domain, users } = open.kamailio;
  const setup: BenchSetup = { wsUrl, domain, ours: [users.alice, users.bob], jssip: [users.carol, users.dave] };
  await page.evaluate((config) => window.bench.start(config), setup);
  const normal = await measure(page, false);

  open.coturn = await startCoturn();
  const { urls, username, credential } = open.coturn;
  await page.evaluate(
    (servers) => window.bench.useIceServers(servers),
    [{ urls: urls.stun }, { urls: urls.turnUdp, username, credential }],
  );
  const live = await measure(page, false);
  await open.coturn.stop();

  open.stun = await deadStunServer();
  const stunPort = open.stun.address().port;
  await page.evaluate((servers) => window.bench.useIceServers(servers), [{ urls: `stun:127.0.0.1:${stunPort}` }]);
  const slow = await measure(page, true);
  await page.evaluate(() => window.bench.stop());
  report(normal, live, slow, stunPort);
}

async function main(): Promise<void> {
  console.log('## Call setup');
  const open: Parameters<typeof run>[0] = {};
  try {
    await within(SECTION_TIMEOUT_MS, 'the call-setup section', run(open));
  } finally {
    // Whatever happened, nothing outlives the section.
    await open.browser?.close().catch(() => undefined);
    await open.web?.stop().catch(() => undefined);
    await open.kamailio?.stop().catch(() => undefined);
    await open.coturn?.stop().catch(() => undefined);
    open.stun?.close();
  }
}

await main();
