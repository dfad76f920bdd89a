import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { digestAlgorithm } from './digest-algorithm';
import type { DigestAlgorithm, DigestAlgorithmName } from './digest-algorithm';
import { computeDigestResponse } from './digest-response';

function algorithm(name: DigestAlgorithmName): DigestAlgorithm {
  const found = digestAlgorithm(name);
  assert.ok(found, name);
  return found;
}

/** An independent H() from node:crypto, to check ./hashes against. */
function nodeHex(nodeName: string, data: string | Uint8Array): string {
  return createHash(nodeName)
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest('hex');
}

describe('digestAlgorithm', () => {
  it('knows the six RFC 7616 §6.1 algorithms, case-insensitively, MD5 by default', () => {
    assert.equal(digestAlgorithm(undefined)?.name, 'MD5');
    assert.equal(digestAlgorithm('sha-512-256-SESS')?.name, 'SHA-512-256-sess');
    assert.equal(digestAlgorithm('SHA-1'), undefined);
    assert.equal(digestAlgorithm('SHA-512'), undefined);
  });

  it('ranks SHA-512-256 over SHA-256 over MD5, sessions with their hash', () => {
    const strength = (name: DigestAlgorithmName) => algorithm(name).strength;
    assert.ok(strength('SHA-512-256') > strength('SHA-256'));
    assert.ok(strength('SHA-256') > strength('MD5'));
    assert.equal(strength('SHA-256-sess'), strength('SHA-256'));
    assert.equal(algorithm('MD5-sess').session, true);
    assert.equal(algorithm('MD5').session, false);
  });

  it('hashes like node:crypto, including UTF-8 text and bytes', () => {
    const inputs = ['', 'abc', 'J\u00e4s\u00f8n Doe:api@example.org', new Uint8Array([0, 255, 10])];
    const pairs: Array<[DigestAlgorithmName, string]> = [
      ['MD5', 'md5'],
      ['SHA-256', 'sha256'],
      ['SHA-512-256', 'sha512-256'],
    ];
    for (const [name, nodeName] of pairs) {
      for (const input of inputs) assert.equal(algorithm(name).hex(input), nodeHex(nodeName, input), name);
    }
  });
});

