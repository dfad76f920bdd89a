import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbsoluteUri } from './absolute-uri';
import { isIPv6, isHost } from './host';
import { SipParseError } from './sip-parse-error';
import { SipUri } from './sip-uri';
import { TelUri } from './tel-uri';
import { parseUri } from './uri';

function sipUri(text: string): SipUri {
  const uri = parseUri(text);
  assert.ok(uri instanceof SipUri, `${text} should be a SIP URI`);
  return uri;
}

describe('SIP and SIPS URIs (RFC 3261 §19.1)', () => {
  it('takes a URI apart and writes back its exact text', () => {
    const text =
      'SIPS:alice:secr%65t@Atlanta.example.com:5061;transport=TCP;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent';
    const uri = sipUri(text);
    assert.equal(uri.scheme, 'sips');
    assert.equal(uri.user, 'alice');
    assert.equal(uri.password, 'secret');
    assert.equal(uri.host, 'Atlanta.example.com');
    assert.equal(uri.port, 5061);
    assert.deepEqual(
      [...uri.params],
      [
        ['transport', 'TCP'],
        ['lr', null],
        ['maddr', '239.255.255.1'],
      ],
    );
    assert.equal(uri.transport, 'tcp');
    assert.deepEqual(
      [...uri.headers],
      [
        ['subject', 'project x'],
        ['priority', 'urgent'],
      ],
    );
    assert.equal(String(uri), text);
  });

  it('has no port when none is written, and no user for a host-only URI', () => {
    const uri = sipUri('sip:example.com');
    assert.deepEqual(
      [uri.user, uri.host, uri.port, uri.params.size, uri.headers.size],
      [undefined, 'example.com', undefined, 0, 0],
    );
  });

  it('reads IPv4 and bracketed IPv6 hosts, and an IPv6 address ending in what looks like a port', () => {
    assert.equal(sipUri('sip:192.0.2.4:5060').host, '192.0.2.4');
    assert.deepEqual(
      [sipUri('sip:[2001:db8::10]:5070').host, sipUri('sip:[2001:db8::10]:5070').port],
      ['[2001:db8::10]', 5070],
    );
    assert.deepEqual(
      [sipUri('sip:[2001:db8::10:5070]').host, sipUri('sip:[2001:db8::10:5070]').port],
      ['[2001:db8::10:5070]', undefined],
    );
    assert.equal(sipUri('sip:u@[::ffff:192.0.2.1]').host, '[::ffff:192.0.2.1]');
  });

  it('tells IPv4 addresses from host names that start with digits', () => {
    // A dotted quad is an IPv4 address only when no label or dot continues it; a name whose last
    // label starts with a digit must be an IPv4 address (toplabel starts with ALPHA).
    const hosts: Array<[string, string | RegExp]> = [
      ['sip:192.0.2.1', '192.0.2.1'],
      ['sip:192.0.2.1.', '192.0.2.1.'],
      ['sip:192.0.2.1a', '192.0.2.1a'],
      ['sip:1.2.3.4.example', '1.2.3.4.example'],
      ['sip:a@10.0.0.1:5060;lr', '10.0.0.1'],
      ['sip:255.255.255.255?h=1', '255.255.255.255'],
      ['sip:0.0.0.0_x', '0.0.0.0_x'],
      ['sip:01.2.3.4', '01.2.3.4'],
      ['sip:a.1b', 'a.1b'],
      ['sip:192.0.2.1234', /invalid host/],
      ['sip:1.2.3.256', /invalid host/],
      ['sip:1.2.3', /invalid host/],
      ['sip:1.2.3.4.5', /invalid host/],
      ['sip:1a.2.3.4', /invalid host/],
      ['sip:example.123', /invalid host/],
    ];
    for (const [text, expected] of hosts) {
      if (typeof expected === 'string') assert.equal(sipUri(text).host, expected, text);
      else assert.throws(() => parseUri(text), expected, text);
    }
  });

  it('unescapes once and escapes again only what must be (RFC 3261 §19.1.2)', () => {
    const uri = sipUri('sip:%61lice%20smith@example.com;na%6De=v%2541');
    assert.equal(uri.user, 'alice smith');
    assert.deepEqual([...uri.params], [['name', 'v%41']]);
    const rebuilt = uri.with({});
    assert.equal(String(rebuilt), 'sip:alice%20smith@example.com;name=v%2541');
    assert.deepEqual([...sipUri(String(rebuilt)).params], [['name', 'v%41']]);
    assert.equal(
      String(new SipUri({ user: 'j.doe@home;x?y', host: 'example.com' })),
      'sip:j.doe%40home;x?y@example.com',
    );
    assert.equal(String(new SipUri({ user: 'Zoë', host: 'example.com' })), 'sip:Zo%C3%AB@example.com');
  });

  it('builds and changes URIs without touching the original', () => {
    const uri = new SipUri({ user: 'bob', host: '[2001:db8::1]', port: 5060, params: { transport: 'ws', lr: true } });
    assert.equal(String(uri), 'sip:bob@[2001:db8::1]:5060;transport=ws;lr');
    const moved = uri.with({ port: undefined }).withParam('transport', undefined).withParam('ob', null);
    assert.equal(String(moved), 'sip:bob@[2001:db8::1];lr;ob');
    assert.equal(String(uri), 'sip:bob@[2001:db8::1]:5060;transport=ws;lr');
    assert.equal(
      String(sipUri('sip:a@example.com;transport=udp').withParam('transport', 'tcp')),
      'sip:a@example.com;transport=tcp',
    );
  });

  it('refuses parts that cannot be written', () => {
    assert.throws(() => new SipUri({ host: 'bad host' }), RangeError);
    assert.throws(() => new SipUri({ host: '2001:db8::1' }), RangeError, 'an IPv6 host needs its brackets');
    assert.throws(() => new SipUri({ host: 'example.com', port: 65536 }), RangeError);
    assert.throws(() => new SipUri({ host: 'example.com', user: '' }), RangeError);
  });

  const malformed: Array<[string, RegExp]> = [
    ['sip:', /missing host/],
    ['sip:@example.com', /empty user part/],
    ['sip:alice@', /missing host/],
    ['sip:alice@example.com:', /invalid port ""/],
    ['sip:alice@example.com:99999', /invalid port "99999"/],
    ['sip:alice@example.com:5060x', /unexpected "x" in SIP URI/],
    ['sip:al ice@example.com', /invalid character " " in SIP URI user part/],
    ['sip:alice%2@example.com', /invalid escape "%2@"/],
    ['sip:alice@example..com', /unexpected "\." in SIP URI/],
    ['sip:alice@192.0.2.300', /invalid host "192.0.2.300"/],
    ['sip:alice@example.123', /invalid host "example.123"/],
    ['sip:[2001:db8:::1]', /invalid IPv6 address "2001:db8:::1"/],
    ['sip:[2001:db8::1', /IPv6 reference without "\]"/],
    ['sip:2001:db8::10', /invalid host "2001"/],
    ['sip:alice@example.com;', /empty URI parameter/],
    ['sip:alice@example.com;transport=', /URI parameter "transport" has no value/],
    ['sip:alice@example.com?subject', /URI header without "name="/],
    ['<sip:alice@example.com>', /not a URI/],
  ];
  for (const [text, reason] of malformed) {
    it(`rejects ${text}`, () => {
      assert.throws(
        () => parseUri(text),
        (error: unknown) => error instanceof SipParseError && reason.test(error.message),
      );
    });
  }
});

