// One foreground daemon (rtpengine, baresip) started for tests: its own process group, output in a
// log file, a kernel SIGTERM if Node dies (setpriv --pdeathsig), SIGKILL of the group on a slow
// stop or when Node exits. The same discipline as tools/kamailio/kamailio.mjs, for the services
// of the media-relay tests.
import { spawn } from 'node:child_process';

import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';

import { join } from 'node:path';
export { delay, freeTcpPort, freeUdpAndTcpPort, freeUdpPort } from '../test-support/local-services.mjs';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const HOST = '127.0.0.1';

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
const running = new Set();
const runDirs = new Set();
process.on('exit', () => {
  for (const service of running) service.killNow();
  for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh run directory under <repo>/.tmp/<name>, removed when Node exits (unless kept). */
export function makeRunDir(name, keep = process.env.MEDIA_RELAY_KEEP_RUNDIR === '1') {
  const base = join(ROOT, '.tmp', name);
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'run-'));
  if (!keep) runDirs.add(dir);
  return dir;
}

export class ChildService {
  /** @param {{ name: string, binary: string, args: string[], logFile: string, cwd?: string }} options */
  constructor(options) {
    this.options = options;
    this.child = undefined;
    this.exited = undefined;
  }

  start() {
    const { binary, args, logFile, cwd } = this.options;
    if (!existsSync(binary))
      throw new Error(`${this.options.name} not found at ${binary}: run \`npm run system-deps\``);
    const log = openSync(logFile, 'a');
    const command = SETPRIV ? [SETPRIV, '--pdeathsig', 'TERM', binary] : [binary];
    let child;
    try {
      child = spawn(command[0], [...command.slice(1), ...args], { cwd, detached: true, stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
    }).then((outcome) => {
      running.delete(this);
      this.child = undefined;
      signal(child.pid, 'SIGKILL');
      return outcome;
    });
    child.unref();
    running.add(this);
  }

  /** Rejects with the log's tail if the process exits first. */
  async whileRunning(promise) {
    const exited = this.exited.then((outcome) => {
      throw this.failure(
        `${this.options.name} exited (${outcome.error?.message ?? outcome.signal ?? `code ${outcome.code}`})`,
      );
    });
    return Promise.race([promise, exited]);
  }

  failure(message) {
    return new Error(`${message}.\nLog ${this.options.logFile}, last lines:\n${this.logTail(25)}`);
  }

  logTail(lines = 40) {
    try {
      return readFileSync(this.options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stop(graceMs = 3000) {
    const child = this.child;
    if (!child) return;
    child.ref();
    signal(child.pid, 'SIGTERM');
    const timer = setTimeout(() => signal(-child.pid, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  killNow() {
    if (this.child) signal(-this.child.pid, 'SIGKILL');
  }
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}
