// Starts and stops the 39peers SIP server (theintencity/p2p-sip `src/app/sipd.py`, the server the
// original sip-js web phone was shown with) for interop tests: WebSocket transport on a free loopback
// port, log in a file, no orphans. GPL and Python 2 only, so it is never part of this repository:
// it runs from `shared/servers/p2p-sip/` beside the clone (P2P_SIP_DIR overrides) with pyenv's
// Python 2.7.18 (SIPD_PYTHON overrides).
//
// The server ends its whole process when one connection is reset (an uncaught socket error in its
// single task loop): every exit the instance did not ask for is kept as `died` and reported by
// every later call, with the log's last lines, instead of showing up as a refused connection.
// Plain ESM for Node tests (through tsx) and the web-test-runner plugin; types in sipd.d.mts.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { delay, freeTcpPort, logTail, makeRunDir } from '../test-support/local-services.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const HOST = '127.0.0.1';
const PYTHON_VERSION = '2.7.18';
const STOP_GRACE_MS = 2000;
const DEFAULT_START_TIMEOUT_MS = 10000;

/** The domain sipd.py hosts (`-r`): a REGISTER from any other is refused 403. */
export const SIPD_DOMAIN = 'sipd.test';

// Every running instance, so that an exiting Node process takes its servers with it, and the run
// directories to remove then (kept with SIPD_KEEP_RUNDIR=1, or after a failed start for its log).
const running = new Set();
const runDirs = new Set();
process.on('exit', () => {
  for (const instance of running) instance.killNow();
  for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
});

// setpriv (util-linux) makes the kernel end sipd.py when Node dies in a way no 'exit' handler sees.
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/** The p2p-sip sources: P2P_SIP_DIR, else the nearest `shared/servers/p2p-sip` above the repository. */
export function findSources(env = process.env) {
  if (env.P2P_SIP_DIR) return env.P2P_SIP_DIR;
  for (let dir = dirname(ROOT.replace(/\/$/, '')); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'servers', 'p2p-sip');
    if (existsSync(join(candidate, 'src', 'app', 'sipd.py'))) return candidate;
    if (dir === dirname(dir)) return join(dirname(ROOT.replace(/\/$/, '')), 'shared', 'servers', 'p2p-sip');
  }
}

/** The Python 2.7 to run it with: SIPD_PYTHON, else pyenv's 2.7.18 under PYENV_ROOT or ~/.pyenv. */
export function findPython(env = process.env) {
  if (env.SIPD_PYTHON) return env.SIPD_PYTHON;
  const pyenvRoot = env.PYENV_ROOT ?? join(homedir(), '.pyenv');
  return join(pyenvRoot, 'versions', PYTHON_VERSION, 'bin', 'python2.7');
}

/** One line saying what is missing and how to get it, or undefined when sipd.py can run. */
export function missingPrerequisite(env = process.env) {
  const python = findPython(env);
  if (!existsSync(python)) {
    return `sipd.py needs Python ${PYTHON_VERSION} from pyenv, not found at ${python} (pyenv install ${PYTHON_VERSION}, or set SIPD_PYTHON)`;
  }
  const sources = findSources(env);
  if (!existsSync(join(sources, 'src', 'app', 'sipd.py'))) {
    return `sipd.py not found under ${sources} (the p2p-sip sources belong in shared/servers/p2p-sip beside the clone, or set P2P_SIP_DIR)`;
  }
  return undefined;
}

/** Starts sipd.py on a free loopback port; resolves once it answers a WebSocket handshake. */
export async function startSipd(options = {}) {
  const missing = missingPrerequisite(options.env);
  if (missing) throw new Error(missing);
  const runDir = makeRunDir('sipd', options.runDir);
  const keep = options.keepRunDir ?? process.env.SIPD_KEEP_RUNDIR === '1';
  if (!keep) runDirs.add(runDir);
  // A port picked free may be taken before sipd.py binds it; pick again then.
  const attempts = options.port ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freeTcpPort());
    const server = new SipdInstance({ ...options, runDir, port });
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

class SipdInstance {
  constructor(options) {
    this.options = options;
    // start(), stop() and restart() run one at a time, in call order.
    this.queue = Promise.resolve();
    this.port = options.port;
    this.runDir = options.runDir;
    this.logFile = join(this.runDir, 'sipd.log');
    this.child = undefined;
    this.exited = undefined;
    /** How the last run ended when nobody asked it to stop: { code, signal, at }. */
    this.died = undefined;
  }

  get running() {
    return this.child !== undefined;
  }

