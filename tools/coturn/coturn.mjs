// Starts and stops coturn (Debian's `turnserver`) for relay tests and the call-setup bench: STUN and
// TURN on free loopback ports (UDP and TCP on one port, TLS on another), one static long-term
// user, loopback peers allowed (every peer here is on 127.0.0.1), a throwaway certificate for
// TURNS, logs in a file, no orphans. Plain ESM, like tools/kamailio/kamailio.mjs: Node tests (through
// tsx), the web-test-runner plugin and the bench import it; the types are in coturn.d.mts.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freeUdpAndTcpPort, selfSignedCertificate } from '../test-support/local-services.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
export const COTURN_BINARY = process.env.COTURN_PATH ?? '/usr/bin/turnserver';
const HOST = '127.0.0.1';
/** The long-term credential realm (RFC 8489 §9.2). */
export const COTURN_REALM = 'sip-elements.test';
const STOP_GRACE_MS = 3000;
const START_TIMEOUT_MS = 10000;

// Every running server, so that an exiting Node process takes them with it, and the run
// directories to remove then.
const running = new Set();
const runDirs = new Set();
process.on('exit', () => {
  for (const child of running) signal(child.pid, 'SIGKILL');
  for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
});

// setpriv makes the kernel send SIGTERM to coturn when Node dies in a way no 'exit' handler sees.
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/** Starts coturn on free loopback ports; resolves once UDP answers a STUN Binding and TCP and TLS accept. */
export async function startCoturn(options = {}) {
  if (!existsSync(COTURN_BINARY)) {
    throw new Error(`coturn not found at ${COTURN_BINARY}: run \`npm run system-deps\` (Debian package coturn)`);
  }
  const base = options.runDir ?? join(ROOT, '.tmp', 'coturn');
  mkdirSync(base, { recursive: true });
  const runDir = mkdtempSync(join(base, 'run-'));
  runDirs.add(runDir);
  const { certFile, keyFile } = options.tls ?? selfSignedCertificate(runDir, 'TURNS test');
  const user = { username: 'relay', credential: randomBytes(9).toString('base64url') };
  // A port picked free may be taken before coturn binds it (other tests run alongside): pick again.
  for (let attempt = 1; ; attempt++) {
    const ports = { port: await freeUdpAndTcpPort(), tlsPort: await freeUdpAndTcpPort() };
    try {
      const verbose = options.verbose ?? process.env.COTURN_VERBOSE === '1';
      return await launch({
        runDir,
        certFile,
        keyFile,
        user,
        ports,
        verbose,
        log: join(runDir, `coturn-${attempt}.log`),
      });
    } catch (error) {
      if (attempt < 3 && /bind|in use/i.test(error.message)) continue;
      runDirs.delete(runDir); // kept for its log
      throw error;
    }
  }
}

function args({ certFile, keyFile, user, ports, runDir, verbose }) {
  return [
    '-n', // no configuration file: everything is here
    '--listening-ip',
    HOST,
    '--relay-ip',
    HOST,
    '--listening-port',
    String(ports.port),
    '--tls-listening-port',
    String(ports.tlsPort),
    '--no-dtls',
    '--no-rfc5780',
    '--no-cli',
    '--no-tlsv1',
    '--no-tlsv1_1',
    '--lt-cred-mech',
    '--realm',
    COTURN_REALM,
    '--user',
    `${user.username}:${user.credential}`,
    '--userdb',
    join(runDir, 'turndb'),
    // coturn refuses 127.x peers by default (a relay into its own host); here every peer is one.
    '--allow-loopback-peers',
    '--fingerprint',
    '--no-software-attribute',
    '--cert',
    certFile,
    '--pkey',
    keyFile,
    '--pidfile',
    join(runDir, 'turnserver.pid'),
    '--log-file',
    'stdout',
    '--simple-log',
    ...(verbose ? ['--verbose'] : []),
  ];
}

