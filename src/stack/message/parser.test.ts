import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIP_CORPUS } from '../../../tools/bench/sip-corpus';
import { NameAddr } from './name-addr';
import { parseMessage } from './parser';
import { SipParseError } from './sip-parse-error';
import { SipRequest } from './sip-request';
import { SipResponse } from './sip-response';
import { SipUri } from './sip-uri';

const CRLF = '\r\n';

/** A request with the fields every message needs, then `extra` header lines, then the body. */
function request(
  extra: string[] = [],
  body = '',
  contentLength: number | null = new TextEncoder().encode(body).length,
): string {
  return [
    'MESSAGE sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK776asdhds',
    'Max-Forwards: 70',
    'To: Bob <sip:bob@example.com>',
    'From: "Alice" <sip:alice@example.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.example.com',
    'CSeq: 314159 MESSAGE',
    ...extra,
    ...(contentLength === null ? [] : [`Content-Length: ${contentLength}`]),
    '',
    body,
  ].join(CRLF);
}

function rejects(input: string | Uint8Array, reason: RegExp): SipParseError {
  let caught: unknown;
  try {
    parseMessage(input);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof SipParseError, `expected SipParseError, got ${String(caught)}`);
  assert.match(caught.message, reason);
  assert.equal(caught.cause, undefined);
  return caught;
}