  async start() {
    if (this.child) return;
    this.died = undefined;
    const env = this.options.env ?? process.env;
    const sources = findSources(env);
    const args = [
      // -B: the sources may be read-only (CI's shared/ is); never write .pyc files beside them.
      '-B',
      'app/sipd.py',
      '-t',
      'ws',
      '-l',
      `${HOST}:${this.port}`,
      '-r',
      SIPD_DOMAIN,
      ...(this.options.debug === false ? [] : ['-d']),
    ];
    const python = findPython(env);
    const command = SETPRIV ? [SETPRIV, '--pdeathsig', 'KILL', python] : [python];
    const log = openSync(this.logFile, 'a');
    let child;
    try {
      child = spawn(command[0], [...command.slice(1), ...args], {
        cwd: join(sources, 'src'),
        env: { ...env, PYTHONPATH: '.:external:std:app', PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
        stdio: ['ignore', log, log],
      });
    } finally {
      closeSync(log);
    }
    this.child = child;
    this.stopping = false;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
    }).then((outcome) => {
      running.delete(this);
      if (this.child === child) this.child = undefined;
      if (!this.stopping) this.died = { ...outcome, at: new Date().toISOString() };
      return outcome;
    });
    child.unref();
    running.add(this);
    try {
      await this.waitReady(this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Ready means a WebSocket handshake for subprotocol "sip" gets its 101. */
  async waitReady(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    const exited = this.exited.then((result) => ({ exited: result }));
    for (;;) {
      const outcome = await Promise.race([handshake(HOST, this.port), exited]);
      if (outcome === true) return;
      if (outcome.exited) {
        const { code, signal, error } = outcome.exited;
        throw this.failure(`sipd.py exited during start (${error?.message ?? signal ?? `code ${code}`})`);
      }
      if (Date.now() > deadline)
        throw this.failure(
          `sipd.py did not answer a WebSocket handshake on ${this.wsUrl()} within ${timeoutMs} ms (${outcome.message})`,
        );
      await delay(50);
    }
  }

  /** Throws, saying how and when, if the server died since it was last started. */
  checkAlive() {
    if (!this.died) return;
    const { code, signal, error, at } = this.died;
    throw this.failure(
      `sipd.py on ${this.wsUrl()} died at ${at} (${error?.message ?? signal ?? `exit code ${code}`}); it exits on a TCP reset of any connection. Restart it (action 'restart') if a test needs it fresh`,
    );
  }

  failure(message) {
    return new Error(`${message}.\nLog ${this.logFile}, last lines:\n${this.logTail(20)}`);
  }

  portClash() {
    return /Address already in use/.test(this.logTail(30));
  }

  logTail(lines = 40) {
    return logTail(this.logFile, lines);
  }

  /** SIGTERM, SIGKILL after a grace period: sipd.py is one process with no children. */
  async stop() {
    const child = this.child;
    if (!child) return;
    this.stopping = true;
    child.ref();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopGraceMs ?? STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  killNow() {
    this.child?.kill('SIGKILL');
  }

  wsUrl() {
    return `ws://${HOST}:${this.port}`;
  }

  serial(operation) {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => {});
    return result;
  }

  api() {
    const api = {
      host: HOST,
      wsUrl: this.wsUrl(),
      port: this.port,
      domain: SIPD_DOMAIN,
      runDir: this.runDir,
      logFile: this.logFile,
      start: () => this.serial(() => this.start()),
      restart: () =>
        this.serial(async () => {
          await this.stop();
          await this.start();
        }),
      stop: () => this.serial(() => this.stop()),
      checkAlive: () => this.checkAlive(),
      logTail: (lines) => this.logTail(lines),
    };
    return Object.defineProperties(api, {
      running: { enumerable: true, get: () => this.running },
      died: { enumerable: true, get: () => this.died },
      pid: { enumerable: true, get: () => this.child?.pid },
    });
  }
}

/**
 * Resolves true when a WebSocket handshake gets "101", else an Error. The connection is then
 * closed with a FIN (end), never reset (destroy with unread data): a reset kills sipd.py.
 */
function handshake(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let answer = '';
    const done = (result) => {
      socket.removeAllListeners('data');
      socket.setTimeout(0);
      // Read whatever else comes so that closing never leaves unread data (which would send a reset).
      socket.on('data', () => undefined);
      socket.end();
      resolve(result);
    };
    socket.setTimeout(2000, () => done(new Error('no answer to the handshake')));
    socket.once('error', (error) => {
      socket.destroy();
      resolve(error);
    });
    socket.once('connect', () =>
      socket.write(
        'GET / HTTP/1.1\r\nHost: ' +
          `${host}:${port}` +
          '\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n',
      ),
    );
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n\r\n'))
        done(/^HTTP\/1\.1 101 /.test(answer) ? true : new Error(`handshake answered ${answer.split('\r\n')[0]}`));
    });
  });
}