async function launch(settings) {
  const log = openSync(settings.log, 'a');
  const command = SETPRIV ? [SETPRIV, '--pdeathsig', 'TERM', COTURN_BINARY] : [COTURN_BINARY];
  let child;
  try {
    child = spawn(command[0], [...command.slice(1), ...args(settings)], {
      detached: true,
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  running.add(child);
  // A forgotten server must not keep Node alive; the 'exit' handler above ends it.
  child.unref();
  const exited = new Promise((resolve) => {
    child.once('exit', (code, sig) => resolve(`exited (${sig ?? `code ${code}`})`));
    child.once('error', (error) => resolve(`could not start (${error.message})`));
  }).then((why) => {
    running.delete(child);
    return why;
  });
  const tail = () => logTail(settings.log);
  try {
    await ready(settings.ports, exited, tail);
  } catch (error) {
    await stop(child, exited);
    throw error;
  }
  return server(child, exited, settings, tail);
}

/** Ready: a STUN Binding answered over UDP, and TCP connections accepted on both ports. */
async function ready({ port, tlsPort }, exited, tail) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const checks = [() => stunBinding(port, 100), () => tcpAccepts(port), () => tcpAccepts(tlsPort)];
  for (const check of checks) {
    for (;;) {
      const outcome = await Promise.race([check(), exited]);
      if (outcome === true) break;
      if (typeof outcome === 'string' && !outcome.startsWith('no ')) throw new Error(`coturn ${outcome}.\n${tail()}`);
      if (Date.now() > deadline)
        throw new Error(`coturn not ready within ${START_TIMEOUT_MS} ms (${outcome}).\n${tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function server(child, exited, { runDir, certFile, user, ports, log }, tail) {
  const at = (scheme, port, transport) => `${scheme}:${HOST}:${port}${transport ? `?transport=${transport}` : ''}`;
  const urls = {
    stun: at('stun', ports.port),
    turnUdp: at('turn', ports.port, 'udp'),
    turnTcp: at('turn', ports.port, 'tcp'),
    // RFC 7065: turns: is TURN over TLS over TCP. By name: Firefox refuses a turns: URL with an IP
    // address ("TLS requires FQDN, not IP address" in its log) and never connects.
    turns: `turns:localhost:${ports.tlsPort}?transport=tcp`,
  };
  return {
    host: HOST,
    port: ports.port,
    tlsPort: ports.tlsPort,
    realm: COTURN_REALM,
    username: user.username,
    credential: user.credential,
    urls,
    /** One RTCIceServer for the given URLs, with the long-term credentials. */
    iceServer: (...names) => ({
      urls: names.map((name) => urls[name]),
      username: user.username,
      credential: user.credential,
    }),
    runDir,
    logFile: log,
    certFile,
    get running() {
      return running.has(child);
    },
    pid: child.pid,
    logTail: tail,
    stop: () => stop(child, exited),
  };
}

async function stop(child, exited) {
  if (!running.has(child)) return;
  child.ref();
  signal(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signal(child.pid, 'SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** coturn is one process (threads, no children); its group holds setpriv's exec of it only. */
function signal(pid, name) {
  try {
    process.kill(-pid, name);
  } catch {
    // Already gone.
  }
}

function logTail(file, lines = 25) {
  try {
    return `Log ${file}, last lines:\n${readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')}`;
  } catch {
    return `(no log at ${file})`;
  }
}

/** Resolves true when a STUN Binding request (RFC 8489 §6) over UDP is answered with a success. */
export function stunBinding(port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const transaction = randomBytes(12);
    // Type 0x0001 Binding request, length 0, magic cookie 0x2112A442, transaction id.
    const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), transaction]);
    const done = (result) => {
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => done('no STUN answer'), timeoutMs);
    socket.on('message', (message) => {
      if (message.readUInt16BE(0) === 0x0101 && message.subarray(8, 20).equals(transaction)) done(true);
    });
    socket.once('error', (error) => done(`no STUN answer (${error.message})`));
    socket.send(request, port, HOST);
  });
}

function tcpAccepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error) => resolve(`no TCP listener on ${port} (${error.message})`));
  });
}
