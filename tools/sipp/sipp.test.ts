// The SIPp launcher and its web-test-runner plugin, driven the way the runner drives them: SIPp
// runs a scenario through the plugin's Kamailio and reports its verdict with its message trace,
// a run that cannot finish is stopped, and nothing is left running.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { until } from '../test-support/until';
import { startSipp } from './sipp.mjs';
import { sippPlugin } from './wtr-plugin.mjs';

type Plugin = ReturnType<typeof sippPlugin>;
type Session = Parameters<NonNullable<Plugin['executeCommand']>>[0]['session'];
const session = { browser: { name: 'Chrome' } } as unknown as Session;

function alive(pid: number | undefined): boolean {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
}

describe('SIPp launcher', () => {
  it('stops a run that cannot finish (no one answers its INVITE), leaving no process', async () => {
    // A proxy that takes everything and answers nothing.
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    after(() => silent.close());
    const proxy = { host: '127.0.0.1', port: silent.address().port };
    const run = await startSipp({
      scenario: 'auto-answer.xml',
      proxy,
      service: 'alice',
      keys: { domain: 'x.test', autoanswer: 'Answer-Mode: Auto' },
    });
    assert.ok(alive(run.pid), 'SIPp runs');
    // Until it has sent its INVITE a second time (UDP retransmission, 500 ms): it is stuck waiting.
    const trace = join(run.runDir, 'messages.log');
    await until(
      'the INVITE sent twice',
      () => existsSync(trace) && readFileSync(trace, 'utf8').split('INVITE sip:').length > 2,
    );
    await run.stop();
    const result = await run.done;
    assert.equal(result.code, -1, 'stopped, not passed');
    assert.match(result.messages, /^INVITE sip:alice@x\.test SIP\/2\.0/m, 'its trace has the INVITE it sent');
    assert.match(result.messages, /^Answer-Mode: Auto$/m, 'with the keyword given');
    assert.equal(alive(run.pid), false);
  });
});

describe('sippPlugin', () => {
  const plugin = sippPlugin();
  const command = (payload: Record<string, unknown>) => plugin.executeCommand?.({ command: 'sipp', payload, session });
  after(() => plugin.serverStop?.());

  it('runs a scenario through its Kamailio and reports the verdict: a user with no phone gets 480, which fails the scenario', async () => {
    const info = (await command({ action: 'info' })) as { wsUrl: string; pids: Record<string, number> };
    assert.match(info.wsUrl, /^ws:\/\/127\.0\.0\.1:\d+$/);
    const { id } = (await command({ action: 'start', scenario: 'message-in-call.xml', service: 'bob' })) as {
      id: number;
    };
    const result = (await command({ action: 'result', id })) as { code: number; messages: string; log: string };
    assert.equal(result.code, 1, 'one failed call');
    assert.match(result.messages, /^SIP\/2\.0 480 /m, 'Kamailio answered for the absent user');
    assert.match(
      result.messages,
      /^INVITE sip:bob@sip-elements\.test SIP\/2\.0/m,
      "the domain keyword is the server's",
    );
    await assert.rejects(Promise.resolve(command({ action: 'result', id })), /no run/);
    const pids = Object.values(info.pids);
    assert.equal(pids.length, 2);
    assert.ok(pids.every(alive));
    await plugin.serverStop?.();
    assert.deepEqual(pids.filter(alive), [], 'no process left behind');
  });
});
