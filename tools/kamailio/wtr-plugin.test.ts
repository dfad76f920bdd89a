// The web-test-runner plugin, driven the way the runner drives it: serverStart with the configured
// browsers, executeCommand from a browser's session, serverStop. Browser pages reach the same code
// through executeServerCommand('kamailio', ...).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { kamailioPlugin, type KamailioCommand, type KamailioInfo } from './wtr-plugin.mjs';

type Plugin = ReturnType<typeof kamailioPlugin>;
type Session = Parameters<NonNullable<Plugin['executeCommand']>>[0]['session'];
type ServerStartParams = Parameters<NonNullable<Plugin['serverStart']>>[0];
const session = (browser: string) => ({ browser: { name: browser } }) as unknown as Session;

/** Resolves to 'open' or 'refused' for a WebSocket handshake with subprotocol "sip". */
function probe(url: string): Promise<'open' | 'refused'> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'sip');
    socket.once('open', () => {
      socket.terminate();
      resolve('open');
    });
    socket.once('error', () => resolve('refused'));
  });
}

describe('kamailioPlugin', () => {
  const plugin = kamailioPlugin();
  const run = async (browser: string, payload: KamailioCommand) =>
    (await plugin.executeCommand?.({ command: 'kamailio', payload, session: session(browser) })) as KamailioInfo;

  before(async () => {
    const config = { browsers: [{ name: 'Chrome' }, { name: 'Firefox' }] };
    await plugin.serverStart?.({ config } as unknown as ServerStartParams);
  });
  after(() => plugin.serverStop?.());

  it('gives each browser its own running server with the user table', async () => {
    const chrome = await run('Chrome', { action: 'info' });
    const firefox = await run('Firefox', {});
    assert.equal(chrome.instance, 'Chrome');
    assert.equal(firefox.instance, 'Firefox');
    assert.notEqual(chrome.wsUrl, firefox.wsUrl);
    assert.equal(chrome.running, true);
    assert.equal(chrome.domain, 'sip-elements.test');
    assert.deepEqual(chrome.users.bob, { user: 'bob', password: 'bob-secret' });
    assert.equal(await probe(chrome.wsUrl), 'open');
    // The answer crosses a WebSocket to the page as JSON.
    assert.deepEqual(JSON.parse(JSON.stringify(chrome)), chrome);
  });

  it('shares a named instance between browsers, started on first use', async () => {
    const fromChrome = await run('Chrome', { instance: 'shared' });
    const fromFirefox = await run('Firefox', { instance: 'shared' });
    assert.equal(fromChrome.wsUrl, fromFirefox.wsUrl);
    assert.equal(await probe(fromChrome.wsUrl), 'open');
  });

  it("stops and starts a browser's server on the same URL, leaving the other browser's alone", async () => {
    const firefox = await run('Firefox', {});
    const stopped = await run('Chrome', { action: 'stop' });
    assert.equal(stopped.running, false);
    assert.equal(await probe(stopped.wsUrl), 'refused');
    assert.equal(await probe(firefox.wsUrl), 'open');
    const started = await run('Chrome', { action: 'start' });
    assert.equal(started.running, true);
    assert.equal(started.wsUrl, stopped.wsUrl);
    assert.equal(await probe(started.wsUrl), 'open');
  });

  it('restart closes open connections', async () => {
    const { wsUrl } = await run('Chrome', {});
    const socket = new WebSocket(wsUrl, 'sip');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const restarted = await run('Chrome', { action: 'restart' });
    await closed;
    assert.equal(restarted.wsUrl, wsUrl);
    assert.equal(await probe(wsUrl), 'open');
  });

  it('leaves other commands to other plugins and rejects unknown actions', async () => {
    assert.equal(
      await plugin.executeCommand?.({ command: 'other', payload: {}, session: session('Chrome') }),
      undefined,
    );
    await assert.rejects(run('Chrome', { action: 'reboot' as KamailioCommand['action'] }), /unknown action "reboot"/);
  });
});
