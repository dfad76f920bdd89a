// The coturn launcher and its web-test-runner plugin against the real turnserver: free loopback
// ports answering STUN (UDP) and accepting TCP and TLS, URLs and credentials for RTCIceServer, a
// lazy start through the plugin, and nothing left running after stop. The browser tests
// (test/browser/calls-turn.test.ts) prove that calls are relayed through it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { describe, it } from 'node:test';
import { startCoturn, stunBinding } from './coturn.mjs';
import { turnAllocate } from './turn-allocate';
import { coturnPlugin, type CoturnInfo } from './wtr-plugin.mjs';

type Plugin = ReturnType<typeof coturnPlugin>;
type CommandArgs = Parameters<NonNullable<Plugin['executeCommand']>>[0];

/** Whether a process lives (a zombie waiting for its parent to reap it does not). */
function alive(pid: number | undefined): boolean {
  try {
    return pid !== undefined && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The TLS handshake with the TURNS port completes (certificate not checked: it is self-signed). */
function tlsHandshake(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const subject = String(socket.getPeerCertificate().subject?.CN ?? '');
      socket.destroy();
      resolve(subject);
    });
    socket.once('error', reject);
  });
}

describe('coturn launcher', () => {
  it('serves STUN, TURN and TURNS on free loopback ports and leaves nothing behind', async () => {
    const [one, two] = await Promise.all([startCoturn(), startCoturn()]);
    try {
      assert.notEqual(one.port, two.port, 'two servers side by side');
      assert.equal(await stunBinding(one.port), true);
      assert.equal(await tlsHandshake(one.tlsPort), 'localhost');
      assert.deepEqual(one.urls, {
        stun: `stun:127.0.0.1:${one.port}`,
        turnUdp: `turn:127.0.0.1:${one.port}?transport=udp`,
        turnTcp: `turn:127.0.0.1:${one.port}?transport=tcp`,
        turns: `turns:localhost:${one.tlsPort}?transport=tcp`,
      });
      assert.deepEqual(one.iceServer('turnUdp'), {
        urls: [one.urls.turnUdp],
        username: one.username,
        credential: one.credential,
      });
      assert.notEqual(one.credential, two.credential, 'a fresh credential per server');
      const relayed = await turnAllocate(one.port, one.username, one.credential);
      assert.equal(relayed.type, 0x0103, 'Allocate success with the static long-term user');
      assert.match(relayed.relayed ?? '', /^127\.0\.0\.1:\d+$/);
      assert.deepEqual(
        await turnAllocate(one.port, one.username, two.credential),
        { type: 0x0113, errorCode: 401 },
        'a wrong password is refused',
      );
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
    for (const server of [one, two]) {
      assert.equal(server.running, false);
      assert.equal(alive(server.pid), false, `turnserver ${server.pid} is gone`);
      assert.notEqual(await stunBinding(server.port, 200), true, 'its port no longer answers');
    }
  });

  it('starts one server on the first request from either browser, and stops it with the runner', async () => {
    const plugin = coturnPlugin();
    const info = (browser: string) =>
      plugin.executeCommand!({
        command: 'coturn',
        payload: { action: 'info' },
        session: { browser: { name: browser } },
      } as unknown as CommandArgs) as Promise<CoturnInfo>;
    const [chrome, firefox] = await Promise.all([info('Chrome'), info('Firefox')]);
    assert.deepEqual(firefox, chrome, 'one server for both browsers');
    const port = Number(chrome.urls.stun.split(':').at(-1));
    assert.equal(await stunBinding(port), true);
    assert.equal(chrome.realm, 'sip-elements.test');
    await plugin.serverStop!();
    assert.notEqual(await stunBinding(port, 200), true, 'stopped with the runner');
  });
});
