import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { parseAuthHeader } from '../message/auth-header';
import { DigestAuthenticator } from './digest-authenticator';
import type { AuthorizationHeader, DigestAttempt, DigestOutcome } from './digest-authenticator';

/** A random source that hands out the given cnonces in turn, then numbered ones. */
function cnonces(...values: string[]): () => string {
  let next = 0;
  return () => values[next++] ?? `cnonce${next}`;
}

function succeeded(outcome: DigestOutcome): Extract<DigestOutcome, { ok: true }> {
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
  return outcome;
}

function failed(outcome: DigestOutcome): Extract<DigestOutcome, { ok: false }> {
  assert.ok(!outcome.ok, 'expected a failure');
  return outcome;
}

/** The params of a produced header, read back by the header parser. */
function paramsOf(header: AuthorizationHeader): Record<string, string> {
  const [value] = parseAuthHeader(header.value);
  assert.equal(value?.scheme, 'Digest');
  return Object.fromEntries(value.params);
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** RFC 2617 §3.2.2.1 with qop=auth and MD5, on node:crypto, for the tests' own challenges. */
function md5Auth(p: Record<string, string>, password: string, method: string): string {
  const ha1 = md5(`${p.username}:${p.realm}:${password}`);
  const ha2 = md5(`${method}:${p.uri}`);
  return md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
}

const REGISTER = { method: 'REGISTER', uri: 'sip:example.com' };
const challenge = (nonce: string, extra = '') => `Digest realm="example.com", nonce="${nonce}", qop="auth"${extra}`;

describe('DigestAuthenticator', () => {
  describe('published examples', () => {
    it('answers the RFC 2617 §3.5 challenge with its published response', () => {
      // A GET is no REGISTER: its realm must be trusted to be answered (digest-trust.test.ts).
      const auth = new DigestAuthenticator({
        username: 'Mufasa',
        password: 'Circle Of Life',
        random: cnonces('0a4f113b'),
        realms: ['testrealm@host.com'],
      });
      const outcome = succeeded(
        auth.authorize(
          {
            wwwAuthenticate: [
              'Digest realm="testrealm@host.com", qop="auth,auth-int", ' +
                'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
            ],
          },
          { method: 'GET', uri: '/dir/index.html' },
        ),
      );
      assert.equal(outcome.headers.length, 1);
      assert.equal(outcome.headers[0]!.name, 'Authorization');
      assert.deepEqual(paramsOf(outcome.headers[0]!), {
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        uri: '/dir/index.html',
        response: '6629fae49393a05397450978507c4ef1',
        cnonce: '0a4f113b',
        opaque: '5ccc069c403ebaf9f0171e9517f40e41',
        qop: 'auth',
        nc: '00000001',
      });
      // RFC 7616 §3.4: qop and nc go out as tokens, the rest quoted.
      assert.match(outcome.headers[0]!.value, /qop=auth, nc=00000001/);
      assert.match(outcome.headers[0]!.value, /^Digest username="Mufasa", realm="testrealm@host.com"/);
    });

    // RFC 7616 §3.9.1: the server offers SHA-256 first, then MD5.
    const rfc7616Challenges = ['SHA-256', 'MD5'].map(
      (algorithm) =>
        `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, ` +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
    const rfc7616Request = { method: 'GET', uri: '/dir/index.html' };
    const rfc7616Auth = () =>
      new DigestAuthenticator({
        username: 'Mufasa',
        password: 'Circle of Life',
        random: cnonces('f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ'),
        realms: ['http-auth@example.org'],
      });

    it('answers the RFC 7616 §3.9.1 pair with SHA-256 and its published response', () => {
      const outcome = succeeded(rfc7616Auth().authorize({ wwwAuthenticate: rfc7616Challenges }, rfc7616Request));
      assert.equal(outcome.headers.length, 1);
      const params = paramsOf(outcome.headers[0]!);
      assert.equal(params.algorithm, 'SHA-256');
      assert.equal(params.response, '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
      assert.equal(params.opaque, 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS');
      assert.equal(params.qop, 'auth');
    });

    it('answers the RFC 7616 §3.9.1 MD5 challenge alone with its published response', () => {
      const outcome = succeeded(rfc7616Auth().authorize({ wwwAuthenticate: [rfc7616Challenges[1]!] }, rfc7616Request));
      assert.equal(paramsOf(outcome.headers[0]!).response, '8ca523f5e9506fed4657c9700eebdbec');
    });

    it('answers the RFC 7616 §3.9.2 userhash example with SHA-512/256 values (erratum 4897)', () => {
      const auth = new DigestAuthenticator({
        username: 'J\u00e4s\u00f8n Doe',
        password: 'Secret, or not?',
        random: cnonces('NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v'),
        realms: ['api@example.org'],
      });
      const outcome = succeeded(
        auth.authorize(
          {
            wwwAuthenticate: [
              'Digest\r\n    realm="api@example.org",\r\n    qop="auth",\r\n    algorithm=SHA-512-256,\r\n' +
                '    nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK",\r\n' +
                '    opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS",\r\n    charset=UTF-8,\r\n    userhash=true',
            ],
          },
          { method: 'GET', uri: '/doe.json' },
        ),
      );
      const params = paramsOf(outcome.headers[0]!);
      const userhash = createHash('sha512-256').update('J\u00e4s\u00f8n Doe:api@example.org', 'utf8').digest('hex');
      assert.equal(userhash, '793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b');
      assert.equal(params.username, userhash);
      assert.equal(params.userhash, 'true');
      assert.equal(params.algorithm, 'SHA-512-256');
      // The digest still covers the real username (RFC 7616 §3.4.4); see digest-response.test.ts.
      assert.equal(params.response, '3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5');
      assert.doesNotMatch(outcome.headers[0]!.value, /J\u00e4s/);
    });
  });

  describe('choosing a challenge', () => {
    const offer = (algorithm: string) => `Digest realm="r", nonce="n-${algorithm}", qop="auth", algorithm=${algorithm}`;

    it('uses the strongest supported algorithm whatever the order', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces() });
      const outcome = succeeded(
        auth.authorize(
          { wwwAuthenticate: [offer('MD5'), offer('SHA-256'), `${offer('SHA-512-256')}, ${offer('MD5-sess')}`] },
          REGISTER,
        ),
      );
      assert.equal(outcome.headers.length, 1);
      assert.equal(paramsOf(outcome.headers[0]!).algorithm, 'SHA-512-256');
      assert.equal(paramsOf(outcome.headers[0]!).nonce, 'n-SHA-512-256');
    });

    it('keeps the topmost among equally strong challenges', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces() });
      const outcome = succeeded(
        auth.authorize({ wwwAuthenticate: [offer('SHA-256-sess'), offer('SHA-256')] }, REGISTER),
      );
      assert.equal(paramsOf(outcome.headers[0]!).algorithm, 'SHA-256-sess');
    });

    it('ignores unknown algorithms and other schemes, and says so', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces() });
      const outcome = succeeded(
        auth.authorize({ wwwAuthenticate: [offer('SHA3-512'), 'Basic realm="r"', offer('md5')] }, REGISTER),
      );
      const params = paramsOf(outcome.headers[0]!);
      assert.equal(params.algorithm, 'md5', 'the algorithm is echoed as the server spelled it');
      assert.equal(outcome.ignored.length, 2);
      assert.match(outcome.ignored.join('\n'), /SHA3-512/);
      assert.match(outcome.ignored.join('\n'), /Basic/);
    });

    it('omits algorithm when the challenge had none (MD5 by default)', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces('c') });
      const outcome = succeeded(auth.authorize({ wwwAuthenticate: [challenge('n1')] }, REGISTER));
      const params = paramsOf(outcome.headers[0]!);
      assert.equal(params.algorithm, undefined);
      assert.equal(params.response, md5Auth(params, 'p', 'REGISTER'));
    });

    it('prefers qop=auth but answers auth-int alone over the body', () => {
      const body = 'v=0\r\ns=-\r\n';
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces('c'), realms: ['r'] });
      const outcome = succeeded(
        auth.authorize(
          { wwwAuthenticate: ['Digest realm="r", nonce="n", qop="auth-int"'] },
          { method: 'INVITE', uri: 'sip:b@r', body },
        ),
      );
      const params = paramsOf(outcome.headers[0]!);
      assert.equal(params.qop, 'auth-int');
      const ha1 = md5('u:r:p');
      const ha2 = md5(`INVITE:sip:b@r:${md5(body)}`);
      assert.equal(params.response, md5(`${ha1}:n:00000001:c:auth-int:${ha2}`));

      const both = succeeded(
        new DigestAuthenticator({ username: 'u', password: 'p' }).authorize(
          { wwwAuthenticate: ['Digest realm="r", nonce="n", qop="auth-int,auth"'] },
          REGISTER,
        ),
      );
      assert.equal(paramsOf(both.headers[0]!).qop, 'auth');
    });

    it('answers a qop-less (RFC 2069) challenge without nc or cnonce', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces('c') });
      const outcome = succeeded(auth.authorize({ wwwAuthenticate: ['Digest realm="r", nonce="n"'] }, REGISTER));
      const params = paramsOf(outcome.headers[0]!);
      assert.deepEqual(Object.keys(params).sort(), ['nonce', 'realm', 'response', 'uri', 'username']);
      assert.equal(params.response, md5(`${md5('u:r:p')}:n:${md5('REGISTER:sip:example.com')}`));
    });

    it('sends a cnonce but no nc for MD5-sess without qop', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces('c') });
      const outcome = succeeded(
        auth.authorize({ wwwAuthenticate: ['Digest realm="r", nonce="n", algorithm=MD5-sess'] }, REGISTER),
      );
      const params = paramsOf(outcome.headers[0]!);
      assert.equal(params.cnonce, 'c');
      assert.equal(params.nc, undefined);
      const ha1 = md5(`${md5('u:r:p')}:n:c`);
      assert.equal(params.response, md5(`${ha1}:n:${md5('REGISTER:sip:example.com')}`));
    });
  });

  describe('401, 407 and realms', () => {
    it('answers a 407 with Proxy-Authorization', () => {
      const auth = new DigestAuthenticator({
        username: 'u',
        password: 'p',
        random: cnonces(),
        realms: ['example.com'],
      });
      const outcome = succeeded(
        auth.authorize({ proxyAuthenticate: [challenge('n')] }, { method: 'INVITE', uri: 'sip:b@x' }),
      );
      assert.deepEqual(
        outcome.headers.map((h) => h.name),
        ['Proxy-Authorization'],
      );
      assert.deepEqual(
        outcome.attempt.answers.map((a) => a.kind),
        ['proxy'],
      );
    });

    it('answers both kinds and every realm of one response', () => {
      const auth = new DigestAuthenticator({
        username: 'u',
        password: 'p',
        random: cnonces(),
        realms: ['home', 'edge', 'core'],
      });
      const outcome = succeeded(
        auth.authorize(
          {
            wwwAuthenticate: ['Digest realm="home", nonce="w", qop="auth"'],
            proxyAuthenticate: [
              'Digest realm="edge", nonce="p1", qop="auth"',
              'Digest realm="core", nonce="p2", qop="auth"',
            ],
          },
          { method: 'INVITE', uri: 'sip:b@x' },
        ),
      );
      assert.deepEqual(
        outcome.headers.map((h) => [h.name, paramsOf(h).realm]),
        [
          ['Proxy-Authorization', 'edge'],
          ['Proxy-Authorization', 'core'],
          ['Authorization', 'home'],
        ],
      );
    });

    it('uses the authentication user when given', () => {
      const auth = new DigestAuthenticator({ username: 'alice', authUser: '1001', password: 'p', random: cnonces() });
      const outcome = succeeded(auth.authorize({ wwwAuthenticate: [challenge('n')] }, REGISTER));
      assert.equal(paramsOf(outcome.headers[0]!).username, '1001');
    });
  });

  describe('nonce reuse, stale and wrong passwords', () => {
    it('counts nc up per use of the same nonce, with a fresh cnonce each time', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces('c1', 'c2', 'c3') });
      const first = succeeded(auth.authorize({ wwwAuthenticate: [challenge('n1')] }, REGISTER));
      const second = auth.preauthorize(REGISTER);
      const third = auth.preauthorize({ method: 'REGISTER', uri: 'sip:example.com' });
      const all = [first.headers[0]!, second.headers[0]!, third.headers[0]!].map(paramsOf);
      assert.deepEqual(
        all.map((p) => [p.nonce, p.nc, p.cnonce]),
        [
          ['n1', '00000001', 'c1'],
          ['n1', '00000002', 'c2'],
          ['n1', '00000003', 'c3'],
        ],
      );
      for (const params of all) assert.equal(params.response, md5Auth(params, 'p', 'REGISTER'));
      assert.deepEqual(second.attempt.answers, [
        { kind: 'www', realm: 'example.com', nonce: 'n1', fresh: false, round: 0 },
      ]);
    });

    it('writes nc as 8 hex digits past 9', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces() });
      succeeded(auth.authorize({ wwwAuthenticate: [challenge('n1')] }, REGISTER));
      let last = '';
      for (let i = 0; i < 10; i++) last = paramsOf(auth.preauthorize(REGISTER).headers[0]!).nc!;
      assert.equal(last, '0000000b');
    });

    it('has nothing to preauthorize before a challenge, or after forget()', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces() });
      assert.deepEqual(auth.preauthorize(REGISTER), { headers: [], attempt: { answers: [] } });
      succeeded(auth.authorize({ wwwAuthenticate: [challenge('n1')] }, REGISTER));
      assert.equal(auth.preauthorize(REGISTER).headers.length, 1);
      auth.forget();
      assert.equal(auth.preauthorize(REGISTER).headers.length, 0);
    });

    it('retries with the new nonce on stale=true, restarting nc', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces() });
      const first = succeeded(auth.authorize({ wwwAuthenticate: [challenge('n1')] }, REGISTER));
      auth.preauthorize(REGISTER);
      const second = succeeded(
        auth.authorize({ wwwAuthenticate: [challenge('n2', ', stale=TRUE')] }, REGISTER, first.attempt),
      );
      const params = paramsOf(second.headers[0]!);
      assert.equal(params.nonce, 'n2');
      assert.equal(params.nc, '00000001');
      assert.equal(second.attempt.answers[0]!.round, 2);
      assert.equal(paramsOf(auth.preauthorize(REGISTER).headers[0]!).nonce, 'n2');
    });

    it('reports a non-stale second challenge as rejected credentials, and forgets the realm', () => {
      const password = 'hunter2-secret';
      const auth = new DigestAuthenticator({ username: 'alice-user', password, random: cnonces() });
      const first = succeeded(auth.authorize({ wwwAuthenticate: [challenge('n1')] }, REGISTER));
      const second = failed(auth.authorize({ wwwAuthenticate: [challenge('n2')] }, REGISTER, first.attempt));
      assert.equal(second.reason, 'rejected');
      assert.equal(second.realm, 'example.com');
      assert.match(second.message, /rejected the credentials for realm "example.com"/);
      assert.ok(!second.message.includes(password) && !second.message.includes('alice-user'));
      assert.equal(auth.preauthorize(REGISTER).headers.length, 0);
    });

    it('allows one fresh answer after preemptive credentials were refused', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces() });
      succeeded(auth.authorize({ wwwAuthenticate: [challenge('n1')] }, REGISTER));
      const pre = auth.preauthorize(REGISTER);
      // The server forgot n1 (a restart) and challenges without stale=true.
      const retry = succeeded(auth.authorize({ wwwAuthenticate: [challenge('n2')] }, REGISTER, pre.attempt));
      assert.equal(paramsOf(retry.headers[0]!).nonce, 'n2');
      const again = failed(auth.authorize({ wwwAuthenticate: [challenge('n3')] }, REGISTER, retry.attempt));
      assert.equal(again.reason, 'rejected');
    });

    it('does not loop when the server calls the nonce it just issued stale', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces() });
      const first = succeeded(auth.authorize({ wwwAuthenticate: [challenge('n1')] }, REGISTER));
      const outcome = failed(
        auth.authorize({ wwwAuthenticate: [challenge('n1', ', stale=true')] }, REGISTER, first.attempt),
      );
      assert.equal(outcome.reason, 'rejected');
    });

    it('gives up after three fresh answers even when each challenge is stale', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces() });
      let attempt: DigestAttempt | undefined;
      let outcome: DigestOutcome | undefined;
      for (let round = 1; round <= 4; round++) {
        outcome = auth.authorize({ wwwAuthenticate: [challenge(`n${round}`, ', stale=true')] }, REGISTER, attempt);
        if (!outcome.ok) break;
        attempt = outcome.attempt;
      }
      assert.equal(failed(outcome!).reason, 'rejected');
      assert.equal(attempt?.answers[0]?.round, 3);
    });

    it('keeps answering realms that were accepted while another is challenged', () => {
      const auth = new DigestAuthenticator({
        username: 'u',
        password: 'p',
        random: cnonces(),
        realms: ['edge', 'home'],
      });
      const invite = { method: 'INVITE', uri: 'sip:b@x' };
      const first = succeeded(
        auth.authorize({ proxyAuthenticate: ['Digest realm="edge", nonce="p1", qop="auth"'] }, invite),
      );
      // The edge proxy accepted; the home server behind it challenges now.
      const second = succeeded(
        auth.authorize({ wwwAuthenticate: ['Digest realm="home", nonce="w1", qop="auth"'] }, invite, first.attempt),
      );
      assert.deepEqual(
        second.headers.map((h) => [h.name, paramsOf(h).realm, paramsOf(h).nc]),
        [
          ['Authorization', 'home', '00000001'],
          ['Proxy-Authorization', 'edge', '00000002'],
        ],
      );
      assert.deepEqual(
        second.attempt.answers.map((a) => [a.realm, a.fresh]),
        [
          ['home', true],
          ['edge', false],
        ],
      );
    });

    it('treats a challenge for a new realm after an answer as a new realm, not a rejection', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces() });
      const first = succeeded(auth.authorize({ wwwAuthenticate: [challenge('n1')] }, REGISTER));
      const second = auth.authorize({ wwwAuthenticate: ['Digest realm="other", nonce="o1"'] }, REGISTER, first.attempt);
      assert.ok(second.ok);
    });
  });

  describe('bad challenges', () => {
    const auth = () => new DigestAuthenticator({ username: 'u', password: 'p', random: cnonces() });

    it('reports a response without challenges', () => {
      const outcome = failed(auth().authorize({}, REGISTER));
      assert.equal(outcome.reason, 'no-challenge');
      assert.equal(
        failed(auth().authorize({ wwwAuthenticate: [], proxyAuthenticate: [] }, REGISTER)).reason,
        'no-challenge',
      );
    });

    const broken: Array<[string, string]> = [
      ['an unterminated quote', 'Digest realm="example.com, nonce="n"'],
      ['a missing nonce', 'Digest realm="example.com", qop="auth"'],
      ['a missing realm', 'Digest nonce="n"'],
      ['an empty value', ''],
      ['garbage', '=== "'],
    ];
    for (const [name, value] of broken) {
      it(`reports ${name} as malformed, naming the header`, () => {
        const outcome = failed(auth().authorize({ proxyAuthenticate: [value] }, REGISTER));
        assert.equal(outcome.reason, 'malformed');
        assert.match(outcome.message, /^No usable Digest challenge \(Proxy-Authenticate: /);
      });
    }

    it('reports only foreign schemes, algorithms or qop values as unsupported', () => {
      const outcome = failed(
        auth().authorize(
          {
            wwwAuthenticate: [
              'Basic realm="r"',
              'Digest realm="r", nonce="n", algorithm=SHA-1',
              'Digest realm="r", nonce="n", qop="auth-conf"',
            ],
          },
          REGISTER,
        ),
      );
      assert.equal(outcome.reason, 'unsupported');
      assert.match(outcome.message, /Basic/);
      assert.match(outcome.message, /SHA-1/);
      assert.match(outcome.message, /auth-conf/);
    });

    it('answers the good challenge beside a broken one', () => {
      const outcome = succeeded(auth().authorize({ wwwAuthenticate: ['Digest realm="x', challenge('n')] }, REGISTER));
      assert.equal(outcome.headers.length, 1);
      assert.equal(outcome.ignored.length, 1);
    });
  });

  describe('secrets', () => {
    it('keeps the password out of inspection and serialisation', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'hunter2-secret', random: cnonces() });
      succeeded(auth.authorize({ wwwAuthenticate: [challenge('n')] }, REGISTER));
      assert.ok(!inspect(auth, { showHidden: true, depth: 5 }).includes('hunter2-secret'));
      assert.ok(!JSON.stringify(auth).includes('hunter2-secret'));
    });

    it('refuses a username that would split the header, without echoing it', () => {
      assert.throws(
        () => new DigestAuthenticator({ username: 'a\r\nVia: evil', password: 'p' }),
        (error: unknown) => error instanceof TypeError && !error.message.includes('evil'),
      );
      assert.throws(() => new DigestAuthenticator({ username: '', password: 'p' }), TypeError);
    });

    it('escapes quotes in the username', () => {
      const auth = new DigestAuthenticator({ username: 'a"b\\c', password: 'p', random: cnonces() });
      const outcome = succeeded(auth.authorize({ wwwAuthenticate: [challenge('n')] }, REGISTER));
      assert.match(outcome.headers[0]!.value, /username="a\\"b\\\\c"/);
      assert.equal(paramsOf(outcome.headers[0]!).username, 'a"b\\c');
    });

    it('draws 128-bit hex cnonces by default', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p' });
      succeeded(auth.authorize({ wwwAuthenticate: [challenge('n')] }, REGISTER));
      const a = paramsOf(auth.preauthorize(REGISTER).headers[0]!).cnonce;
      const b = paramsOf(auth.preauthorize(REGISTER).headers[0]!).cnonce;
      assert.match(a!, /^[0-9a-f]{32}$/);
      assert.notEqual(a, b);
    });

    it('refuses a random source that returns unusable text', () => {
      const auth = new DigestAuthenticator({ username: 'u', password: 'p', random: () => 'a"b' });
      assert.throws(() => auth.authorize({ wwwAuthenticate: [challenge('n')] }, REGISTER), /random\(\)/);
    });
  });
});
