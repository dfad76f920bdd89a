// Issue 15 items 1 and 2: which challenges the password answers, and where cached credentials go.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthHeader } from '../message/auth-header';
import { DigestAuthenticator } from './digest-authenticator';
import type { AuthorizationHeader, DigestAuthenticatorOptions, DigestOutcome } from './digest-authenticator';

const REGISTER = { method: 'REGISTER', uri: 'sip:example.com' };
const MESSAGE = { method: 'MESSAGE', uri: 'sip:bob@example.com' };
const challenge = (realm: string, extra = ', qop="auth"') => `Digest realm="${realm}", nonce="n-${realm}"${extra}`;
const auth = (options: Partial<DigestAuthenticatorOptions> = {}) =>
  new DigestAuthenticator({ username: 'u', password: 'p', ...options });
const realmsOf = (headers: readonly AuthorizationHeader[]) =>
  headers.map((h) => [h.name, parseAuthHeader(h.value)[0]!.params.get('realm')]);

function refused(outcome: DigestOutcome, reason: string, pattern: RegExp): void {
  assert.ok(!outcome.ok, 'the challenge must not be answered');
  assert.equal(outcome.reason, reason);
  assert.match(outcome.message, pattern);
}

describe('DigestAuthenticator: whom the password answers and where credentials go', () => {
  it("sends the registrar's Authorization up front on REGISTER only, never on other requests", () => {
    const a = auth();
    assert.ok(a.authorize({ wwwAuthenticate: [challenge('example.com')] }, REGISTER).ok);
    assert.deepEqual(realmsOf(a.preauthorize(REGISTER).headers), [['Authorization', 'example.com']]);
    assert.deepEqual(
      a.preauthorize(MESSAGE).headers,
      [],
      'a MESSAGE to anyone must not carry the registrar credentials',
    );
    assert.deepEqual(a.preauthorize({ method: 'INVITE', uri: 'sip:carol@example.com' }).headers, []);
  });

  it('sends Proxy-Authorization up front only for a realm that has sent a 407', () => {
    const a = auth();
    assert.ok(a.authorize({ wwwAuthenticate: [challenge('example.com')] }, REGISTER).ok);
    assert.deepEqual(a.preauthorize(MESSAGE).headers, []);
    assert.ok(a.authorize({ proxyAuthenticate: [challenge('example.com')] }, MESSAGE).ok);
    assert.deepEqual(realmsOf(a.preauthorize({ method: 'INVITE', uri: 'sip:carol@example.com' }).headers), [
      ['Proxy-Authorization', 'example.com'],
    ]);
  });

  it('answers a challenge to a request other than REGISTER only for a trusted realm', () => {
    const a = auth();
    refused(
      a.authorize({ wwwAuthenticate: [challenge('evil.example')] }, MESSAGE),
      'untrusted',
      /realm "evil\.example" is not trusted/,
    );
    refused(a.authorize({ proxyAuthenticate: [challenge('example.com')] }, MESSAGE), 'untrusted', /not trusted/);
    // The realm that challenged our REGISTER is the registrar's: trusted from then on.
    assert.ok(a.authorize({ wwwAuthenticate: [challenge('example.com')] }, REGISTER).ok);
    assert.ok(a.authorize({ proxyAuthenticate: [challenge('example.com')] }, MESSAGE).ok);
    refused(a.authorize({ wwwAuthenticate: [challenge('evil.example')] }, MESSAGE), 'untrusted', /evil\.example/);
    const kept = realmsOf(a.preauthorize(REGISTER).headers);
    assert.deepEqual(
      kept,
      [
        ['Authorization', 'example.com'],
        ['Proxy-Authorization', 'example.com'],
      ],
      'the refused realm left nothing behind',
    );
  });

  it('answers the realms the page trusts (auth-realm), and only those among several', () => {
    const a = auth({ realms: ['edge.example'] });
    const outcome = a.authorize({ proxyAuthenticate: [challenge('edge.example'), challenge('evil.example')] }, MESSAGE);
    assert.ok(outcome.ok);
    assert.deepEqual(realmsOf(outcome.headers), [['Proxy-Authorization', 'edge.example']]);
    assert.match(outcome.ignored.join('\n'), /evil\.example/);
  });

  it('refuses MD5 (and MD5-sess) challenges when told to, and still answers SHA-256', () => {
    const a = auth({ refuseMd5: true });
    refused(a.authorize({ wwwAuthenticate: [challenge('example.com')] }, REGISTER), 'unsupported', /MD5/);
    refused(
      a.authorize({ wwwAuthenticate: [challenge('example.com', ', qop="auth", algorithm=MD5-sess')] }, REGISTER),
      'unsupported',
      /MD5/,
    );
    const outcome = a.authorize(
      {
        wwwAuthenticate: [
          challenge('example.com', ', qop="auth", algorithm=MD5'),
          challenge('example.com', ', qop="auth", algorithm=SHA-256'),
        ],
      },
      REGISTER,
    );
    assert.ok(outcome.ok);
    assert.equal(parseAuthHeader(outcome.headers[0]!.value)[0]!.params.get('algorithm'), 'SHA-256');
  });

  it('refuses challenges without qop (RFC 2069: no cnonce, no nonce count) when told to', () => {
    refused(
      auth({ requireQop: true }).authorize({ wwwAuthenticate: [challenge('example.com', '')] }, REGISTER),
      'unsupported',
      /qop/,
    );
    assert.ok(auth({ requireQop: true }).authorize({ wwwAuthenticate: [challenge('example.com')] }, REGISTER).ok);
    assert.ok(
      auth().authorize({ wwwAuthenticate: [challenge('example.com', '')] }, REGISTER).ok,
      'allowed by default (older servers)',
    );
  });
});
