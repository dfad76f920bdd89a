// Starts and stops the project's Kamailio (deploy/kamailio/kamailio.cfg) for interop tests: free
// loopback ports, a throwaway self-signed certificate for WSS, logs in a file, no orphans.
// Plain ESM so that both the Node tests (through tsx) and the web-test-runner plugin can import it;
// the types are in kamailio.d.mts.
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  delay,
  freeTcpPort,
  freeUdpPort,
  logTail,
  makeRunDir,
  selfSignedCertificate,
} from '../test-support/local-services.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
export const KAMAILIO_CONFIG = join(ROOT, 'deploy/kamailio/kamailio.cfg');
export const KAMAILIO_BINARY = process.env.KAMAILIO_PATH ?? '/usr/sbin/kamailio';
const HOST = '127.0.0.1';
/** The second node of a cluster listens here (all of 127.0.0.0/8 is the loopback on Linux). */
const CLUSTER_HOST_B = '127.0.0.2';

/** The SIP domain and digest realm: kamailio.cfg's DOMAIN. */
export const KAMAILIO_DOMAIN = 'sip-elements.test';

/**
 * The user table of kamailio.cfg (event_route[htable:mod-init]); kamailio.test.ts registers every
 * one of them, so a drift between the two fails a test.
 */
export const KAMAILIO_USERS = Object.freeze(
  Object.fromEntries(
    ['alice', 'bob', 'carol', 'dave'].map((user) => [user, Object.freeze({ user, password: `${user}-secret` })]),
  ),
);

const STOP_GRACE_MS = 3000;
const DEFAULT_START_TIMEOUT_MS = 10000;

// Every running instance, so that an exiting Node process takes its Kamailio processes with it,
// and the run directories to remove then (kept with KAMAILIO_KEEP_RUNDIR=1, or after a failed start
// for its log).
const running = new Set();
const runDirs = new Set();
process.on('exit', () => {
  for (const instance of running) instance.killGroupNow();
  for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
});

// setpriv (util-linux, always on Debian) makes the kernel send SIGTERM to Kamailio when Node dies
// in a way no 'exit' handler sees (SIGKILL, a crash); Kamailio then stops its own children.
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/** Starts Kamailio on free loopback ports and resolves once WS and WSS accept a handshake. */
export async function startKamailio(options = {}) {
  checkInstalled();
  const runDir = makeRunDir('kamailio', options.runDir);
  const keep = options.keepRunDir ?? process.env.KAMAILIO_KEEP_RUNDIR === '1';
  if (!keep) runDirs.add(runDir);
  const { certFile, keyFile } = options.tls ?? selfSignedCertificate(runDir, 'WSS test');
  // Ports the caller did not choose are picked here; if another process grabs one between the
  // pick and Kamailio's bind, pick again (a real race on a busy machine, not a flaky test).
  const attempts = options.ports ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    const ports = options.ports ?? (await freePorts());
    const defines = [...(options.defines ?? []), ...(options.presence ? presenceDefines(runDir, ports) : [])];
    const server = new KamailioInstance({ ...options, defines, runDir, certFile, keyFile, ports });
    try {
      await server.start();
      return server.api();
    } catch (error) {
      if (attempt < attempts && server.portClash()) continue;
      runDirs.delete(runDir);
      throw error;
    }
  }
}

/**
 * Two nodes of kamailio.cfg's WITH_CLUSTER (deploy/kamailio/README.md, "Two nodes"): each on its
 * own free loopback ports, each the other's DMQ peer. Resolves once both accept WebSocket
 * handshakes; if one cannot start, the other is stopped too.
 */
export async function startKamailioCluster(options = {}) {
  for (let attempt = 1; ; attempt++) {
    const ports = [await freePorts(), await freePorts()];
    const all = ports.flatMap((p) => [p.ws, p.wss, p.udp]);
    // Each pick was free on its own; the two nodes must not share one.
    if (new Set(all).size !== all.length && attempt < 5) continue;
    // Two loopback addresses, as two machines would have: a node tells its own Path from the
    // other's by address (registrar path_check_local), and the other node by its source address.
    const [a, b] = [
      { host: HOST, ports: ports[0] },
      { host: CLUSTER_HOST_B, ports: ports[1] },
    ];
    const node = (self, peer) =>
      startKamailio({
        ...options,
        host: self.host,
        ports: self.ports,
        defines: [
          ...(options.defines ?? []),
          'WITH_CLUSTER',
          `SELF_SIP_URI=${JSON.stringify(`sip:${self.host}:${self.ports.udp}`)}`,
          `PEER_IP=${peer.host}`,
          `PEER_UDP_PORT=${peer.ports.udp}`,
          `PEER_SIP_URI=${JSON.stringify(`sip:${peer.host}:${peer.ports.udp}`)}`,
        ],
      });
    const started = await Promise.allSettled([node(a, b), node(b, a)]);
    const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = started.find((result) => result.status === 'rejected');
    if (!failed) return { nodes, stop: async () => void (await Promise.all(nodes.map((n) => n.stop()))) };
    await Promise.all(nodes.map((n) => n.stop()));
    if (attempt >= 3 || !/Address already in use/.test(String(failed.reason))) throw failed.reason;
  }
}

