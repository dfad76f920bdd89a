import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CSeq } from './cseq';
import { NameAddr } from './name-addr';
import { parseMessage } from './parser';
import { serialize, serializeBytes } from './serializer';
import { isRequest, isResponse } from './sip-message';
import { SipParseError } from './sip-parse-error';
import { SipRequest } from './sip-request';
import { SipResponse } from './sip-response';
import { SipUri } from './sip-uri';
import { Via } from './via';

/** A request built the way the transaction and dialog layers will build one. */
function invite(): SipRequest {
  const request = new SipRequest('INVITE', new SipUri({ user: 'bob', host: 'example.com' }));
  request.via = [
    new Via({ transport: 'wss', host: 'df7jal23ls0d.invalid', branch: 'z9hG4bK74bf9', params: { rport: null } }),
  ];
  request.maxForwards = 70;
  request.from = new NameAddr(new SipUri({ user: 'alice', host: 'example.com' }), {
    displayName: 'Alice',
    params: { tag: '9fxced76sl' },
  });
  request.to = new NameAddr('sip:bob@example.com');
  request.callId = '3848276298220188511@df7jal23ls0d.invalid';
  request.cseq = new CSeq(1, 'INVITE');
  request.contact = [
    new NameAddr(new SipUri({ user: 'q8c2ra4k', host: 'df7jal23ls0d.invalid', params: { transport: 'ws', ob: true } })),
  ];
  request.setHeader('Allow', 'INVITE, ACK, CANCEL, BYE');
  return request;
}

describe('building messages', () => {
  it('serializes a built request that parses back to the same values', () => {
    const text = serialize(invite());
    assert.equal(
      text,
      [
        'INVITE sip:bob@example.com SIP/2.0',
        'Via: SIP/2.0/WSS df7jal23ls0d.invalid;rport;branch=z9hG4bK74bf9',
        'Max-Forwards: 70',
        'From: "Alice" <sip:alice@example.com>;tag=9fxced76sl',
        'To: <sip:bob@example.com>',
        'Call-ID: 3848276298220188511@df7jal23ls0d.invalid',
        'CSeq: 1 INVITE',
        'Contact: <sip:q8c2ra4k@df7jal23ls0d.invalid;transport=ws;ob>',
        'Allow: INVITE, ACK, CANCEL, BYE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    const parsed = parseMessage(text);
    assert.ok(isRequest(parsed));
    assert.equal(parsed.via[0].branch, 'z9hG4bK74bf9');
    assert.equal(parsed.from.tag, '9fxced76sl');
    assert.equal((parsed.contact[0] as NameAddr).uri.toString(), 'sip:q8c2ra4k@df7jal23ls0d.invalid;transport=ws;ob');
    assert.equal(String(parsed), text);
  });

  it('writes Content-Length as the body length in octets, in place of any given value', () => {
    const request = invite();
    request.setHeader('Content-Length', 999);
    request.contentType = 'text/plain;charset=utf-8';
    request.body = 'Grüße 👋';
    assert.equal(request.contentLength, 12);
    const text = request.toString();
    assert.match(text, /\r\nContent-Length: 12\r\nContent-Type: text\/plain;charset=utf-8\r\n\r\nGrüße 👋$/);
    assert.equal(parseMessage(text).body, 'Grüße 👋');
    assert.equal(parseMessage(serializeBytes(request)).body, 'Grüße 👋');
  });

  it('keeps a binary body exact in octets and counts it in octets', () => {
    const request = invite();
    request.body = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00]);
    assert.equal(request.contentLength, 5);
    const bytes = request.toBytes();
    assert.deepEqual([...bytes.slice(-5)], [0xde, 0xad, 0xbe, 0xef, 0x00]);
    assert.deepEqual([...parseMessage(bytes).bodyBytes], [0xde, 0xad, 0xbe, 0xef, 0x00]);
  });

  it('builds responses with the RFC 3261 reason phrase by default', () => {
    const response = new SipResponse(180);
    assert.equal(response.reason, 'Ringing');
    assert.equal(new SipResponse(299).reason, 'Success');
    assert.equal(new SipResponse(487, 'Terminated by you').startLine(), 'SIP/2.0 487 Terminated by you');
    assert.throws(() => new SipResponse(99), RangeError);
    assert.throws(() => new SipResponse(200, 'OK\r\nVia: x'), RangeError);
    assert.ok(isResponse(response) && !isRequest(response));
  });

  it('rejects a method that is not a token and parses a Request-URI given as text', () => {
    assert.throws(() => new SipRequest('IN VITE', 'sip:a@example.com'), RangeError);
    assert.throws(() => new SipRequest('INVITE', 'sip:a@'), SipParseError);
    assert.equal((new SipRequest('OPTIONS', 'sips:a@example.com:5061').uri as SipUri).port, 5061);
  });

  it('says which required field a built message lacks', () => {
    const request = new SipRequest('OPTIONS', 'sip:a@example.com');
    assert.throws(() => request.from, /the message has no From header field/);
    assert.deepEqual(request.via, []);
    assert.deepEqual(request.contact, []);
    assert.equal(request.branch, undefined);
  });
});

