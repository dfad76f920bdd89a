// Runs SIPp (Debian's sip-tester) for interop tests: one scenario, one call, as a PBX would place
// it, on a free loopback UDP port, through a proxy (Kamailio) to the phones registered there.
// Each run is its own process group with a kernel SIGTERM if Node dies (setpriv --pdeathsig), is
// killed when its time is up or Node exits, and leaves its message trace in its run directory
// (removed when Node exits, unless SIPP_KEEP_RUNDIR=1). Plain ESM, for the web-test-runner plugin
// and Node tests alike; the scenarios are in ./scenarios.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChildService, HOST, freeUdpPort, makeRunDir } from '../media-relay/child-service.mjs';

export const SIPP_BINARY = process.env.SIPP_PATH ?? '/usr/bin/sipp';
export const SCENARIOS = new URL('./scenarios/', import.meta.url).pathname;

/**
 * Starts `scenario` (a file name in ./scenarios) calling `service` (a user) at the proxy, with
 * `keys` as SIPp keywords ([name] in the scenario). Returns at once; `done` settles when SIPp
 * exits: { code (0: the scenario passed), messages (its trace), errors (unexpected messages) }.
 */
export async function startSipp({ scenario, proxy, service, keys = {}, timeoutMs = 60000 }) {
  const file = join(SCENARIOS, scenario);
  if (!existsSync(file)) throw new Error(`no SIPp scenario ${scenario}`);
  const runDir = makeRunDir('sipp', process.env.SIPP_KEEP_RUNDIR === '1');
  const port = await freeUdpPort();
  // SIPp binds an RTP echo port (6000 unless told): one of its own, so that runs side by side do not clash.
  const mediaPort = await freeUdpPort();
  const messages = join(runDir, 'messages.log');
  const errors = join(runDir, 'errors.log');
  const sipp = new ChildService({
    name: 'sipp',
    binary: SIPP_BINARY,
    logFile: join(runDir, 'sipp.log'),
    cwd: runDir,
    args: [
      '-sf',
      file,
      '-i',
      HOST,
      '-p',
      String(port),
      '-mp',
      String(mediaPort),
      '-t',
      'u1',
      '-s',
      service,
      '-m',
      '1',
      '-nostdin',
      // No statistics screen on stdout: the log holds only what went wrong.
      '-trace_msg',
      '-message_file',
      messages,
      '-trace_err',
      '-error_file',
      errors,
      '-timeout',
      `${Math.ceil(timeoutMs / 1000)}s`,
      '-timeout_error',
      ...Object.entries(keys).flatMap(([name, value]) => ['-key', name, String(value)]),
      `${proxy.host}:${proxy.port}`,
    ],
  });
  sipp.start();
  // A run is awaited for its verdict (and ends by its own -timeout): it keeps Node alive meanwhile.
  sipp.child?.ref();
  let stopped = false;
  const done = sipp.exited.then(({ code, signal, error }) => ({
    // SIPp stopped by a signal exits 0 when no call has failed yet: that is no pass.
    code: stopped ? -1 : (code ?? -1),
    signal: signal ?? undefined,
    error: error?.message,
    messages: read(messages),
    errors: read(errors),
    log: sipp.logTail(30),
  }));
  const stop = () => {
    stopped = true;
    return sipp.stop();
  };
  return { pid: sipp.child?.pid, port, runDir, done, stop };
}

function read(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
