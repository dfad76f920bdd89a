// The sipd web-test-runner plugin, driven the way the runner drives it: executeCommand from a
// browser's session, serverStop. Browser pages reach the same code through
// executeServerCommand('sipd', ...).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { sipdPlugin, type SipdCommand, type SipdInfo } from './wtr-plugin.mjs';

type Plugin = ReturnType<typeof sipdPlugin>;
type Session = Parameters<NonNullable<Plugin['executeCommand']>>[0]['session'];
const session = (browser: string) => ({ browser: { name: browser } }) as unknown as Session;

/** Opens a TCP connection to the server and resets it: what ends sipd.py. */
async function reset(wsUrl: string): Promise<void> {
  const { hostname, port } = new URL(wsUrl);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.resetAndDestroy();
}

describe('sipdPlugin', () => {
  const plugin = sipdPlugin();
  const run = async (browser: string, payload: SipdCommand) =>
    (await plugin.executeCommand?.({ command: 'sipd', payload, session: session(browser) })) as SipdInfo;
  after(() => plugin.serverStop?.());

  it('starts a server per browser on its first command', async () => {
    const [chrome, firefox] = await Promise.all([run('Chrome', {}), run('Firefox', { action: 'info' })]);
    assert.equal(chrome.instance, 'Chrome');
    assert.notEqual(chrome.wsUrl, firefox.wsUrl);
    assert.equal(chrome.running, true);
    assert.equal(chrome.domain, 'sipd.test');
    assert.deepEqual(JSON.parse(JSON.stringify(chrome)), chrome);
  });

  it("fails 'info' on a browser's dead server with why, leaves the other browser's alone, and 'restart' revives it", async () => {
    const chrome = await run('Chrome', {});
    await reset(chrome.wsUrl);
    let failure: Error | undefined;
    for (let i = 0; i < 100 && !failure; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      failure = await run('Chrome', {}).then(
        () => undefined,
        (error: Error) => error,
      );
    }
    assert.match(failure?.message ?? '', /^sipd\.py on ws:\/\/127\.0\.0\.1:\d+ died at .*TCP reset/);
    assert.equal((await run('Firefox', {})).running, true);
    const revived = await run('Chrome', { action: 'restart' });
    assert.equal(revived.wsUrl, chrome.wsUrl);
    assert.equal((await run('Chrome', {})).running, true);
  });

  it('reports in serverStop a server that died after its last command', async () => {
    const own = sipdPlugin();
    const info = async () =>
      (await own.executeCommand?.({ command: 'sipd', payload: {}, session: session('Chrome') })) as SipdInfo;
    await reset((await info()).wsUrl);
    // Until 'info' fails: the exit has been seen.
    for (let i = 0; i < 100; i++) {
      if (
        await info().then(
          () => false,
          () => true,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      await own.serverStop?.();
    } finally {
      console.warn = warn;
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^sipd \(Chrome\): sipd\.py on ws:\/\/127\.0\.0\.1:\d+ died at .*TCP reset/);
  });

  it('refuses an unknown action and ignores other commands', async () => {
    await assert.rejects(run('Chrome', { action: 'reload' as never }), /unknown action "reload"/);
    assert.equal(
      await plugin.executeCommand?.({ command: 'kamailio', payload: {}, session: session('Chrome') }),
      undefined,
    );
  });
});