describe('computeDigestResponse', () => {
  it('gives the RFC 2617 §3.5 example response', () => {
    const response = computeDigestResponse({
      algorithm: algorithm('MD5'),
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      password: 'Circle Of Life',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      method: 'GET',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
    });
    assert.equal(response, '6629fae49393a05397450978507c4ef1');
  });

  // RFC 7616 §3.9.1; the password is "Circle of Life" with a small "o" (verified erratum 4495).
  const rfc7616 = {
    username: 'Mufasa',
    realm: 'http-auth@example.org',
    password: 'Circle of Life',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    method: 'GET',
    uri: '/dir/index.html',
    qop: 'auth',
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  } as const;

  it('gives the RFC 7616 §3.9.1 MD5 response', () => {
    assert.equal(
      computeDigestResponse({ ...rfc7616, algorithm: algorithm('MD5') }),
      '8ca523f5e9506fed4657c9700eebdbec',
    );
  });

  it('gives the RFC 7616 §3.9.1 SHA-256 response', () => {
    assert.equal(
      computeDigestResponse({ ...rfc7616, algorithm: algorithm('SHA-256') }),
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  /*
   * RFC 7616 §3.9.2 (SHA-512-256, charset, userhash). The RFC prints username
   * "488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec" and response
   * "ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd", but those were computed
   * with SHA-512 truncated to 256 bits, not SHA-512/256 (different initial values, FIPS 180-4
   * §5.3.6); RFC errata 4897 reports it. The test proves both facts, then checks the real values.
   */
  const rfc7616userhash = {
    username: 'J\u00e4s\u00f8n Doe',
    realm: 'api@example.org',
    password: 'Secret, or not?',
    nonce: '5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK',
    method: 'GET',
    uri: '/doe.json',
    qop: 'auth',
    nc: '00000001',
    cnonce: 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v',
  } as const;

  it('shows the printed RFC 7616 §3.9.2 values are truncated SHA-512 (erratum 4897)', () => {
    const truncated = (text: string) => nodeHex('sha512', text).slice(0, 64);
    const { username, realm, password, nonce, nc, cnonce, qop, method, uri } = rfc7616userhash;
    assert.equal(truncated(`${username}:${realm}`), '488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec');
    const ha1 = truncated(`${username}:${realm}:${password}`);
    const ha2 = truncated(`${method}:${uri}`);
    assert.equal(
      truncated(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`),
      'ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd',
    );
  });

  it('gives the SHA-512-256 response of the RFC 7616 §3.9.2 example, computed right', () => {
    const response = computeDigestResponse({ ...rfc7616userhash, algorithm: algorithm('SHA-512-256') });
    assert.equal(response, '3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5');
    assert.notEqual(response, 'ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd');
  });

  /** RFC 7616 §3.4.1–§3.4.3 written out again on node:crypto. */
  function reference(
    nodeName: string,
    session: boolean,
    input: { username: string; realm: string; password: string; nonce: string; cnonce: string; nc: string },
    method: string,
    uri: string,
    qop: 'auth' | 'auth-int',
    body: string,
  ): string {
    const H = (text: string) => nodeHex(nodeName, text);
    let ha1 = H(`${input.username}:${input.realm}:${input.password}`);
    if (session) ha1 = H(`${ha1}:${input.nonce}:${input.cnonce}`);
    const ha2 = qop === 'auth-int' ? H(`${method}:${uri}:${H(body)}`) : H(`${method}:${uri}`);
    return H(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${qop}:${ha2}`);
  }

  const sip = {
    username: 'alice',
    realm: 'atlanta.example.com',
    password: 'p\u00e4ss:word',
    nonce: 'ea9c8e88df84f1cec4341ae6cbe5a359',
    cnonce: '1a2b3c4d',
    nc: '0000000a',
  };
  const sdp = 'v=0\r\no=alice 2890844526 2890844526 IN IP4 atlanta.example.com\r\ns=-\r\n';
  const cases: Array<[DigestAlgorithmName, string, 'auth' | 'auth-int', string]> = [
    ['MD5-sess', 'md5', 'auth', ''],
    ['MD5-sess', 'md5', 'auth-int', sdp],
    ['MD5', 'md5', 'auth-int', sdp],
    ['MD5', 'md5', 'auth-int', ''],
    ['SHA-256-sess', 'sha256', 'auth-int', sdp],
    ['SHA-512-256-sess', 'sha512-256', 'auth', ''],
    ['SHA-512-256', 'sha512-256', 'auth-int', 'caf\u00e9'],
  ];
  for (const [name, nodeName, qop, body] of cases) {
    it(`matches node:crypto for ${name} qop=${qop}${body ? ' with a body' : ' with an empty body'}`, () => {
      const ours = computeDigestResponse({
        ...sip,
        algorithm: algorithm(name),
        method: 'INVITE',
        uri: 'sip:bob@biloxi.example.com',
        qop,
        ...(body ? { body } : {}),
      });
      assert.equal(
        ours,
        reference(nodeName, name.endsWith('-sess'), sip, 'INVITE', 'sip:bob@biloxi.example.com', qop, body),
      );
    });
  }

  it('hashes a byte body as given', () => {
    const bytes = new Uint8Array([0xc3, 0xa9, 0x00, 0xff]);
    const input = { ...sip, algorithm: algorithm('MD5'), method: 'MESSAGE', uri: 'sip:b@x', qop: 'auth-int' as const };
    const H = (data: string | Uint8Array) => nodeHex('md5', data);
    const ha1 = H(`${sip.username}:${sip.realm}:${sip.password}`);
    const ha2 = H(`MESSAGE:sip:b@x:${H(bytes)}`);
    assert.equal(
      computeDigestResponse({ ...input, body: bytes }),
      H(`${ha1}:${sip.nonce}:${sip.nc}:${sip.cnonce}:auth-int:${ha2}`),
    );
  });

  it('uses the RFC 2069 form without qop', () => {
    const H = (text: string) => nodeHex('md5', text);
    const ha1 = H('Mufasa:testrealm@host.com:Circle Of Life');
    const ha2 = H('GET:/dir/index.html');
    assert.equal(
      computeDigestResponse({
        algorithm: algorithm('MD5'),
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        method: 'GET',
        uri: '/dir/index.html',
      }),
      H(`${ha1}:dcd98b7102dd2f0e8b11d0f600bfb0c093:${ha2}`),
    );
  });

  it('refuses qop without nc or cnonce, and -sess without cnonce', () => {
    const base = { username: 'a', realm: 'r', password: 'p', nonce: 'n', method: 'REGISTER', uri: 'sip:r' };
    assert.throws(
      () => computeDigestResponse({ ...base, algorithm: algorithm('MD5'), qop: 'auth', cnonce: 'c' }),
      /nc/,
    );
    assert.throws(
      () => computeDigestResponse({ ...base, algorithm: algorithm('MD5'), qop: 'auth', nc: '00000001' }),
      /cnonce/,
    );
    assert.throws(() => computeDigestResponse({ ...base, algorithm: algorithm('MD5-sess') }), /cnonce/);
  });
});
