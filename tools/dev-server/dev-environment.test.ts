// What `npm start` runs, minus the install and build: the dev SIP server and the demo web server,
// started the same way, and two phone URLs whose settings really reach a working SIP server.
// demo-tabs.test.ts opens those URLs in real browsers and completes a call between them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { noopLogger } from '../../src/stack/core/logger';
import { startDevEnvironment, devEnvironmentOptionsFromEnv } from './dev-environment';
import type { DevEnvironment } from './dev-environment';
import { TestPhone } from './sip-test-client';

describe('dev environment (npm start)', () => {
  let environment: DevEnvironment;
  before(async () => {
    environment = await startDevEnvironment({ webPort: 0, sipPort: 0, logger: noopLogger });
  });
  after(() => environment.stop());

  it('serves the demo page the phone URLs point at, under its strict CSP', async () => {
    for (const url of [environment.phones.alice, environment.phones.bob]) {
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      assert.match(await page.text(), /demo\.ts/);
    }
  });

  it('gives two phones whose URL settings register and exchange a MESSAGE with no password', async () => {
    const [alice, bob] = await Promise.all(
      [environment.phones.alice, environment.phones.bob].map((url) => {
        const params = new URL(url).searchParams;
        assert.ok(params.has('register'));
        assert.equal(params.get('server'), environment.sip.url);
        assert.equal(params.get('domain'), 'sip-elements.test');
        return TestPhone.connect(params.get('server')!, params.get('user')!, params.get('domain')!);
      }),
    );
    try {
      assert.equal((await alice!.register()).status, 200);
      assert.equal((await bob!.register()).status, 200);
      const sent = alice!.client.request(
        alice!.build('MESSAGE', `sip:bob@${environment.sip.domain}`, { body: 'hi bob' }),
      );
      bob!.answer(await bob!.client.receiveRequest('MESSAGE'), 200);
      assert.equal((await sent).status, 200);
    } finally {
      alice!.client.close();
      bob!.client.close();
    }
    assert.match(environment.phoneUrl('carol'), /[?&]user=carol&.*display-name=Carol&register$/);
  });

  it('reads its settings from the environment, refusing bad ones', () => {
    const options = devEnvironmentOptionsFromEnv({
      PORT: '9000',
      SIP_PORT: '9089',
      SIP_DOMAIN: 'dev.test',
      SIP_USERS_FILE: '/tmp/u.json',
      SIP_LOG: 'warn',
    });
    assert.equal(options.webPort, 9000);
    assert.equal(options.sipPort, 9089);
    assert.equal(options.domain, 'dev.test');
    assert.equal(options.usersFile, '/tmp/u.json');
    const defaults = devEnvironmentOptionsFromEnv({});
    assert.deepEqual(
      [defaults.host, defaults.webPort, defaults.sipPort, defaults.domain, defaults.usersFile],
      ['127.0.0.1', 8000, 8089, 'sip-elements.test', undefined],
    );
    assert.throws(() => devEnvironmentOptionsFromEnv({ SIP_PORT: 'eighty' }), /SIP_PORT must be a port number/);
    assert.throws(() => devEnvironmentOptionsFromEnv({ SIP_LOG: 'loud' }), /SIP_LOG/);
  });
});
