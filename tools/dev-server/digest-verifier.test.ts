// The dev server's digest verifier on its own (issue 15 item 1): one request per digest (its
// Request-URI, each nonce count once), and a bounded table of nonce counts however many
// challenges are asked for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DigestAuthenticator } from '../../src/stack/auth/index';
import { FakeClock } from '../../src/stack/core/clock.fake';
import { DigestVerifier } from './digest-verifier';

const REALM = 'sip-elements.test';
const URI = 'sip:bob@sip-elements.test';
const verifier = (nonceWindow?: number) =>
  new DigestVerifier({
    realm: REALM,
    users: { alice: 'alice-secret' },
    clock: new FakeClock(1_000_000),
    nonceLifetimeMs: 300_000,
    algorithms: ['MD5'],
    nonceWindow,
  });

describe('dev server digest verifier', () => {
  it('takes nc 1, 2, 3 of one nonce once each, and no nc again', () => {
    const v = verifier();
    const auth = new DigestAuthenticator({ username: 'alice', password: 'alice-secret', realms: [REALM] });
    const first = auth.authorize({ proxyAuthenticate: v.challenges() }, { method: 'MESSAGE', uri: URI });
    assert.ok(first.ok);
    const uses = [
      first.headers[0]!.value,
      ...[1, 2].map(() => auth.preauthorize({ method: 'MESSAGE', uri: URI }).headers[0]!.value),
    ];
    for (const value of uses) assert.equal(v.verify([value], 'MESSAGE', 'alice', URI).kind, 'ok');
    for (const value of uses) assert.equal(v.verify([value], 'MESSAGE', 'alice', URI).kind, 'wrong', 'a replay');
  });

  it('keeps nonce counts for a bounded window of nonces; an older nonce is answered stale, not taken', () => {
    const v = verifier(4);
    const auth = new DigestAuthenticator({ username: 'alice', password: 'alice-secret', realms: [REALM] });
    const answer = () => {
      const outcome = auth.authorize({ proxyAuthenticate: v.challenges() }, { method: 'MESSAGE', uri: URI });
      assert.ok(outcome.ok);
      return outcome.headers[0]!.value;
    };
    const oldest = answer();
    assert.equal(v.verify([oldest], 'MESSAGE', 'alice', URI).kind, 'ok');
    for (let i = 0; i < 40; i++) assert.equal(v.verify([answer()], 'MESSAGE', 'alice', URI).kind, 'ok');
    assert.ok(v.trackedNonces <= 4.4, `the table holds ${v.trackedNonces} nonces`);
    assert.equal(
      v.verify([oldest], 'MESSAGE', 'alice', URI).kind,
      'stale',
      'forgotten, so possibly used: a new nonce instead',
    );
  });
});
