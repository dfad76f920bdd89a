// Starts and stops WebKitGTK's WebDriver server (Debian's webkit2gtk-driver) for the browser tests:
// under xvfb-run (WebKitGTK needs a display), on a free loopback port, logs in a run directory, no
// orphans. Plain ESM for the web-test-runner config; the types are in webkit-driver.d.mts.
//
// Why a shell supervisor: xvfb-run is a dash script that leaves its Xvfb behind when it is signalled,
// and MiniBrowser's web processes outlive a killed WebKitWebDriver. So everything runs in one process
// group led by a small shell that holds a pipe from Node on its stdin. When that pipe closes -- stop()
// closes it, and the kernel closes it when Node exits however it dies, SIGKILL included -- the group
// gets SIGTERM, then SIGKILL.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';

import { join } from 'node:path';
import { delay, freeTcpPort, makeRunDir } from '../test-support/local-services.mjs';

const HOST = '127.0.0.1';
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const XVFB_RUN = '/usr/bin/xvfb-run';

const DEFAULT_START_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 5000;
// After SIGTERM, the time the group gets before SIGKILL.
const TERM_GRACE_S = 1;

// $1 port, $2 run directory. The shell waits for xvfb-run, so Node sees the driver end (a port
// taken, a crash) as the supervisor's exit. A watcher in the same group reads Node's pipe (as fd 3:
// a background job's stdin is /dev/null); at its end it signals the group, itself included, so it
// ignores TERM, which it sets in its own subshell to leave the driver's disposition alone.
const SUPERVISOR = `
exec 3<&0
xvfb-run -a -f "$2/Xauthority" -e "$2/xvfb.log" "${WEBKIT_DRIVER}" --host=${HOST} --port="$1" 3<&- &
driver=$!
(
  trap '' TERM
  cat <&3 >/dev/null
  kill -TERM 0
  sleep ${TERM_GRACE_S}
  kill -KILL 0
) &
exec 3<&-
wait "$driver"
`;

const runDirs = new Set();
process.on('exit', () => {
  for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
});

/** Fails early, with the fix, when the Debian packages are missing. */
export function checkWebKitInstalled() {
  const missing = [];
  if (!existsSync(WEBKIT_DRIVER)) missing.push(`WebKitWebDriver (${WEBKIT_DRIVER}): webkit2gtk-driver`);
  if (!existsSync(XVFB_RUN)) missing.push('xvfb-run: xvfb');
  if (missing.length > 0) throw new Error(`Not found: ${missing.join('; ')}. Run \`npm run system-deps\``);
}

/**
 * Starts WebKitWebDriver under xvfb-run on a free loopback port; resolves once it answers
 * GET /status, with { host, port, stop() }.
 */
export async function startWebKitDriver(options = {}) {
  checkWebKitInstalled();
  const runDir = makeRunDir('webkit');
  runDirs.add(runDir);
  // Another process may take the port between the pick and the driver's bind: pick again then.
  const attempts = options.port ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freeTcpPort());
    const driver = new DriverProcess(runDir, port);
    try {
      await driver.start(options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
      return { host: HOST, port, runDir, stop: () => driver.stop(), logTail: (lines) => driver.logTail(lines) };
    } catch (error) {
      await driver.stop();
      if (attempt < attempts && driver.portClash()) continue;
      throw error;
    }
  }
}

class DriverProcess {
  constructor(runDir, port) {
    this.runDir = runDir;
    this.port = port;
    this.logFile = join(runDir, `driver-${port}.log`);
  }

  async start(timeoutMs) {
    const log = openSync(this.logFile, 'a');
    try {
      // detached: the supervisor leads a process group of its own, which its `kill 0` addresses.
      this.child = spawn('/bin/sh', ['-c', SUPERVISOR, 'webkit-driver', String(this.port), this.runDir], {
        detached: true,
        stdio: ['pipe', log, log],
      });
    } finally {
      closeSync(log);
    }
    const child = this.child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
    });
    // Neither the process nor the pipe keeps Node alive: the pipe closing is the stop signal.
    child.unref();
    child.stdin.unref?.();
    child.stdin.on('error', () => {});
    await this.waitReady(timeoutMs);
  }

  async waitReady(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    const exited = this.exited.then((outcome) => ({ exited: outcome }));
    for (;;) {
      const outcome = await Promise.race([this.status(), exited]);
      if (outcome === true) return;
      if (outcome.exited) throw this.failure('WebKitWebDriver exited during start');
      if (Date.now() > deadline)
        throw this.failure(
          `WebKitWebDriver did not answer on port ${this.port} within ${timeoutMs} ms (${outcome.message})`,
        );
      await delay(100);
    }
  }

  /** true once the driver answers /status, else the Error saying why not. */
  async status() {
    try {
      const response = await fetch(`http://${HOST}:${this.port}/status`, { signal: AbortSignal.timeout(2000) });
      return response.ok ? true : new Error(`/status answered ${response.status}`);
    } catch (error) {
      return error;
    }
  }

  /** Closes the supervisor's pipe and waits until the whole group is gone. */
  async stop() {
    const child = this.child;
    if (!child || this.stopped) return;
    this.stopped = true;
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    // SIGTERM first, with time to act on it (Xvfb removes its lock files then), to all but the
    // watcher, which ignores it (its `cat` too); the watcher's own SIGKILL then finds nobody left.
    signalGroup(child.pid, 'SIGTERM');
    while (groupMembers(child.pid).some((member) => !WATCHER.includes(member.name)) && Date.now() < deadline)
      await delay(50);
    child.stdin.end();
    await Promise.race([this.exited, delay(Math.max(0, deadline - Date.now()))]);
    while (groupMembers(child.pid).length > 0) {
      if (Date.now() > deadline) {
        signalGroup(child.pid, 'SIGKILL');
        await delay(100);
        const survivors = groupMembers(child.pid);
        if (survivors.length > 0)
          throw new Error(`WebKit processes ${survivors.map((member) => member.pid).join(', ')} survived SIGKILL`);
        return;
      }
      await delay(50);
    }
  }

  failure(message) {
    return new Error(`${message}.\nLog ${this.logFile}, last lines:\n${this.logTail(25)}`);
  }

  portClash() {
    return /Address already in use|Unable to listen/i.test(this.logTail(50));
  }

  logTail(lines = 40) {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

/** The command names of the supervisor's watcher: its subshell and the `cat` reading Node's pipe. */
const WATCHER = ['sh', 'cat'];

/** Live (not zombie) processes of a process group, from /proc: { pid, name }. */
function groupMembers(pgid) {
  const members = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (Number(pgrp) === pgid && state !== 'Z') members.push({ pid: Number(entry), name });
  }
  return members;
}