describe('parseMessage', () => {
  it('parses a request: start line, typed fields and body', () => {
    const m = parseMessage(request([], 'hello'));
    assert.ok(m instanceof SipRequest);
    assert.equal(m.method, 'MESSAGE');
    assert.equal(String(m.uri), 'sip:bob@example.com');
    assert.equal(m.version, 'SIP/2.0');
    assert.equal(m.callId, 'a84b4c76e66710@pc33.example.com');
    assert.deepEqual([m.cseq.seq, m.cseq.method], [314159, 'MESSAGE']);
    assert.deepEqual(
      [m.from.displayName, String(m.from.uri), m.from.tag],
      ['Alice', 'sip:alice@example.com', '1928301774'],
    );
    assert.deepEqual([m.to.displayName, m.to.tag], ['Bob', undefined]);
    assert.equal(m.via[0].branch, 'z9hG4bK776asdhds');
    assert.equal(m.branch, 'z9hG4bK776asdhds');
    assert.equal(m.maxForwards, 70);
    assert.equal(m.body, 'hello');
    assert.deepEqual(m.problems, []);
  });

  it('parses a response with its status and reason', () => {
    const text = request().replace('MESSAGE sip:bob@example.com SIP/2.0', 'SIP/2.0 486 Busy Here');
    const m = parseMessage(text);
    assert.ok(m instanceof SipResponse);
    assert.deepEqual([m.status, m.reason], [486, 'Busy Here']);
    assert.equal(m.startLine(), 'SIP/2.0 486 Busy Here');
  });

  it('parses every message of the benchmark corpus with the fields it holds', () => {
    for (const { name, text } of SIP_CORPUS) {
      const m = parseMessage(text);
      assert.ok(m.via.length > 0, name);
      assert.deepEqual(m.problems, [], name);
    }
    const desk = parseMessage(SIP_CORPUS.find((entry) => entry.name.startsWith('desk phone INVITE'))?.text ?? '');
    assert.equal(desk.via.length, 3);
    assert.equal(desk.via[1].received, '198.51.100.9');
    assert.equal(desk.callId, '1471390283-5060-17@BA.GC.A.BHB');
    assert.deepEqual(desk.headers('Allow').length, 14);
    assert.deepEqual(desk.headers('Supported'), ['replaces', 'timer']);
  });

  describe('Content-Length counts octets (RFC 3261 §20.14), not UTF-16 code units', () => {
    const body = 'Grüße 👋 你好';
    const octets = new TextEncoder().encode(body).length; // 19 octets in 11 code units

    it('slices a non-ASCII body by its octet count', () => {
      assert.deepEqual([octets, body.length], [19, 11]);
      const m = parseMessage(request([], body));
      assert.equal(m.body, body);
      assert.equal(m.contentLength, 19);
    });

    it('discards octets after the body (RFC 3261 §18.3)', () => {
      const m = parseMessage(`${request([], body)}trailing garbage`);
      assert.equal(m.body, body);
    });

    it('stops inside the body where the count says, not where the code units would', () => {
      // "Grüße" is 7 octets, SP one more, 👋 four: 12 octets are 8 code units, not 12.
      assert.equal(parseMessage(request([], body, 12)).body, 'Grüße 👋');
      assert.equal(parseMessage(request([], body, 8)).body, 'Grüße ');
    });

    it('rejects a count that ends inside a character', () => {
      rejects(request([], body, 9), /^Content-Length 9 ends inside a UTF-8 character of the body$/);
    });

    it('rejects a count larger than the body, naming both', () => {
      rejects(request([], body, 99), /^Content-Length 99 exceeds the 19-byte body$/);
    });

    it('reads octets given as a Uint8Array the same way, keeping a binary body exact', () => {
      const binary = new Uint8Array([0x00, 0xff, 0x0d, 0x0a, 0x80, 0x41]);
      const head = new TextEncoder().encode(request(['Content-Type: application/octet-stream'], '', binary.length));
      const input = new Uint8Array(head.length + binary.length + 3);
      input.set(head);
      input.set(binary, head.length);
      const m = parseMessage(input);
      assert.deepEqual([...m.bodyBytes], [...binary]);
      assert.equal(m.contentLength, 6);
      const text = new TextEncoder().encode(request([], body));
      assert.equal(parseMessage(text).body, body);
      // A Node Buffer is a Uint8Array whose slice() shares memory: the body must be a copy.
      const buffer = Buffer.from(input);
      const fromBuffer = parseMessage(buffer);
      buffer.fill(0);
      assert.deepEqual([...fromBuffer.bodyBytes], [...binary]);
    });

    it('without Content-Length takes the rest of the input as the body (message-framed transport)', () => {
      assert.equal(parseMessage(request([], body, null)).body, body);
    });
  });

  describe('header fields', () => {
    it('finds fields by any case and by compact form (RFC 3261 §7.3.3)', () => {
      const m = parseMessage(request(['i: ignored-duplicate-is-not-read'], '').replace('Call-ID:', 'X-Call-ID:'));
      assert.equal(m.callId, 'ignored-duplicate-is-not-read');
      assert.equal(m.header('call-id'), 'ignored-duplicate-is-not-read');
      assert.equal(m.header('I'), 'ignored-duplicate-is-not-read');
      assert.equal(m.header('x-call-id'), 'a84b4c76e66710@pc33.example.com');
      assert.equal(m.header('v'), 'SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK776asdhds');
      assert.equal(m.hasHeader('VIA'), true);
      assert.equal(m.header('Subject'), undefined);
      assert.deepEqual(m.headers('Subject'), []);
    });

    it('unfolds continuation lines into single spaces (RFC 3261 §7.3.1)', () => {
      const m = parseMessage(request(['Subject: I know you are there,', '   pick up the phone', '\tand talk to me!']));
      assert.equal(m.header('Subject'), 'I know you are there, pick up the phone and talk to me!');
    });

    it('splits comma-separated lists, but not inside quotes or <>, and not the auth fields', () => {
      const m = parseMessage(
        request([
          'Allow: INVITE, ACK,CANCEL , BYE',
          'Supported: timer',
          'Supported: replaces, 100rel',
          'Contact: "Doe, John" <sip:j,k@example.com;x=a>, <sip:k@example.com>',
          'WWW-Authenticate: Digest realm="example.com", nonce="abc", qop="auth,auth-int"',
          'Date: Sat, 13 Nov 2010 23:29:00 GMT',
        ]),
      );
      assert.deepEqual(m.headers('Allow'), ['INVITE', 'ACK', 'CANCEL', 'BYE']);
      assert.equal(m.header('Allow'), 'INVITE');
      assert.deepEqual(m.headers('k'), ['timer', 'replaces', '100rel']);
      assert.deepEqual(m.headers('Contact'), ['"Doe, John" <sip:j,k@example.com;x=a>', '<sip:k@example.com>']);
      assert.equal((m.contact[0] as NameAddr).displayName, 'Doe, John');
      assert.deepEqual(m.headers('WWW-Authenticate'), ['Digest realm="example.com", nonce="abc", qop="auth,auth-int"']);
      assert.deepEqual(m.headers('Date'), ['Sat, 13 Nov 2010 23:29:00 GMT']);
    });

    it('keeps the names as received and the order of every line', () => {
      const m = parseMessage(request(['X-First: 1', 'x-second: 2']));
      assert.deepEqual(
        m.headerFields.map((f) => f.name),
        ['Via', 'Max-Forwards', 'To', 'From', 'Call-ID', 'CSeq', 'X-First', 'x-second', 'Content-Length'],
      );
    });

    it('reads Contact "*" and rejects "*" beside an address', () => {
      assert.deepEqual(parseMessage(request(['Contact: *', 'Expires: 0'])).contact, ['*']);
      rejects(request(['Contact: *, <sip:a@example.com>']), /"\*" must be the only Contact value/);
    });

    it('reads Route and Record-Route when first used, throwing SipParseError then if malformed', () => {
      const m = parseMessage(
        request(['Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>', 'Record-Route: sip:bad.example.com']),
      );
      assert.deepEqual(
        m.route.map((r) => (r.uri as SipUri).host),
        ['p1.example.com', 'p2.example.com'],
      );
      assert.throws(() => m.recordRoute, SipParseError);
      assert.equal(m.header('Record-Route'), 'sip:bad.example.com');
    });
  });

  describe('framing and line ends', () => {
    it('ignores CRLFs before the start line (RFC 3261 §7.5)', () => {
      assert.equal(parseMessage(`\r\n\r\n${request()}`).callId, 'a84b4c76e66710@pc33.example.com');
    });

    it('accepts bare LF line ends and treats a missing final empty line as an empty body', () => {
      const lf = request([], 'body').replace(/\r\n/g, '\n');
      assert.equal(parseMessage(lf).body, 'body');
      const noEmptyLine = request().slice(0, -4);
      assert.ok(noEmptyLine.endsWith('Content-Length: 0'));
      assert.equal(parseMessage(noEmptyLine).body, '');
    });

    it('rejects a CR without LF anywhere in the header section', () => {
      rejects(request(['Subject: one\rtwo']), /CR without LF/);
      rejects(
        request(['Call-ID-Extra: x', 'Via: SIP/2.0/UDP a.example.com\r;branch=z9hG4bK1']),
        /CR without LF|invalid Via/,
      );
      rejects('OPTIONS sip:a@b.example\r SIP/2.0\r\n', /CR without LF in the start line/);
    });

    it('rejects an empty message, a message with no line, and a line that is not a field', () => {
      rejects('', /^empty message$/);
      rejects('\r\n\r\n', /^empty message$/);
      rejects('OPTIONS sip:a@example.com SIP/2.0', /^no line break after the start line$/);
      rejects(request(['this is not a header']), /^line 8 is not a header field: "this is not a header"$/);
      rejects(request(['Bad Name: x']), /is not a header field|invalid header field name/);
      rejects(
        'MESSAGE sip:b@example.com SIP/2.0\r\n   x\r\n\r\n',
        /^line 2 starts with whitespace but continues no header field$/,
      );
    });
  });

  describe('start lines', () => {
    it('checks the Request-Line element by element (RFC 3261 §7.1)', () => {
      const swap = (line: string) => request().replace('MESSAGE sip:bob@example.com SIP/2.0', line);
      rejects(swap('MESSAGE  sip:bob@example.com SIP/2.0'), /more than one SP/);
      rejects(swap('MESSAGE sip:bob@example.com SIP/2.0 '), /whitespace at the end of the Request-Line/);
      rejects(swap('MESSAGE sip:bob@example.com; lr SIP/2.0'), /whitespace inside the Request-URI/);
      rejects(swap('MESSAGE sip:bob@example.com SIP/2'), /malformed SIP-Version/);
      rejects(swap('MESS@GE sip:bob@example.com SIP/2.0'), /invalid method/);
      rejects(swap('MESSAGE'), /neither a Request-Line nor a Status-Line/);
      rejects(swap('MESSAGE sip:bob@exa mple.com SIP/2.0'), /whitespace inside the Request-URI/);
      assert.equal(parseMessage(swap('MESSAGE sip:bob@example.com sip/2.0')).version, 'SIP/2.0');
    });

    it('checks the Status-Line (RFC 3261 §7.2)', () => {
      const swap = (line: string) => request().replace('MESSAGE sip:bob@example.com SIP/2.0', line);
      rejects(swap('SIP/2.0 2000 OK'), /status code "2000" is not a three-digit code/);
      rejects(swap('SIP/2.0 099 Early'), /status code "099"/);
      rejects(swap('SIP/2.0 200OK'), /unexpected "O" after the status code/);
      const version = rejects(swap('SIP/3.0 200 OK'), /unsupported version SIP\/3.0 in a response/);
      assert.equal(version.status, 505);
      assert.equal((parseMessage(swap('SIP/2.0 200')) as SipResponse).reason, '');
    });
  });

  describe('faults a UAS answers rather than drops', () => {
    it('flags a request version other than SIP/2.0 with 505', () => {
      const m = parseMessage(request().replace('SIP/2.0\r\n', 'SIP/3.0\r\n'));
      assert.deepEqual(
        m.problems.map((p) => p.status),
        [505],
      );
      assert.equal(m.version, 'SIP/3.0');
    });

    it('flags a Request-URI scheme other than sip, sips and tel with 416', () => {
      const m = parseMessage(request().replace('MESSAGE sip:bob@example.com', 'MESSAGE mailto:bob@example.com'));
      assert.deepEqual(
        m.problems.map((p) => p.status),
        [416],
      );
      assert.deepEqual(
        parseMessage(request().replace('sip:bob@example.com SIP', 'tel:+1-201-555-0123 SIP')).problems,
        [],
      );
    });

    it('flags an out-of-range Max-Forwards or Expires with 400 and reads it as absent', () => {
      const m = parseMessage(request(['Expires: soon']).replace('Max-Forwards: 70', 'Max-Forwards: 256'));
      assert.deepEqual(
        m.problems.map((p) => p.status),
        [400, 400],
      );
      assert.match(m.problems[0].reason, /Max-Forwards/);
      assert.equal(m.maxForwards, undefined);
      assert.equal(m.expires, undefined);
      const twice = parseMessage(request(['Max-Forwards: 69']));
      assert.deepEqual(
        twice.problems.map((p) => p.reason),
        ['more than one Max-Forwards header field'],
      );
    });
  });

  describe('malformed typed fields throw SipParseError naming the field and the problem', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['From', 'From: <sip:alice@example.com', /invalid From header field .*missing ">"/],
      ['To', 'To: "Bob <sip:bob@example.com>', /invalid To header field .*unterminated quoted string/],
      ['tag', 'From: <sip:alice@example.com>;tag', /invalid From header field .*tag parameter without a value/],
      ['Via', 'Via: SIP/2.0/UDP', /invalid Via header field .*missing sent-by host/],
      ['Via port', 'Via: SIP/2.0/UDP host.example.com:70000;branch=z9hG4bK1', /invalid port "70000"/],
      ['Call-ID', 'Call-ID: has space', /invalid Call-ID header field .*invalid character " " in Call-ID/],
      ['CSeq', 'CSeq: one MESSAGE', /invalid CSeq header field .*missing sequence number/],
      ['Content-Length', 'Content-Length: 1e3', /invalid Content-Length header field "1e3"/],
      ['Contact', 'Contact: <sip:a@[::1>', /invalid Contact header field/],
    ];
    for (const [what, line, reason] of cases) {
      it(what, () => {
        const name = line.slice(0, line.indexOf(':'));
        const text = request().replace(
          new RegExp(`^${name === 'Content-Length' ? 'Content-Length: 0' : `${name}:[^\\r]*`}`, 'm'),
          line,
        );
        const error = rejects(name === 'Contact' ? request([line]) : text, reason);
        assert.equal(error.status, 400);
      });
    }

    it('a missing required field', () => {
      rejects(request().replace(/^Via:[^\r]*\r\n/m, ''), /^missing Via header field$/);
    });

    it('a repeated single-valued field', () => {
      rejects(request(['To: <sip:carol@example.com>']), /^more than one To header field$/);
    });
  });
});
