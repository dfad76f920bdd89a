// A plain SIP phone for tests: baresip (Debian's baresip-core) over UDP on loopback, registered
// at Kamailio, sending a WAV tone (aufile), recording what it receives (sndfile dumps each call's
// decoded audio to a WAV), playing to ALSA's null device, and driven over its ctrl_tcp module
// (netstring-framed JSON commands and events).
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ChildService, HOST, delay, freeTcpPort, freeUdpAndTcpPort, makeRunDir } from './child-service.mjs';
import { toneWav } from './wav.mjs';

export const BARESIP_BINARY = process.env.BARESIP_PATH ?? '/usr/bin/baresip';
export const BARESIP_MODULES = process.env.BARESIP_MODULES ?? '/usr/lib/baresip/modules';
/** The tone baresip sends (each call plays the file from its start; a call lasts well under 60 s). */
export const BARESIP_TONE_HZ = 440;

/**
 * Starts baresip registered as `user` at the Kamailio of `sip` ({ udpPort, domain, users }) and
 * resolves once the registration succeeded.
 */
export async function startBaresip(options) {
  // A port picked free may be taken before baresip binds it: try again with others.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/.test(error.message)) throw error;
    }
  }
}

async function startOnce({ sip, user = 'carol', codecs = ['opus/48000/2', 'PCMU/8000/1'], startTimeoutMs = 10000 }) {
  const runDir = makeRunDir('baresip');
  const [sipPort, ctrlPort] = [await freeUdpAndTcpPort(), await freeTcpPort()];
  const rtpBase = 20000 + Math.floor(Math.random() * 4000) * 2;
  const toneFile = join(runDir, 'tone.wav');
  writeFileSync(toneFile, toneWav({ frequency: BARESIP_TONE_HZ, seconds: 60, sampleRate: 48000 }));
  const config = [
    'poll_method epoll',
    `sip_listen ${HOST}:${sipPort}`,
    `net_interface ${HOST}`,
    `rtp_ports ${rtpBase}-${rtpBase + 99}`,
    `audio_source aufile,${toneFile}`,
    'audio_player alsa,null',
    'audio_alert alsa,null',
    // The source's format; baresip resamples and converts channels for each codec (Opus is 48 kHz
    // stereo on the wire, PCMU 8 kHz mono).
    'ausrc_srate 48000',
    'ausrc_channels 1',
    `module_path ${BARESIP_MODULES}`,
    ...['g711', 'opus', 'aufile', 'alsa', 'sndfile'].map((name) => `module ${name}.so`),
    ...['account', 'menu', 'ctrl_tcp'].map((name) => `module_app ${name}.so`),
    `ctrl_tcp_listen ${HOST}:${ctrlPort}`,
    `snd_path ${runDir}`,
    // The incoming call must wait for our "accept", and no file tones (ringback, busy).
    'menu_bell no',
    '',
  ].join('\n');
  writeFileSync(join(runDir, 'config'), config);
  const password = sip.users[user].password;
  const account =
    `<sip:${user}@${sip.domain};transport=udp>;auth_pass=${password};outbound="sip:${HOST}:${sip.udpPort};transport=udp"` +
    `;regint=600;answermode=manual;audio_codecs=${codecs.join(',')}\n`;
  writeFileSync(join(runDir, 'accounts'), account);

  const logFile = join(runDir, 'baresip.log');
  const service = new ChildService({
    name: 'baresip',
    binary: BARESIP_BINARY,
    logFile,
    args: ['-f', runDir, '-v'],
    cwd: runDir,
  });
  service.start();
  try {
    const control = await service.whileRunning(connectControl(ctrlPort, startTimeoutMs));
    const phone = new PlainPhone({ service, control, runDir, logFile, user, sip });
    await service.whileRunning(phone.registered(startTimeoutMs));
    return phone;
  } catch (error) {
    await service.stop();
    throw error;
  }
}

async function connectControl(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const socket = await new Promise((resolve) => {
      const attempt = connect(port, HOST);
      attempt.once('connect', () => resolve(attempt));
      attempt.once('error', () => resolve(undefined));
    });
    if (socket) return socket;
    if (Date.now() > deadline) throw new Error(`baresip's ctrl_tcp did not accept a connection on ${HOST}:${port}`);
    await delay(50);
  }
}

/** baresip seen through ctrl_tcp: commands, and every event kept in order. */
class PlainPhone {
  constructor({ service, control, runDir, logFile, user, sip }) {
    this.service = service;
    this.control = control;
    this.runDir = runDir;
    this.logFile = logFile;
    this.user = user;
    this.aor = `sip:${user}@${sip.domain}`;
    this.events = [];
    this.waiters = new Set();
    this.pending = new Map();
    this.token = 0;
    this.buffer = Buffer.alloc(0);
    control.on('data', (chunk) => this.#receive(chunk));
  }

  /** Runs a menu command ("dial sip:...", "accept", "hold", ...) and resolves to its output. */
  command(line) {
    const [command, ...rest] = line.split(' ');
    const token = String(++this.token);
    const json = JSON.stringify({ command, params: rest.join(' '), token });
    this.control.write(`${Buffer.byteLength(json)}:${json},`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new Error(`baresip: no response to "${line}"`));
      }, 5000);
      this.pending.set(token, (response) => {
        clearTimeout(timer);
        if (response.ok) resolve(response.data ?? '');
        else reject(new Error(`baresip: "${line}" failed: ${response.data ?? ''}`));
      });
    });
  }

  /** Resolves once the account is registered (the REGISTER_OK event may precede our connection). */
  async registered(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await this.command('reginfo');
      // "> sip:carol@sip-elements.test   OK   Expires 600s" (with color codes around OK).
      // eslint-disable-next-line no-control-regex
      if (/\bOK\b/.test(info.replace(/\u001b\[[0-9;]*m/g, ''))) return;
      if (Date.now() > deadline) throw new Error(`baresip did not register within ${timeoutMs} ms`);
      await delay(100);
    }
  }

  /** Resolves to the first event (past or future) for which `match` is true. */
  waitFor(match, timeoutMs = 10000, what = 'event') {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = (event) => {
        if (!match(event)) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new Error(`baresip: no ${what} within ${timeoutMs} ms; events: ${this.events.map((e) => e.type).join(', ')}`),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Forgets the events so far (between tests). */
  clearEvents() {
    this.events = [];
  }

  get pid() {
    return this.service.child?.pid;
  }

  logTail(lines) {
    return this.service.logTail(lines);
  }

  async stop() {
    this.control.destroy();
    await this.service.stop();
  }

  #receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.buffer.toString('ascii', 0, colon));
      if (this.buffer.length < colon + 1 + length + 1) return;
      const message = JSON.parse(this.buffer.toString('utf8', colon + 1, colon + 1 + length));
      this.buffer = this.buffer.subarray(colon + 1 + length + 1);
      if (message.response) {
        this.pending.get(message.token)?.(message);
        this.pending.delete(message.token);
      } else if (message.event) {
        this.events.push(message);
        for (const waiter of [...this.waiters]) waiter(message);
      }
    }
  }
}
