// What every launcher of a local service for the tests needs (tools/kamailio, tools/coturn,
// tools/sipd, tools/webkit, tools/media-relay, tools/test-certificate.mjs): free loopback ports, a
// run directory under <repo>/.tmp, a throwaway certificate, the tail of a log, a pause. Plain ESM
// so that both the Node tests (through tsx) and the web-test-runner plugins can import it.
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const HOST = '127.0.0.1';

/** A TCP port on the loopback that nothing listens on right now. */
export function freeTcpPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A UDP port on the loopback that nothing is bound to right now. */
export function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, HOST, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** A port free for both TCP and UDP (coturn and baresip bind both on one port). */
export async function freeUdpAndTcpPort() {
  for (;;) {
    const port = await freeTcpPort();
    const free = await new Promise((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, HOST, () => socket.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** A fresh directory <parent>/run-XXXXXX, the parent being <repo>/.tmp/<name> unless given. */
export function makeRunDir(name, parent = join(ROOT, '.tmp', name)) {
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, 'run-'));
}

/**
 * A self-signed certificate for 127.0.0.1 and localhost, valid for two days, written into `dir`
 * as cert.pem and key.pem. `what` names its use in the error when openssl fails.
 */
export function selfSignedCertificate(dir, what) {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { encoding: 'utf8' },
  );
  if (result.error || result.status !== 0) {
    throw new Error(`openssl could not make the ${what} certificate: ${result.error?.message ?? result.stderr}`);
  }
  return { certFile, keyFile };
}

/** The last `lines` lines of a log file, or a note that there is none. */
export function logTail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