describe('changing messages', () => {
  it('prepends a Via before the first one and removes the top one again (RFC 3261 §16.6, §18.1.2)', () => {
    const request = invite();
    request.addHeader('Via', new Via({ transport: 'UDP', host: '198.51.100.1', port: 5060, branch: 'z9hG4bKproxy' }), {
      prepend: true,
    });
    assert.deepEqual(
      request.via.map((v) => v.branch),
      ['z9hG4bKproxy', 'z9hG4bK74bf9'],
    );
    assert.equal(request.branch, 'z9hG4bKproxy');
    assert.equal(request.removeFirstValue('Via'), 'SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKproxy');
    assert.deepEqual(
      request.via.map((v) => v.branch),
      ['z9hG4bK74bf9'],
    );
  });

  it('removes the first value of a line holding several, keeping the others', () => {
    const message = parseMessage(
      'SIP/2.0 200 OK\r\nv: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n' +
        'Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK3\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n' +
        'Call-ID: x\r\nCSeq: 1 OPTIONS\r\nRoute: <sip:r1.example.com;lr>, <sip:r2.example.com;lr>\r\nContent-Length: 0\r\n\r\n',
    );
    assert.equal(message.removeFirstValue('Via'), 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1');
    assert.deepEqual(
      message.via.map((v) => v.host),
      ['b.example.com', 'c.example.com'],
    );
    assert.deepEqual(message.headers('Via'), [
      'SIP/2.0/UDP b.example.com;branch=z9hG4bK2',
      'SIP/2.0/UDP c.example.com;branch=z9hG4bK3',
    ]);
    assert.equal(message.removeFirstValue('Route'), '<sip:r1.example.com;lr>');
    assert.deepEqual(message.route.map(String), ['<sip:r2.example.com;lr>']);
    assert.equal(message.removeFirstValue('Route'), '<sip:r2.example.com;lr>');
    assert.equal(message.hasHeader('Route'), false);
    assert.equal(message.removeFirstValue('Route'), undefined);
    assert.equal(message.removeFirstValue('Call-ID'), 'x');
  });

  it('adds Record-Route on top and other fields after their last line or at the end', () => {
    const request = invite();
    request.addHeader('Record-Route', '<sip:p2.example.com;lr>');
    request.addHeader('Record-Route', '<sip:p1.example.com;lr>', { prepend: true });
    request.addHeader('Allow', 'OPTIONS');
    assert.deepEqual(
      request.recordRoute.map((r) => (r.uri as SipUri).host),
      ['p1.example.com', 'p2.example.com'],
    );
    assert.deepEqual(request.headers('Allow'), ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS']);
    assert.deepEqual(
      request.headerFields.map((f) => f.name),
      [
        'Via',
        'Max-Forwards',
        'From',
        'To',
        'Call-ID',
        'CSeq',
        'Contact',
        'Allow',
        'Allow',
        'Record-Route',
        'Record-Route',
      ],
    );
    request.addHeader('Route', '<sip:p1.example.com;lr>', { prepend: true });
    assert.equal(request.headerFields[0].name, 'Route', 'a prepended field that was absent goes on top');
  });

  it('keeps typed accessors and text consistent whichever way a field is changed', () => {
    const request = invite();
    request.setHeader('From', '"Carol" <sip:carol@example.com>;tag=abc');
    assert.equal(request.from.displayName, 'Carol');
    request.from = request.from.withTag('def');
    assert.equal(request.header('From'), '"Carol" <sip:carol@example.com>;tag=def');
    request.to = request.to.withTag('xyz');
    assert.equal(request.to.tag, 'xyz');
    request.cseq = new CSeq(2, 'INVITE');
    assert.equal(request.header('CSeq'), '2 INVITE');
    request.setHeader('CSeq', '3 INVITE');
    assert.equal(request.cseq.seq, 3);
    request.maxForwards = request.maxForwards === undefined ? 70 : request.maxForwards - 1;
    assert.equal(request.header('Max-Forwards'), '69');
    request.maxForwards = undefined;
    assert.equal(request.hasHeader('Max-Forwards'), false);
    request.expires = 300;
    assert.equal(request.expires, 300);
    request.contact = ['*'];
    assert.equal(request.header('Contact'), '*');
    request.contact = [];
    assert.equal(request.hasHeader('m'), false);
    request.callId = 'new-call@host';
    assert.equal(request.callId, 'new-call@host');
    assert.equal(request.removeHeader('Allow'), true);
    assert.equal(request.removeHeader('Allow'), false);
    const reparsed = parseMessage(request.toString());
    assert.deepEqual(
      [reparsed.from.tag, reparsed.to.tag, reparsed.cseq.seq, reparsed.callId],
      ['def', 'xyz', 3, 'new-call@host'],
    );
  });

  it('replaces every line of a field where its first line was', () => {
    const message = parseMessage(
      'OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\nSupported: a\r\nFrom: <sip:a@example.com>;tag=1\r\n' +
        'Supported: b\r\nTo: <sip:a@example.com>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n',
    );
    message.setHeader('k', ['timer', '100rel']);
    assert.deepEqual(
      message.headerFields.map((f) => f.name),
      ['Via', 'Supported', 'Supported', 'From', 'To', 'Call-ID', 'CSeq'],
    );
    assert.deepEqual(message.headers('Supported'), ['timer', '100rel']);
  });

  it('checks values as they are set: a malformed typed value throws SipParseError, CR or LF a RangeError', () => {
    const request = invite();
    assert.throws(() => request.setHeader('Via', 'SIP/2.0/UDP'), SipParseError);
    assert.throws(() => request.setHeader('To', '<sip:bob@example.com'), SipParseError);
    assert.throws(() => request.setHeader('Max-Forwards', 300), SipParseError);
    assert.throws(() => request.setHeader('Subject', 'hi\r\nVia: SIP/2.0/UDP evil.example.com'), RangeError);
    assert.throws(() => request.setHeader('Bad Name', 'x'), RangeError);
    assert.throws(() => new NameAddr('sip:a@example.com', { displayName: 'Eve\r\nVia: x' }), RangeError);
    assert.equal(request.via.length, 1, 'a rejected value leaves the message as it was');
  });

  it('clones a message that can then change on its own', () => {
    const original = invite();
    original.body = 'v=0\r\n';
    const copy = original.clone();
    copy.addHeader('Via', new Via({ transport: 'UDP', host: 'proxy.example.com', branch: 'z9hG4bKc' }), {
      prepend: true,
    });
    copy.body = '';
    assert.equal(original.via.length, 1);
    assert.equal(copy.via.length, 2);
    assert.equal(original.body, 'v=0\r\n');
    assert.ok(copy instanceof SipRequest);
    assert.equal(copy.method, 'INVITE');
  });

  it('lists the Require option tags a UAS does not support (RFC 3261 §8.2.2.3)', () => {
    const request = invite();
    request.setHeader('Require', '100rel, timer');
    assert.deepEqual(request.unsupportedExtensions(['timer']), ['100rel']);
    assert.deepEqual(
      new SipRequest('ACK', 'sip:a@example.com').setHeader('Require', 'x').unsupportedExtensions([]),
      [],
    );
  });
});

describe('list header fields of any length', () => {
  it('gives every element of a 300,000-element list line without overflowing the stack', () => {
    const text = `OPTIONS sip:a@b SIP/2.0\r\nv: SIP/2.0/WS a;branch=z9hG4bK1\r\nf: <sip:a@b>;tag=1\r\nt: <sip:b@b>\r\ni: x\r\nCSeq: 1 OPTIONS\r\nRequire: ${'x,'.repeat(300_000)}y\r\n\r\n`;
    const values = parseMessage(text).headers('Require');
    assert.equal(values.length, 300_001);
    assert.equal(values.at(-1), 'y');
  });
});