/** Fails early, with the fix, when the Debian packages are missing. */
function checkInstalled() {
  if (!existsSync(KAMAILIO_BINARY)) {
    throw new Error(
      `Kamailio not found at ${KAMAILIO_BINARY}: run \`npm run system-deps\` (Debian packages kamailio, kamailio-websocket-modules, kamailio-tls-modules)`,
    );
  }
}

/** Debian's db_text tables, of which pua needs two at start (kamailio.cfg, PUA_DB_URL). */
const DBTEXT_TABLES = '/usr/share/kamailio/dbtext/kamailio';

/**
 * The presence server of kamailio.cfg (WITH_PRESENCE: presence, presence_xml,
 * presence_dialoginfo, presence_mwi, pua, pua_dialoginfo), with pua's db_text tables copied to
 * the run dir (Debian package kamailio-presence-modules).
 */
function presenceDefines(runDir, ports) {
  const dir = join(runDir, 'dbtext');
  mkdirSync(dir, { recursive: true });
  for (const table of ['pua', 'version']) copyFileSync(join(DBTEXT_TABLES, table), join(dir, table));
  return [
    'WITH_PRESENCE',
    `PUA_DB_URL=${JSON.stringify(`text://${dir}`)}`,
    `SELF_SIP_URI=${JSON.stringify(`sip:${HOST}:${ports.udp}`)}`,
  ];
}

async function freePorts() {
  const [ws, wss] = await Promise.all([freeTcpPort(), freeTcpPort()]);
  return { ws, wss, udp: await freeUdpPort() };
}

class KamailioInstance {
  constructor(options) {
    this.options = options;
    // start(), stop() and restart() run one at a time, in call order.
    this.queue = Promise.resolve();
    this.ports = options.ports;
    this.host = options.host ?? HOST;
    this.runDir = options.runDir;
    this.logFile = join(this.runDir, 'kamailio.log');
    this.child = undefined;
    this.exited = undefined;
  }

  get running() {
    return this.child !== undefined;
  }

  args() {
    const { ports, certFile, keyFile, authAlgorithm, debug, defines = [], sharedMemoryMb } = this.options;
    const define = (name, value) => ['-A', value === undefined ? name : `${name}=${value}`];
    return [
      '-DD',
      '-E',
      '-f',
      this.options.config ?? KAMAILIO_CONFIG,
      '-Y',
      this.runDir,
      '-P',
      join(this.runDir, 'kamailio.pid'),
      ...(sharedMemoryMb ? ['-m', String(sharedMemoryMb)] : []),
      ...(this.host !== HOST ? define('LISTEN_IP', this.host) : []),
      ...define('WS_PORT', ports.ws),
      ...define('WSS_PORT', ports.wss),
      ...define('UDP_PORT', ports.udp),
      ...define('TLS_CERT', JSON.stringify(certFile)),
      ...define('TLS_KEY', JSON.stringify(keyFile)),
      ...(authAlgorithm ? define('AUTH_ALGORITHM', JSON.stringify(authAlgorithm)) : []),
      ...(debug ? define('WITH_DEBUG') : []),
      ...defines.flatMap((entry) => ['-A', entry]),
    ];
  }

