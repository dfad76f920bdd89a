// Issue 15 item 6: the demo web server of `npm start`, through the real server. It listened on
// every interface, served the whole repository (users file, .git) to any Host, and a busy port
// ended `npm start` with an unhandled 'error' event.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startDemoServer } from './demo-server.mjs';

/** A GET with the path and Host exactly as given (fetch would normalize both). */
function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    // Bounded, so that a stuck request fails this test with its path instead of stalling the
    // whole Node run (a full run once sat here for minutes, the file's process never exiting).
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} (Host ${host}) got no answer within 10 s`)));
    req.end();
  });
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('demo web server (npm start)', () => {
  let server: Awaited<ReturnType<typeof startDemoServer>>;
  let port: number;
  before(async () => {
    server = await startDemoServer({ port: 0, hostname: '127.0.0.1' });
    port = Number(new URL(server.url).port);
  });
  after(() => server.stop());

  it('listens on its host only: another loopback address of the same machine is refused', async () => {
    assert.equal(await accepts('127.0.0.1', port), true);
    assert.equal(await accepts('127.0.0.2', port), false, 'a server on every interface would accept 127.0.0.2');
  });

  it('serves the demo, the sources it imports and their packages', async () => {
    for (const path of [
      '/demo/',
      '/demo/demo.ts',
      '/demo/react/app.ts',
      '/src/index.ts',
      '/node_modules/lit/index.js',
      '/test/e2e/harness/phone.html',
    ]) {
      assert.equal((await get(port, path)).status, 200, path);
    }
    const page = await get(port, '/');
    assert.equal(page.status, 302);
  });

  it('serves nothing else of the repository: users file, .git, package files, tools, by any spelling', async () => {
    const refused = [
      '/package.json',
      '/.git/HEAD',
      '/.git/config',
      '/tools/dev-server/users-file.ts',
      '/test/e2e/demo.test.ts',
      '/deploy/kamailio/kamailio.cfg',
      '/demo/../package.json',
      '/demo/%2e%2e/package.json',
      '/src/../.git/HEAD',
      '/demo/%2e%2e%2f..%2fpackage.json',
      '/node_modules/.package-lock.json',
      '/demo/..%5c..%5cpackage.json',
      '/%E0%A4%A',
    ];
    for (const path of refused) {
      const { status, body } = await get(port, path);
      assert.equal(status, 404, path);
      assert.doesNotMatch(body, /"name": "sip-elements"|repositoryformatversion|ref: refs/, path);
    }
  });

  it('refuses a Host that is not its own or a loopback name (DNS rebinding), with 421', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      'localhost.:1',
      '127.0.0.1@evil.example',
    ]) {
      assert.equal((await get(port, '/demo/', host)).status, 421, host);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, '127.0.0.1']) {
      assert.equal((await get(port, '/demo/', host)).status, 200, host);
    }
  });

  it('rejects with a one-line reason when its port is busy, instead of an unhandled error event', async () => {
    await assert.rejects(startDemoServer({ port, hostname: '127.0.0.1' }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'EADDRINUSE');
      assert.equal(error.message, `demo web server: port ${port} on 127.0.0.1 is in use`);
      return true;
    });
    assert.equal((await get(port, '/demo/')).status, 200, 'the first server still serves');
  });
});
