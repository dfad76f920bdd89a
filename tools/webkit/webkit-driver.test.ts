// tools/webkit/webkit-driver.mjs: WebKitWebDriver under xvfb-run answers on a loopback port, and
// nothing of it (Xvfb, the driver, MiniBrowser and its web processes) outlives a stop() or the Node
// process that started it, even one killed with SIGKILL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { MINIBROWSER, wantedBrowsers } from '../browsers.mjs';
import { startWebKitDriver } from './webkit-driver.mjs';

const skip = wantedBrowsers().includes('webkit') ? false : 'BROWSERS leaves WebKit out';

/** pid, process group and command name of every live process. */
function processes(): Array<{ pid: number; pgid: number; name: string }> {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') out.push({ pid: Number(entry), pgid: Number(pgrp), name });
    } catch {
      // Exited meanwhile.
    }
  }
  return out;
}

const groupOf = (pgid: number) => processes().filter((p) => p.pgid === pgid);

/** The WebKitWebDriver listening on `port`: the group it shares with Xvfb and MiniBrowser. */
function driverOn(port: number): { pid: number; pgid: number } {
  const found = processes().find(
    (p) => p.name === 'WebKitWebDriver' && readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes(`--port=${port}`),
  );
  assert.ok(found, `a WebKitWebDriver on port ${port}`);
  return found;
}

async function until(what: string, check: () => boolean, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Opens a MiniBrowser session (so there are browser processes to leave behind), returns its id. */
async function openSession(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/session`, {
    method: 'POST',
    body: JSON.stringify({
      capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } },
    }),
  });
  const body = (await response.json()) as { value: { sessionId: string; message?: string } };
  assert.ok(response.ok, `new session: ${body.value.message}`);
  return body.value.sessionId;
}

/** Holds a loopback port, as another program might. */
function holdPort(): Promise<{ port: number; close(): void }> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as AddressInfo).port, close: () => server.close() }),
    );
  });
}

describe('WebKitWebDriver under xvfb-run', { skip, timeout: 60000 }, () => {
  it('answers on a free loopback port, opens MiniBrowser, and stop() leaves no process behind', async () => {
    const driver = await startWebKitDriver();
    assert.equal(driver.host, '127.0.0.1');
    await openSession(driver.port);
    const { pgid } = driverOn(driver.port);
    const names = groupOf(pgid).map((p) => p.name);
    for (const name of ['Xvfb', 'WebKitWebDriver', 'MiniBrowser'])
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    const xvfb = groupOf(pgid).find((p) => p.name === 'Xvfb')!;
    const display = /\0:(\d+)\0/.exec(readFileSync(`/proc/${xvfb.pid}/cmdline`, 'utf8'))![1];
    assert.ok(existsSync(`/tmp/.X${display}-lock`));
    await driver.stop();
    assert.deepEqual(groupOf(pgid), []);
    // Xvfb had SIGTERM and time to act on it: it removed its lock, and the display is free again.
    assert.ok(!existsSync(`/tmp/.X${display}-lock`), `/tmp/.X${display}-lock removed`);
  });

  it("fails at once, with the driver's reason, when its port is taken, and leaves no process behind", async () => {
    const held = await holdPort();
    try {
      const started = Date.now();
      await assert.rejects(startWebKitDriver({ port: held.port }), /exited during start[\s\S]*Unable to listen/);
      assert.ok(Date.now() - started < 10000, 'not after the start timeout');
      assert.deepEqual(
        processes().filter(
          (p) =>
            p.name === 'WebKitWebDriver' &&
            readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes(`--port=${held.port}`),
        ),
        [],
      );
    } finally {
      held.close();
    }
  });

  it('leaves no process behind when the Node process that started it is killed with SIGKILL', async () => {
    const script = `
      import { startWebKitDriver } from ${JSON.stringify(new URL('./webkit-driver.mjs', import.meta.url).href)};
      const driver = await startWebKitDriver();
      console.log(driver.port, driver.runDir);
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [port, runDir] = await new Promise<[number, string]>((resolve, reject) => {
      child.stdout.once('data', (chunk) => {
        const [portText, dir] = String(chunk).trim().split(' ');
        resolve([Number(portText), dir!]);
      });
      child.once('exit', (code) => reject(new Error(`the starter exited with ${code}`)));
    });
    await openSession(port);
    const { pgid } = driverOn(port);
    assert.ok(
      groupOf(pgid).some((p) => p.name === 'MiniBrowser'),
      'MiniBrowser runs',
    );
    child.kill('SIGKILL');
    await until('every process of the WebKit group to end', () => groupOf(pgid).length === 0);
    // Only the run directory stays: its owner could not remove it.
    rmSync(runDir, { recursive: true, force: true });
  });
});
