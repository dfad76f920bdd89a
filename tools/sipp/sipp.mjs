// Runs SIPp (Debian's sip-tester) for a test: one scenario from test/fixtures/sipp/ against a
// SIP server on the loopback, on a free UDP port, its messages and errors logged in a run
// directory; resolves with how it ended. No orphans: SIPp gets SIGTERM when Node dies
// (setpriv --pdeathsig), is killed when Node exits, and `stop()` ends a scenario still running.
// Plain ESM so that Node tests (through tsx) can import it; the types are in sipp.d.mts.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HOST, ROOT, freeUdpPort, logTail, makeRunDir } from '../test-support/local-services.mjs';

export const SIPP_BINARY = process.env.SIPP_PATH ?? '/usr/bin/sipp';
export const SIPP_SCENARIOS = join(ROOT, 'test/fixtures/sipp');
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `scenario` (a file in test/fixtures/sipp/) as one call to `target` (host:port, UDP)
 * with SIPp's `-key` keywords ([name] in the scenario); `done` settles when SIPp exits: exit code 0 means every step of
 * the scenario happened. `timeoutMs` bounds the whole run (SIPp's -timeout).
 */
export async function runSipp({ scenario, target, variables = {}, timeoutMs = 20000 }) {
  if (!existsSync(SIPP_BINARY)) throw new Error(`SIPp not found at ${SIPP_BINARY}: run \`npm run system-deps\` (Debian package sip-tester)`);
  const runDir = makeRunDir('sipp');
  const port = await freeUdpPort();
  const messages = join(runDir, 'messages.log');
  const errors = join(runDir, 'errors.log');
  const args = [
    '-sf', join(SIPP_SCENARIOS, scenario),
    '-i', HOST, '-p', String(port), '-m', '1', '-nostdin', '-nd',
    '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, '-timeout_error',
    '-trace_msg', '-message_file', messages, '-trace_err', '-error_file', errors,
    ...Object.entries(variables).flatMap(([name, value]) => ['-key', name, String(value)]),
    target,
  ];
  const command = SETPRIV ? [SETPRIV, '--pdeathsig', 'TERM', SIPP_BINARY, ...args] : [SIPP_BINARY, ...args];
  const child = spawn(command[0], command.slice(1), { cwd: runDir, stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stderr, messages: logTail(messages, 200), errors: logTail(errors, 40) });
    });
    child.once('error', (error) => {
      running.delete(child);
      resolve({ code: null, signal: null, stderr: error.message, messages: '', errors: '' });
    });
  });
  return {
    port,
    done,
    /** Ends SIPp if it still runs, and removes its run directory (kept with SIPP_KEEP_RUNDIR=1). */
    async stop() {
      if (running.has(child)) child.kill('SIGTERM');
      await done;
      if (process.env.SIPP_KEEP_RUNDIR !== '1') rmSync(runDir, { recursive: true, force: true });
    },
  };
}
