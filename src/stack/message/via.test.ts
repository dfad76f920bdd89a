import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SipParseError } from './sip-parse-error';
import { MAGIC_COOKIE, Via, parseViaList } from './via';

describe('Via (RFC 3261 §20.42)', () => {
  it('reads sent-protocol, sent-by and parameters', () => {
    const [via] = parseViaList(
      'SIP/2.0/udp pc33.example.com:5066;received=192.0.2.101;rport=41022;branch=z9hG4bK776asdhds;maddr=239.255.255.1;ttl=16',
    );
    assert.deepEqual([via.protocol, via.transport, via.host, via.port], ['SIP/2.0', 'UDP', 'pc33.example.com', 5066]);
    assert.deepEqual([via.branch, via.received, via.rport], ['z9hG4bK776asdhds', '192.0.2.101', 41022]);
    assert.equal(via.params.get('ttl'), '16');
    assert.equal(via.hasRfc3261Branch, true);
  });

  it('reads several entries on one line, with LWS around every separator', () => {
    const vias = parseViaList(
      'SIP  /  2.0  / TCP   spindle.example.com   ;  branch  =   z9hG4bK9ikj8  ,  sip/2.0/ws [2001:db8::9:1] : 8080 ; rport',
    );
    assert.deepEqual(
      vias.map((v) => [v.protocol, v.transport, v.host, v.port, v.branch, v.rport]),
      [
        ['SIP/2.0', 'TCP', 'spindle.example.com', undefined, 'z9hG4bK9ikj8', undefined],
        ['SIP/2.0', 'WS', '[2001:db8::9:1]', 8080, undefined, null],
      ],
    );
  });

  it('accepts received with or without IPv6 brackets and gives the address without them (RFC 5118 §4.5)', () => {
    assert.equal(parseViaList('SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255]')[0].received, '2001:db8::9:255');
    assert.equal(parseViaList('SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255')[0].received, '2001:db8::9:255');
  });

  it('tells an RFC 3261 branch from a bare cookie or an RFC 2543 one', () => {
    assert.equal(MAGIC_COOKIE, 'z9hG4bK');
    assert.equal(parseViaList('SIP/2.0/UDP h.example.com;branch=z9hG4bK')[0].hasRfc3261Branch, false);
    assert.equal(parseViaList('SIP/2.0/UDP h.example.com;branch=1234')[0].hasRfc3261Branch, false);
    assert.equal(parseViaList('SIP/2.0/UDP h.example.com')[0].hasRfc3261Branch, false);
  });

  const malformed: Array<[string, RegExp]> = [
    ['SIP/2.0/UDP', /missing sent-by host/],
    ['SIP/2.0 UDP h.example.com', /missing "\/" in sent-protocol/],
    ['SIP/2.0/UDPh.example.com', /missing sent-by host/],
    ['SIP/2.0/UDP h.example.com:port', /invalid port ""/],
    ['SIP/2.0/UDP h.example.com;;branch=z9hG4bK1', /where a parameter name was expected/],
    ['SIP/2.0/UDP h.example.com;branch', /branch parameter without a value/],
    ['SIP/2.0/UDP h.example.com;branch=z9hG4bK1,', /empty list element/],
    ['SIP/2.0/UDP 192.0.2.15;;,;,,', /unexpected ";"/],
    ['SIP/2.0/UDP h.example.com junk', /unexpected "j"/],
  ];
  for (const [text, reason] of malformed) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => parseViaList(text),
        (error: unknown) => error instanceof SipParseError && reason.test(error.message),
      );
    });
  }

  it('builds entries, upper-casing the transport, and changes them by copy', () => {
    const via = new Via({
      transport: 'wss',
      host: 'df7jal23ls0d.invalid',
      branch: 'z9hG4bK1',
      params: { rport: true },
    });
    assert.equal(String(via), 'SIP/2.0/WSS df7jal23ls0d.invalid;rport;branch=z9hG4bK1');
    const answered = via.withParam('received', '203.0.113.10').withParam('rport', '53412');
    assert.equal(
      String(answered),
      'SIP/2.0/WSS df7jal23ls0d.invalid;rport=53412;branch=z9hG4bK1;received=203.0.113.10',
    );
    assert.equal(
      String(via.with({ port: 5061, transport: 'tls' })),
      'SIP/2.0/TLS df7jal23ls0d.invalid:5061;rport;branch=z9hG4bK1',
    );
    assert.equal(String(via), 'SIP/2.0/WSS df7jal23ls0d.invalid;rport;branch=z9hG4bK1');
    assert.throws(() => new Via({ transport: 'UDP', host: 'not a host' }), RangeError);
    assert.throws(() => new Via({ transport: 'UDP', host: 'h.example.com', port: -1 }), RangeError);
  });
});