describe('tel URIs (RFC 3966)', () => {
  it('keeps the number as written and reads parameters', () => {
    const uri = parseUri('tel:+1-201-555-0123;ext=1234');
    assert.ok(uri instanceof TelUri);
    assert.deepEqual([uri.number, uri.isGlobal, [...uri.params]], ['+1-201-555-0123', true, [['ext', '1234']]]);
    assert.equal(String(uri), 'tel:+1-201-555-0123;ext=1234');
    const local = parseUri('TEL:7042;phone-context=example.com') as TelUri;
    assert.deepEqual([local.scheme, local.isGlobal, local.params.get('phone-context')], ['tel', false, 'example.com']);
    assert.equal(String(new TelUri('+44 20'.replace(' ', ''), { 'phone-context': null })), 'tel:+4420;phone-context');
  });

  it('rejects what is not a telephone number', () => {
    assert.throws(() => parseUri('tel:'), SipParseError);
    assert.throws(() => parseUri('tel:+'), SipParseError);
    assert.throws(() => parseUri('tel:12 34'), SipParseError);
    assert.throws(() => new TelUri('call me'), RangeError);
  });
});

describe('URIs of other schemes', () => {
  it('keep their text and a lower-case scheme', () => {
    for (const text of [
      'http://www.example.com',
      'isbn:2983792873',
      'urn:uuid:0b4e6d0e-52a3-4d6f-9a1b-8f1f4b0c2e1a',
      'soap.beep://192.0.2.103:3002',
    ]) {
      const uri = parseUri(text);
      assert.ok(uri instanceof AbsoluteUri);
      assert.equal(String(uri), text);
    }
    assert.equal((parseUri('Mailto:a@example.com') as AbsoluteUri).scheme, 'mailto');
  });

  it('still must look like a URI', () => {
    for (const text of ['', 'no-colon', '1abc:x', 'x:', 'http://a b', 'http://<a>'])
      assert.throws(() => parseUri(text), SipParseError, text);
  });
});

describe('hosts', () => {
  it('checks IPv6 text forms against RFC 4291 §2.2', () => {
    const valid = [
      '::',
      '::1',
      '1::',
      '2001:db8::10',
      '2001:db8:0:0:0:0:0:1',
      '::ffff:192.0.2.1',
      '2001:db8::192.0.2.1',
      'fe80::1:2:3:4:5:6',
    ];
    const invalid = [
      '',
      ':',
      ':1',
      '1:',
      '1:::2',
      '2001:db8:::192.0.2.1',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '12345::',
      'g::1',
      '::192.0.2',
      '1::2::3',
    ];
    for (const text of valid) assert.equal(isIPv6(text, 0, text.length), true, text);
    for (const text of invalid) assert.equal(isIPv6(text, 0, text.length), false, text);
  });

  it('accepts host names, IPv4 addresses and bracketed IPv6 addresses only', () => {
    for (const host of [
      'example.com',
      'example.com.',
      'a1',
      'x-y_z.example',
      '192.0.2.1',
      '[::1]',
      'df7jal23ls0d.invalid',
    ])
      assert.equal(isHost(host), true, host);
    for (const host of ['', '.', 'a..b', '1.2.3', '256.1.1.1', 'example.42', '[::1', '::1', 'a b'])
      assert.equal(isHost(host), false, host);
  });
});
