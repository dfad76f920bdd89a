// The sipd.py launcher (tools/sipd/sipd.mjs): a free loopback port, a log file, a stop that ends the
// process, the death on a TCP reset noticed and reported, the missing Python said in one line; and
// our stack registering and sending MESSAGE through it, which needs the Via rport (RFC 3581).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { WebSocketTransport } from '../../src/stack/transport/websocket-transport';
import type { WebSocketConstructor } from '../../src/stack/transport/websocket-like';
import { UserAgent, type IncomingMessage } from '../../src/stack/ua/user-agent';
import { missingPrerequisite, startSipd, type SipdServer } from './sipd.mjs';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, test: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * One of our user agents on the server, with short transaction timers so that a lost response fails
 * fast, and a short wait for the closing handshake, which sipd.py never answers.
 */
function agent(server: SipdServer, user: string): UserAgent {
  return new UserAgent({
    aor: `sip:${user}@${server.domain}`,
    transport: new WebSocketTransport({
      url: server.wsUrl,
      webSocket: WebSocket as unknown as WebSocketConstructor,
      keepAlive: false,
      closeTimeoutMs: 100,
    }),
    timers: { t1: 50 },
  });
}

describe('sipd.py launcher', () => {
  let server: SipdServer;
  before(async () => {
    server = await startSipd();
  });
  after(() => server?.stop());

  it('runs on a free loopback port with a log file, and our stack registers and exchanges MESSAGE through it', async () => {
    assert.match(server.wsUrl, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.running, true);
    assert.ok(existsSync(server.logFile));
    assert.match(readFileSync(server.logFile, 'utf8'), /starting agent on 127\.0\.0\.1:\d+ with transport ws/);
    const [alice, bob] = [agent(server, 'alice'), agent(server, 'bob')];
    try {
      await Promise.all([alice.start(), bob.start()]);
      // Without rport sipd.py answers to <name>.invalid:5060 ("no existing connection") and the
      // REGISTER times out as 408.
      for (const ua of [alice, bob]) assert.equal((await ua.register()).response.status, 200);
      const received = new Promise<IncomingMessage>((resolve) => bob.events.on('message', resolve));
      assert.equal((await alice.sendMessage('bob', 'über sipd.py')).status, 200);
      assert.equal((await received).body, 'über sipd.py');
    } finally {
      await Promise.all([alice.stop(), bob.stop()]);
    }
    assert.equal(server.running, true, 'closing our WebSockets did not end it');
    assert.doesNotThrow(() => server.checkAlive());
  });

  it('notices that a TCP reset ended sipd.py, says so with the log, and restarts it on the same URL', async () => {
    const { wsUrl, pid } = server;
    const socket = connect({ host: server.host, port: server.port });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.resetAndDestroy();
    await until('sipd.py to exit', () => !server.running);
    assert.equal(alive(pid!), false);
    assert.equal(server.died?.code, 1);
    assert.throws(
      () => server.checkAlive(),
      (error: Error) =>
        /died at .*exits on a TCP reset/.test(error.message) && /Connection reset by peer/.test(error.message),
    );
    await server.restart();
    assert.equal(server.wsUrl, wsUrl);
    assert.equal(server.died, undefined);
    assert.doesNotThrow(() => server.checkAlive());
  });

  it('stop() ends the process and is not taken for a death', async () => {
    const own = await startSipd();
    const pid = own.pid!;
    await own.stop();
    assert.equal(own.running, false);
    assert.equal(alive(pid), false);
    assert.equal(own.died, undefined);
    assert.doesNotThrow(() => own.checkAlive());
  });

  it('says in one line that pyenv Python 2.7.18 is missing, and does not start', async () => {
    const env = { ...process.env, PYENV_ROOT: '/nonexistent-pyenv' };
    const message = missingPrerequisite(env)!;
    assert.match(
      message,
      /^sipd\.py needs Python 2\.7\.18 from pyenv, not found at \/nonexistent-pyenv\/versions\/2\.7\.18\/bin\/python2\.7 /,
    );
    assert.doesNotMatch(message, /\n/);
    await assert.rejects(startSipd({ env }), { message });
    assert.equal(missingPrerequisite(), undefined, 'this machine has it');
  });
});
