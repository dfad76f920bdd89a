// Starts rtpengine (Debian's rtpengine-daemon) in userspace for tests: no kernel module
// (--table=-1), no root, media ports and the ng control port on loopback, log in a file.
// Kamailio's rtpengine module talks to it over the ng protocol (bencoded dictionaries over UDP).
// RTPENGINE_DEBUG=1 logs every SDP and packet (with MEDIA_RELAY_KEEP_RUNDIR=1 to keep the log).
import { join } from 'node:path';
import { ChildService, HOST, delay, freeUdpPort, makeRunDir } from './child-service.mjs';
import { ngCommand, packetsPerLeg } from './ng-control.mjs';

export const RTPENGINE_BINARY = process.env.RTPENGINE_PATH ?? '/usr/bin/rtpengine';
/** Media ports per instance: two per stream and leg, with room for several calls. */
const PORT_SPAN = 200;

/** Starts rtpengine; resolves once it answers an ng "ping" with "pong". */
export async function startRtpengine(options = {}) {
  const runDir = options.runDir ?? makeRunDir('rtpengine');
  for (let attempt = 1; ; attempt++) {
    const ngPort = await freeUdpPort();
    // A random range in the upper ports; rtpengine skips a port another process holds.
    const portMin = 30000 + Math.floor(Math.random() * ((60000 - 30000 - PORT_SPAN) / 2)) * 2;
    const logFile = join(runDir, 'rtpengine.log');
    const service = new ChildService({
      name: 'rtpengine',
      binary: RTPENGINE_BINARY,
      logFile,
      args: [
        '--config-file=none',
        '--foreground',
        '--log-stderr',
        '--table=-1',
        `--interface=${HOST}`,
        `--listen-ng=${HOST}:${ngPort}`,
        `--port-min=${portMin}`,
        `--port-max=${portMin + PORT_SPAN - 1}`,
        `--pidfile=${join(runDir, 'rtpengine.pid')}`,
        '--num-threads=2',
        '--delete-delay=0',
        `--log-level=${options.debug || process.env.RTPENGINE_DEBUG ? 7 : 6}`,
      ],
    });
    service.start();
    try {
      await service.whileRunning(waitForPong(ngPort, options.startTimeoutMs ?? 10000));
      return {
        pid: service.child?.pid,
        host: HOST,
        ngPort,
        /** Kamailio's rtpengine_sock value. */
        socket: `udp:${HOST}:${ngPort}`,
        runDir,
        logFile,
        logTail: (lines) => service.logTail(lines),
        /** RTP packets received so far on each leg of a call: { secure, plain }. */
        packets: (callId) => packetsPerLeg(HOST, ngPort, callId),
        stop: () => service.stop(),
      };
    } catch (error) {
      await service.stop();
      if (attempt < 3 && /Address already in use/.test(service.logTail(20))) continue;
      throw error;
    }
  }
}

/** Pings until rtpengine answers: the ng protocol is "<cookie> <bencoded dictionary>". */
async function waitForPong(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ping(port)) return;
    if (Date.now() > deadline)
      throw new Error(`rtpengine did not answer an ng ping on ${HOST}:${port} within ${timeoutMs} ms`);
    await delay(100);
  }
}

async function ping(port) {
  const reply = await ngCommand(HOST, port, { command: 'ping' }, 300);
  return reply?.result === 'pong';
}