  async start() {
    if (this.child) return;
    const log = openSync(this.logFile, 'a');
    const command = SETPRIV ? [SETPRIV, '--pdeathsig', 'TERM', KAMAILIO_BINARY] : [KAMAILIO_BINARY];
    let child;
    try {
      // detached: its own process group, so a forced stop reaches every Kamailio child process.
      child = spawn(command[0], [...command.slice(1), ...this.args()], { detached: true, stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      // Could not be started at all (no 'exit' follows then).
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
    }).then((outcome) => {
      running.delete(this);
      if (this.child === child) this.child = undefined;
      // Had the main process died on its own, a child could still hold a port start() needs.
      signalGroup(child.pid, 'SIGKILL');
      return outcome;
    });
    // A forgotten server must not keep Node alive; the 'exit' handler above ends it.
    child.unref();
    running.add(this);

    try {
      await this.waitReady(this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Ready means the WebSocket handshake succeeds on both WS and WSS. */
  async waitReady(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    const exited = this.exited.then((result) => ({ exited: result }));
    for (const url of [this.wsUrl(), this.wssUrl()]) {
      for (;;) {
        const outcome = await Promise.race([tryHandshake(url), exited]);
        if (outcome === true) break;
        if (outcome.exited) {
          const { code, signal, error } = outcome.exited;
          throw this.failure(`Kamailio exited during start (${error?.message ?? signal ?? `code ${code}`})`);
        }
        if (Date.now() > deadline)
          throw this.failure(
            `Kamailio did not accept a WebSocket handshake on ${url} within ${timeoutMs} ms (${outcome.message})`,
          );
        await delay(50);
      }
    }
  }

  failure(message) {
    return new Error(`${message}.\nLog ${this.logFile}, last lines:\n${this.logTail(25)}`);
  }

  /** Whether the last failed start was a port taken by someone else. */
  portClash() {
    return /Address already in use/.test(this.logTail(50));
  }

  logTail(lines = 40) {
    return logTail(this.logFile, lines);
  }

  /** SIGTERM, then SIGKILL to the whole process group after a grace period. */
  async stop() {
    const child = this.child;
    if (!child) return;
    // Keep Node alive until Kamailio is really gone.
    child.ref();
    const graceMs = this.options.stopGraceMs ?? STOP_GRACE_MS;
    signalGroup(child.pid, 'SIGTERM', true);
    const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    // The main process is gone; its children normally went first, but never leave one holding a
    // port that restart() needs.
    await waitGroupGone(child.pid, graceMs);
  }

  killGroupNow() {
    if (this.child) signalGroup(this.child.pid, 'SIGKILL');
  }

  wsUrl() {
    return `ws://${this.host}:${this.ports.ws}`;
  }

  wssUrl() {
    return `wss://${this.host}:${this.ports.wss}`;
  }

  serial(operation) {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => {});
    return result;
  }

  /** The object handed to tests. */
  api() {
    const api = {
      host: this.host,
      wsUrl: this.wsUrl(),
      wssUrl: this.wssUrl(),
      wsPort: this.ports.ws,
      wssPort: this.ports.wss,
      udpPort: this.ports.udp,
      domain: KAMAILIO_DOMAIN,
      users: KAMAILIO_USERS,
      runDir: this.runDir,
      logFile: this.logFile,
      certFile: this.options.certFile,
      start: () => this.serial(() => this.start()),
      restart: () =>
        this.serial(async () => {
          await this.stop();
          await this.start();
        }),
      stop: () => this.serial(() => this.stop()),
      logTail: (lines) => this.logTail(lines),
    };
    return Object.defineProperties(api, {
      running: { enumerable: true, get: () => this.running },
      pid: { enumerable: true, get: () => this.child?.pid },
    });
  }
}

/** Resolves true on a completed handshake, or an Error saying why not. */
function tryHandshake(url) {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'sip', { rejectUnauthorized: false, handshakeTimeout: 2000 });
    socket.once('open', () => {
      socket.terminate();
      resolve(true);
    });
    socket.once('error', (error) => {
      socket.terminate();
      resolve(error);
    });
  });
}

function signalGroup(pid, signal, leaderOnly = false) {
  try {
    process.kill(leaderOnly ? pid : -pid, signal);
  } catch {
    // Already gone.
  }
}

async function waitGroupGone(pgid, graceMs) {
  const deadline = Date.now() + graceMs;
  while (groupMembers(pgid).length > 0) {
    if (Date.now() > deadline) {
      signalGroup(pgid, 'SIGKILL');
      await delay(100);
      const survivors = groupMembers(pgid);
      if (survivors.length === 0) return;
      throw new Error(`Kamailio processes ${survivors.join(', ')} survived SIGKILL`);
    }
    await delay(20);
  }
}

/**
 * Live processes of a process group, from /proc. Zombies do not count: killed children are
 * reparented to PID 1, which may reap them late, yet they hold no port any more.
 */
function groupMembers(pgid) {
  const members = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
  }
  return members;
}
