import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAuthHeader, serializeAuthHeader } from './auth-header';
import type { AuthHeaderValue } from './auth-header';
import { SipParseError } from './sip-parse-error';

function single(text: string): AuthHeaderValue {
  const values = parseAuthHeader(text);
  assert.equal(values.length, 1);
  return values[0]!;
}

describe('parseAuthHeader', () => {
  it('reads the RFC 2617 §3.5 challenge', () => {
    const value = single(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", ' +
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    assert.equal(value.scheme, 'Digest');
    assert.deepEqual(Object.fromEntries(value.params), {
      realm: 'testrealm@host.com',
      qop: 'auth,auth-int',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
    });
  });

  it('reads credentials with bare tokens (RFC 3261 §25.1 message-qop, nonce-count)', () => {
    const value = single(
      'Digest username="bob", realm="biloxi.com", nonce="dcd98b", uri="sip:bob@biloxi.com", ' +
        'qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae4", algorithm=MD5',
    );
    assert.equal(value.params.get('qop'), 'auth');
    assert.equal(value.params.get('nc'), '00000001');
    assert.equal(value.params.get('algorithm'), 'MD5');
    assert.equal(value.params.get('uri'), 'sip:bob@biloxi.com');
  });

  it('lower-cases parameter names and keeps the scheme as written', () => {
    const value = single('DIGEST Realm="a", NONCE="b", Algorithm=SHA-256');
    assert.equal(value.scheme, 'DIGEST');
    assert.deepEqual([...value.params.keys()], ['realm', 'nonce', 'algorithm']);
  });

  it('unescapes quoted-pairs and keeps commas and equals signs inside quotes', () => {
    const value = single(String.raw`Digest realm="a \"b\" \\ c, d=e", nonce=""`);
    assert.equal(value.params.get('realm'), 'a "b" \\ c, d=e');
    assert.equal(value.params.get('nonce'), '');
  });

  it('tolerates LWS: spaces, tabs, folded lines, and whitespace around "="', () => {
    const value = single('Digest\t realm = "x" ,\r\n  nonce=\t"y"\r\n\t, stale = TRUE  ');
    assert.deepEqual(Object.fromEntries(value.params), { realm: 'x', nonce: 'y', stale: 'TRUE' });
  });

  it('reads a folded line inside a quoted string as one space (RFC 3261 §7.3.1)', () => {
    assert.equal(single('Digest realm="a\r\n  b", nonce="n"').params.get('realm'), 'a b');
  });

  it('skips empty list elements (RFC 7230 §7)', () => {
    const value = single(', Digest , realm="x",, nonce="y", ,');
    assert.deepEqual(Object.fromEntries(value.params), { realm: 'x', nonce: 'y' });
  });

  it('keeps lenient unquoted values such as base64 nonces', () => {
    assert.equal(single('Digest realm=x, nonce=ab/c+d==').params.get('nonce'), 'ab/c+d==');
  });

  it('splits several challenges on one line (RFC 7235 §4.1 example)', () => {
    const values = parseAuthHeader('Newauth realm="apps", type=1, title="Login Page", Basic realm="simple"');
    assert.deepEqual(
      values.map((v) => [v.scheme, Object.fromEntries(v.params)]),
      [
        ['Newauth', { realm: 'apps', type: '1', title: 'Login Page' }],
        ['Basic', { realm: 'simple' }],
      ],
    );
  });

  it('splits two Digest challenges on one line', () => {
    const values = parseAuthHeader('Digest realm="a", nonce="1", algorithm=SHA-256, Digest realm="a", nonce="2"');
    assert.deepEqual(
      values.map((v) => v.params.get('nonce')),
      ['1', '2'],
    );
  });

  it('reads token68 and a bare scheme', () => {
    assert.deepEqual(parseAuthHeader('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==, Negotiate'), [
      { scheme: 'Basic', params: new Map(), token68: 'QWxhZGRpbjpvcGVuIHNlc2FtZQ==' },
      { scheme: 'Negotiate', params: new Map() },
    ]);
  });

  const malformed: Array<[string, string]> = [
    ['empty value', ''],
    ['only commas', ' , ,'],
    ['unterminated quote', 'Digest realm="x, nonce="y'],
    ['missing "="', 'Digest realm "x"'],
    ['missing value', 'Digest realm=, nonce="y"'],
    ['missing comma', 'Digest realm="x" nonce="y"'],
    ['duplicate parameter (RFC 7235 §2.2)', 'Digest realm="x", REALM="y"'],
    ['quoted scheme', '"Digest" realm="x"'],
    ['no space after scheme', 'Digest"x"'],
    ['backslash at the end', 'Digest realm="x\\'],
    ['bare line break in a quoted value', 'Digest realm="a\nb"'],
    ['junk after a value', 'Digest realm="x"; nonce="y"'],
  ];
  for (const [name, text] of malformed) {
    it(`throws SipParseError on ${name}`, () => {
      assert.throws(() => parseAuthHeader(text), SipParseError);
    });
  }

  it('names offset and parameter in the error, never a value', () => {
    const secret = 'd3adb33fsecret';
    assert.throws(
      () => parseAuthHeader(`Digest username="${secret}" response="x"`),
      (error: unknown) =>
        error instanceof SipParseError &&
        /offset \d+/.test(error.message) &&
        error.message.includes('"username"') &&
        !error.message.includes(secret),
    );
  });
});

describe('serializeAuthHeader', () => {
  const params = new Map([
    ['username', 'Mufasa'],
    ['realm', 'testrealm@host.com'],
    ['qop', 'auth'],
    ['nc', '00000001'],
    ['algorithm', 'MD5-sess'],
    ['stale', 'true'],
    ['userhash', 'false'],
  ]);

  it('writes credentials with algorithm, qop, nc and userhash bare (RFC 7616 §3.4)', () => {
    assert.equal(
      serializeAuthHeader({ scheme: 'Digest', params }, 'credentials'),
      'Digest username="Mufasa", realm="testrealm@host.com", qop=auth, nc=00000001, ' +
        'algorithm=MD5-sess, stale="true", userhash=false',
    );
  });

  it('writes challenges with qop quoted and stale, algorithm bare (RFC 7616 §3.3)', () => {
    assert.equal(
      serializeAuthHeader({ scheme: 'Digest', params }, 'challenge'),
      'Digest username="Mufasa", realm="testrealm@host.com", qop="auth", nc="00000001", ' +
        'algorithm=MD5-sess, stale=true, userhash=false',
    );
  });

  it('quotes a bare-by-role parameter whose value is not a token', () => {
    const value = { scheme: 'Digest', params: new Map([['qop', 'auth,auth-int']]) };
    assert.equal(serializeAuthHeader(value, 'credentials'), 'Digest qop="auth,auth-int"');
  });

  it('escapes quotes and backslashes', () => {
    const value = { scheme: 'Digest', params: new Map([['realm', 'a "b" \\ c']]) };
    assert.equal(serializeAuthHeader(value, 'challenge'), String.raw`Digest realm="a \"b\" \\ c"`);
  });

  it('writes token68 and a bare scheme', () => {
    assert.equal(
      serializeAuthHeader({ scheme: 'Basic', params: new Map(), token68: 'QQ==' }, 'credentials'),
      'Basic QQ==',
    );
    assert.equal(serializeAuthHeader({ scheme: 'Negotiate', params: new Map() }, 'challenge'), 'Negotiate');
  });

  it('refuses CR or LF in a value without echoing it', () => {
    const value = { scheme: 'Digest', params: new Map([['username', 'evil\r\nVia: x']]) };
    assert.throws(
      () => serializeAuthHeader(value, 'credentials'),
      (error: unknown) => error instanceof Error && !error.message.includes('evil'),
    );
  });

  it('refuses a scheme or parameter name that is not a token', () => {
    assert.throws(() => serializeAuthHeader({ scheme: 'Di gest', params: new Map() }, 'challenge'));
    assert.throws(() => serializeAuthHeader({ scheme: 'Digest', params: new Map([['a b', 'x']]) }, 'challenge'));
  });

  it('round-trips any token names and CR/LF-free values', () => {
    const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/);
    const paramList = fc.uniqueArray(
      fc.tuple(
        token.map((n) => n.toLowerCase()),
        fc.string({ unit: 'grapheme' }),
      ),
      {
        selector: ([name]) => name,
        maxLength: 6,
      },
    );
    fc.assert(
      fc.property(token, paramList, fc.constantFrom('challenge', 'credentials'), (scheme, list, role) => {
        const value: AuthHeaderValue = {
          scheme,
          params: new Map(list.map(([name, v]) => [name, v.replace(/[\r\n]/g, ' ')])),
        };
        assert.deepEqual(parseAuthHeader(serializeAuthHeader(value, role)), [value]);
      }),
    );
  });
});
