// Issue 15 items 1 and 2 at the user agent: the registrar's credentials ride on REGISTER only, and
// a far end's challenge for a realm of its choosing is not answered with a digest of the password.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { responseTo } from '../transaction/requests';
import type { SipRequest } from '../message/message';
import { challenge, REALM, setup } from './user-agent.fixtures';

/** A server that challenges the first REGISTER, accepts the rest, and hands other requests to `other`. */
function registrar(other: (request: SipRequest) => ReturnType<typeof responseTo> | undefined) {
  return (request: SipRequest) => {
    if (request.method !== 'REGISTER') return other(request);
    return request.header('Authorization') ? responseTo(request, 200, undefined, 'srv') : challenge(request);
  };
}

/** Runs the fake clock and the promise jobs until `promise` (of the user agent) can settle. */
async function settled<T>(t: ReturnType<typeof setup>, promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  await t.flush();
  return promise;
}

const credentialHeaders = (request: SipRequest) => [
  ...request.headers('Authorization'),
  ...request.headers('Proxy-Authorization'),
];

describe('user agent: where credentials go (issue 15)', () => {
  it('sends no Authorization on a MESSAGE after REGISTER was challenged, but keeps it on the refresh', async () => {
    const t = setup();
    t.serve(registrar((request) => responseTo(request, 200, undefined, 'bob')));
    await settled(t, t.ua.start());
    assert.equal((await settled(t, t.ua.register())).response.status, 200);
    assert.equal((await settled(t, t.ua.sendMessage('bob', 'hi'))).status, 200);
    const [message] = t.requests('MESSAGE');
    assert.deepEqual(credentialHeaders(message!), [], 'the MESSAGE reaches bob: it must carry none of our credentials');
    await settled(t, t.ua.register());
    assert.match(
      t.requests('REGISTER').at(-1)!.header('Authorization') ?? '',
      /nc=00000002/,
      'the registrar still gets them up front',
    );
  });

  it("does not answer a far end's 401 for a realm of its own, and reports why", async () => {
    const t = setup();
    t.serve(
      registrar((request) => {
        const response = responseTo(request, 401, undefined, 'evil');
        response.setHeader('WWW-Authenticate', 'Digest realm="evil.example", nonce="chosen-by-the-far-end"');
        return response;
      }),
    );
    await settled(t, t.ua.start());
    await settled(t, t.ua.register());
    await assert.rejects(settled(t, t.ua.sendMessage('mallory', 'hi')), (error: Error & { status?: number }) => {
      assert.equal(error.status, 401);
      assert.match(error.message, /realm "evil\.example" is not trusted/);
      return true;
    });
    const messages = t.requests('MESSAGE');
    assert.equal(messages.length, 1, 'no second MESSAGE with a digest of the password');
    assert.deepEqual(credentialHeaders(messages[0]!), []);
  });

  it("answers a 407 of the registrar's realm, and of a realm the page names in authRealms", async () => {
    const t = setup({ authRealms: ['edge.example'] });
    const proxyChallenge = (request: SipRequest, realm: string) => {
      const response = responseTo(request, 407, undefined, 'proxy');
      response.setHeader('Proxy-Authenticate', `Digest realm="${realm}", nonce="n-${realm}", qop="auth"`);
      return response;
    };
    t.serve(
      registrar((request) => {
        const target = request.to.uri.toString();
        const realm = target.startsWith('sip:bob') ? REALM : 'edge.example';
        if (!request.header('Proxy-Authorization')?.includes(`realm="${realm}"`)) return proxyChallenge(request, realm);
        return responseTo(request, 200, undefined, 'far');
      }),
    );
    await settled(t, t.ua.start());
    await settled(t, t.ua.register());
    assert.equal((await settled(t, t.ua.sendMessage('bob', 'one'))).status, 200);
    assert.equal((await settled(t, t.ua.sendMessage('carol', 'two'))).status, 200);
  });

  it('refuses MD5 and qop-less challenges when told to (refuseMd5, requireQop)', async () => {
    for (const [options, header] of [
      [{ refuseMd5: true }, `Digest realm="${REALM}", nonce="n", qop="auth", algorithm=MD5`],
      [{ requireQop: true }, `Digest realm="${REALM}", nonce="n", algorithm=SHA-256`],
    ] as const) {
      const t = setup(options);
      t.serve((request) => {
        const response = responseTo(request, 401, undefined, 'srv');
        response.setHeader('WWW-Authenticate', header);
        return response;
      });
      await settled(t, t.ua.start());
      const result = await settled(t, t.ua.register());
      assert.equal(result.response.status, 401);
      assert.match(result.authProblem ?? '', /refused/);
      assert.equal(t.requests('REGISTER').length, 1, `${JSON.stringify(options)}: the challenge was not answered`);
    }
  });
});
