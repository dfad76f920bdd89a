/**
 * RFC 4475 (SIP torture tests) and RFC 5118 (IPv6 torture tests): every message in
 * test/fixtures/sip-torture/ gets the verdict its RFC section gives.
 *
 * - valid:  parseMessage accepts it; the values the section points at are checked.
 * - flag:   well-formed, but a UAS must refuse it: it parses with `problems[0].status` naming the
 *           response (400, 416, 505), so the UA can answer instead of dropping it.
 * - reject: parseMessage throws SipParseError naming the problem. These are the messages RFC 4475
 *           §3.1.2 calls malformed where a field our contract exposes (start line, Via, From, To,
 *           Call-ID, CSeq, Contact, Content-Length) is wrong or ambiguous: there is no sound value
 *           to hand the UA, and the RFC allows rejecting each one (a stateless UAS would answer
 *           400 where it can; a response is only dropped). SipParseError#status says 400.
 *
 * Where the RFC leaves a choice (reject or be liberal), the choice is written beside the case.
 * Files are read as octets (two are binary: intmeth holds NUL, mpart01 a binary body); the files
 * that are valid UTF-8 are also parsed as text and must give the same verdict.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AbsoluteUri } from './absolute-uri';
import { NameAddr } from './name-addr';
import { parseMessage } from './parser';
import type { SipMessage } from './sip-message';
import { SipParseError } from './sip-parse-error';
import { SipRequest } from './sip-request';
import type { SipResponse } from './sip-response';
import { SipUri } from './sip-uri';
import { parseUri } from './uri';
import { Via } from './via';

const DIR = new URL('../../../test/fixtures/sip-torture/', import.meta.url);

/** Either kind of message, so that one check can read request and response fields alike. */
type Parsed = Omit<SipRequest, 'kind'> & Omit<SipResponse, 'kind'>;
type Check = (m: Parsed) => void;

interface Verdict {
  rfc: 'RFC 4475' | 'RFC 5118';
  section: string;
  title: string;
  outcome: 'valid' | 'flag' | 'reject';
  /** flag: the status of problems[0]. */
  status?: number;
  /** reject: the SipParseError message must match. */
  reason?: RegExp;
  /** valid and flag: the values the section is about. */
  check?: Check;
  /** Why this outcome where the RFC allows more than one. */
  note?: string;
}

const sip = (uri: unknown): SipUri => {
  assert.ok(uri instanceof SipUri, `expected a SIP URI, got ${String(uri)}`);
  return uri;
};
const addr = (entry: unknown): NameAddr => {
  assert.ok(entry instanceof NameAddr);
  return entry;
};
const vias = (m: Pick<SipMessage, 'via'>) =>
  m.via.map((v) => `${v.transport} ${v.host}${v.port === undefined ? '' : `:${v.port}`}`);

const VERDICTS: Record<string, Verdict> = {
  // ---------------------------------------------------------------- RFC 4475 §3.1.1 valid
  wsinv: {
    rfc: 'RFC 4475',
    section: '3.1.1.1',
    title: 'A Short Tortuous INVITE',
    outcome: 'valid',
    check: (m) => {
      assert.equal(m.method, 'INVITE');
      assert.deepEqual([...sip(m.uri).params], [['unknownparam', null]]);
      assert.equal(m.to.tag, '1918181833n');
      assert.equal(String(m.to.uri), 'sip:vivekg@chair-dnrc.example.com');
      assert.equal(m.from.displayName, 'J Rosenberg \\"');
      assert.equal(m.from.tag, '98asjd8');
      assert.equal(m.maxForwards, 68);
      assert.equal(m.callId, 'wsinv.ndaksdj@192.0.2.1');
      assert.deepEqual([m.cseq.seq, m.cseq.method], [9, 'INVITE']);
      assert.deepEqual(vias(m), ['UDP 192.0.2.2', 'TCP spindle.example.com', 'UDP 192.168.255.111']);
      assert.deepEqual(
        m.via.map((v) => v.branch),
        ['390skdjuw', 'z9hG4bK9ikj8', 'z9hG4bK30239'],
      );
      assert.equal(m.header('Subject'), '');
      assert.equal(m.header('NewFangledHeader'), 'newfangled value continued newfangled value');
      assert.equal(m.header('UnknownHeaderWithUnusualValue'), ';;,,;;,;');
      assert.deepEqual(
        [...sip(m.route[0].uri).params],
        [
          ['lr', null],
          ['unknownwith', 'value'],
          ['unknown-no-value', null],
        ],
      );
      const contact = addr(m.contact[0]);
      assert.equal(contact.displayName, 'Quoted string ""');
      assert.deepEqual(
        [...contact.params],
        [
          ['newparam', 'newvalue'],
          ['secondparam', null],
          ['q', '0.33'],
        ],
      );
      assert.equal(contact.q, 0.33);
      assert.equal(m.contentLength, 150);
      assert.ok(m.body.startsWith('v=0\r\n'));
    },
  },
  intmeth: {
    rfc: 'RFC 4475',
    section: '3.1.1.2',
    title: 'Wide Range of Valid Characters',
    outcome: 'valid',
    check: (m) => {
      const method = "!interesting-Method0123456789_*+`.%indeed'~";
      assert.equal(m.method, method);
      assert.equal(m.cseq.method, method);
      assert.equal(sip(m.uri).user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
      assert.equal(sip(m.uri).password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
      assert.equal(m.via[0].branch, "z9hG4bK-.!%66*_+`'~");
      assert.equal(m.to.displayName, 'BEL:\x07 NUL:\x00 DEL:\x7f');
      assert.equal(m.from.displayName, "token1~` token2'+_ token3*%!.-");
      assert.equal(m.from.params.get("fromparam''~+*_!.-%"), '"работающий"');
      assert.equal(m.from.tag, "_token~1'+`*%!-.");
      assert.equal(m.callId, 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
      assert.equal(m.maxForwards, 255);
      // The value starts with U+FEFF, which is content here, not whitespace to trim.
      assert.equal(m.header("extensionHeader-!.%*+_`'~"), '\ufeff大停電');
    },
  },
  esc01: {
    rfc: 'RFC 4475',
    section: '3.1.1.3',
    title: 'Valid Use of the % Escaping Mechanism',
    outcome: 'valid',
    check: (m) => {
      assert.equal(sip(m.uri).user, 'sips:user@example.com');
      assert.equal(sip(m.uri).host, 'example.net');
      assert.equal(sip(m.to.uri).user, 'user');
      assert.equal(sip(m.from.uri).user, 'I have spaces');
      assert.equal(m.callId, 'esc01.239409asdfakjkn23onasd0-3234');
      assert.equal(m.contentType, 'application/sdp');
      const contact = sip(addr(m.contact[0]).uri);
      assert.equal(contact.user, 'caller');
      // "name" is v%61lue%25%34%31: unescaped once it is value%41, not valueA.
      assert.deepEqual(
        [...contact.params],
        [
          ['lr', null],
          ['name', 'value%41'],
        ],
      );
    },
  },
  escnull: {
    rfc: 'RFC 4475',
    section: '3.1.1.4',
    title: 'Escaped Nulls in URIs',
    outcome: 'valid',
    check: (m) => {
      assert.equal(sip(m.to.uri).user, 'null-\x00-null');
      assert.deepEqual(
        m.contact.map((c) => sip(addr(c).uri).user),
        ['\x00', '\x00\x00'],
      );
    },
  },
  esc02: {
    rfc: 'RFC 4475',
    section: '3.1.1.5',
    title: 'Use of % When It Is Not an Escape',
    outcome: 'valid',
    check: (m) => {
      assert.equal(m.method, 'RE%47IST%45R');
      assert.equal(m.cseq.method, 'RE%47IST%45R');
      assert.equal(m.to.displayName, '%Z%45');
      assert.equal(m.via[0].branch, 'z9hG4bK209%fzsnel234');
      // C%6Fntact is an unknown field, not Contact: two Contact values only.
      assert.deepEqual(
        m.contact.map((c) => sip(addr(c).uri).user),
        ['alias1', 'alias3'],
      );
      assert.equal(m.header('C%6Fntact'), '<sip:alias2@host2.example.com>');
      assert.deepEqual(m.problems, []);
    },
  },
  lwsdisp: {
    rfc: 'RFC 4475',
    section: '3.1.1.6',
    title: 'Message with No LWS between Display Name and <',
    outcome: 'valid',
    check: (m) => {
      assert.equal(m.from.displayName, 'caller');
      assert.equal(m.from.tag, '323');
    },
  },
  longreq: {
    rfc: 'RFC 4475',
    section: '3.1.1.7',
    title: 'Long Values in Header Fields',
    outcome: 'valid',
    check: (m) => {
      assert.match(m.to.displayName ?? '', /^I have a user name of (extreme){10} proportion$/);
      assert.equal(sip(m.to.uri).port, 6000);
      assert.equal(sip(m.to.uri).params.size, 3);
      assert.match(m.from.tag ?? '', /^12(982){50}424$/);
      assert.equal(m.via.length, 34);
      assert.equal(m.via[33].received, '192.0.2.5');
      assert.match(m.via[33].branch ?? '', /^verylong(long){49}branchvalue$/);
      assert.equal(m.contentLength, 150);
    },
  },
  dblreq: {
    rfc: 'RFC 4475',
    section: '3.1.1.8',
    title: 'Extra Trailing Octets in a UDP Datagram',
    outcome: 'valid',
    note: 'RFC 3261 §18.3: octets after Content-Length are discarded, so the INVITE after the REGISTER is not read.',
    check: (m) => {
      assert.equal(m.method, 'REGISTER');
      assert.equal(m.callId, 'dblreq.0ha0isndaksdj99sdfafnl3lk233412');
      assert.equal(m.body, '');
    },
  },
  semiuri: {
    rfc: 'RFC 4475',
    section: '3.1.1.9',
    title: 'Semicolon-Separated Parameters in URI User Part',
    outcome: 'valid',
    check: (m) => {
      assert.equal(sip(m.uri).user, 'user;par=u@example.net');
      assert.equal(sip(m.uri).host, 'example.com');
      assert.equal(sip(m.uri).params.size, 0);
      assert.deepEqual(m.headers('Accept'), [
        'application/sdp',
        'application/pkcs7-mime',
        'multipart/mixed',
        'multipart/signed',
        'message/sip',
        'message/sipfrag',
      ]);
    },
  },
  transports: {
    rfc: 'RFC 4475',
    section: '3.1.1.10',
    title: 'Varied and Unknown Transport Types',
    outcome: 'valid',
    check: (m) => {
      assert.deepEqual(
        m.via.map((v) => v.transport),
        ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP'],
      );
      assert.equal(m.callId, 'transports.kijh4akdnaqjkwendsasfdj');
    },
  },
  mpart01: {
    rfc: 'RFC 4475',
    section: '3.1.1.11',
    title: 'Multipart MIME Message',
    outcome: 'valid',
    check: (m) => {
      assert.equal(m.contentType, 'multipart/mixed;boundary=7a9cbec02ceef655');
      assert.equal(m.bodyBytes.length, 553);
      assert.equal(m.via[0].rport, null);
      assert.equal(String(m.route[0].uri), 'sip:127.0.0.1:5080');
    },
  },
  unreason: {
    rfc: 'RFC 4475',
    section: '3.1.1.12',
    title: 'Unusual Reason Phrase',
    outcome: 'valid',
    check: (m) => {
      assert.equal(m.status, 200);
      assert.equal(m.reason, '= 2**3 * 5**2 но сто девяносто девять - простое');
      assert.equal(m.contentLength, 154);
    },
  },
  noreason: {
    rfc: 'RFC 4475',
    section: '3.1.1.13',
    title: 'Empty Reason Phrase',
    outcome: 'valid',
    check: (m) => {
      assert.equal(m.status, 100);
      assert.equal(m.reason, '');
    },
  },
  // ---------------------------------------------------------------- RFC 4475 §3.1.2 invalid
  badinv01: {
    rfc: 'RFC 4475',
    section: '3.1.2.1',
    title: 'Extraneous Header Field Separators',
    outcome: 'reject',
    reason: /invalid Via header field .*unexpected ";"/,
  },
  clerr: {
    rfc: 'RFC 4475',
    section: '3.1.2.2',
    title: 'Content Length Larger Than Message',
    outcome: 'reject',
    reason: /^Content-Length 9999 exceeds the 154-byte body$/,
  },
  ncl: {
    rfc: 'RFC 4475',
    section: '3.1.2.3',
    title: 'Negative Content-Length',
    outcome: 'reject',
    reason: /invalid Content-Length header field "-999"/,
  },
  scalar02: {
    rfc: 'RFC 4475',
    section: '3.1.2.4',
    title: 'Request Scalar Fields with Overlarge Values',
    outcome: 'reject',
    reason: /invalid CSeq header field .*larger than 2\*\*32-1/,
    note: 'The RFC answers 400 for the CSeq; the Max-Forwards and Expires faults alone would only be flagged.',
  },
  scalarlg: {
    rfc: 'RFC 4475',
    section: '3.1.2.5',
    title: 'Response Scalar Fields with Overlarge Values',
    outcome: 'reject',
    reason: /invalid CSeq header field/,
    note: 'A response is discarded, not answered.',
  },
  quotbal: {
    rfc: 'RFC 4475',
    section: '3.1.2.6',
    title: 'Unterminated Quoted String in Display Name',
    outcome: 'reject',
    reason: /invalid To header field .*unterminated quoted string/,
  },
  ltgtruri: {
    rfc: 'RFC 4475',
    section: '3.1.2.7',
    title: '<> Enclosing Request-URI',
    outcome: 'reject',
    reason: /invalid Request-URI "<sip:user@example.com>"/,
    note: 'The RFC allows rejecting it always; we do not guess that the brackets can be dropped.',
  },
  lwsruri: {
    rfc: 'RFC 4475',
    section: '3.1.2.8',
    title: 'Malformed SIP Request-URI (embedded LWS)',
    outcome: 'reject',
    reason: /whitespace inside the Request-URI/,
  },
  lwsstart: {
    rfc: 'RFC 4475',
    section: '3.1.2.9',
    title: 'Multiple SP Separating Request-Line Elements',
    outcome: 'reject',
    reason: /more than one SP between Request-Line elements/,
    note: 'Rejecting is acceptable per the RFC and keeps the Request-Line grammar exact.',
  },
  trws: {
    rfc: 'RFC 4475',
    section: '3.1.2.10',
    title: 'SP Characters at End of Request-Line',
    outcome: 'reject',
    reason: /whitespace at the end of the Request-Line/,
    note: 'Rejecting is acceptable per the RFC.',
  },
  escruri: {
    rfc: 'RFC 4475',
    section: '3.1.2.11',
    title: 'Escaped Headers in SIP Request-URI',
    outcome: 'flag',
    status: 400,
    note: 'The URI itself is well-formed; RFC 3261 §19.1.1 forbids headers in a Request-URI, so the UA answers 400.',
    check: (m) => {
      assert.equal(sip(m.uri).headers.get('Route'), '<sip:example.com>');
    },
  },
  baddate: {
    rfc: 'RFC 4475',
    section: '3.1.2.12',
    title: 'Invalid Time Zone in Date Header Field',
    outcome: 'valid',
    note: 'The RFC: an element should not reject this unless it uses Date. We keep Date as text and never read it.',
    check: (m) => {
      assert.equal(m.header('Date'), 'Fri, 01 Jan 2010 16:00:00 EST');
      assert.deepEqual(m.problems, []);
    },
  },
  regbadct: {
    rfc: 'RFC 4475',
    section: '3.1.2.13',
    title: 'Failure to Enclose name-addr URI in <>',
    outcome: 'reject',
    reason: /invalid Contact header field .*must be enclosed in <>/,
  },
  badaspec: {
    rfc: 'RFC 4475',
    section: '3.1.2.14',
    title: 'Spaces within addr-spec',
    outcome: 'reject',
    reason: /invalid To header field .*whitespace inside <>/,
  },
  baddn: {
    rfc: 'RFC 4475',
    section: '3.1.2.15',
    title: 'Non-token Characters in Display Name',
    outcome: 'reject',
    reason: /invalid From header field .*unquoted display name may only hold tokens/,
    note: 'This fixture also lacks the empty line after its last header; that is tolerated (the transport frames the message), so the display name is what is reported.',
  },
  badvers: {
    rfc: 'RFC 4475',
    section: '3.1.2.16',
    title: 'Unknown Protocol Version',
    outcome: 'flag',
    status: 505,
    check: (m) => {
      assert.equal(m.version, 'SIP/7.0');
      assert.equal(m.via[0].protocol, 'SIP/7.0');
    },
  },
  mismatch01: {
    rfc: 'RFC 4475',
    section: '3.1.2.17',
    title: 'Start Line and CSeq Method Mismatch',
    outcome: 'flag',
    status: 400,
  },
  mismatch02: {
    rfc: 'RFC 4475',
    section: '3.1.2.18',
    title: 'Unknown Method with CSeq Method Mismatch',
    outcome: 'flag',
    status: 400,
    note: 'The RFC prefers 501 and accepts 400: a UA that checks the method first answers 501, the parser flags 400.',
    check: (m) => assert.equal(m.method, 'NEWMETHOD'),
  },
  bigcode: {
    rfc: 'RFC 4475',
    section: '3.1.2.19',
    title: 'Overlarge Response Code',
    outcome: 'reject',
    reason: /status code "4294967301" is not a three-digit code/,
    note: 'A response is discarded, not answered.',
  },
  // ---------------------------------------------------------------- RFC 4475 §3.2 transaction layer
  badbranch: {
    rfc: 'RFC 4475',
    section: '3.2.1',
    title: 'Missing Transaction Identifier',
    outcome: 'valid',
    note: 'Parsers must not break; the transaction layer sees hasRfc3261Branch false and falls back to RFC 2543 matching.',
    check: (m) => {
      assert.equal(m.branch, 'z9hG4bK');
      assert.equal(m.via[0].hasRfc3261Branch, false);
    },
  },
  // ---------------------------------------------------------------- RFC 4475 §3.3 application layer
  insuf: {
    rfc: 'RFC 4475',
    section: '3.3.1',
    title: 'Missing Required Header Fields',
    outcome: 'reject',
    reason: /^missing From, To, Call-ID header fields$/,
    note: 'Without From, To and Call-ID no response can be built, so there is nothing to answer with.',
  },
  unkscm: {
    rfc: 'RFC 4475',
    section: '3.3.2',
    title: 'Request-URI with Unknown Scheme',
    outcome: 'flag',
    status: 416,
    check: (m) => {
      assert.ok(m.uri instanceof AbsoluteUri);
      assert.equal(String(m.uri), 'nobodyKnowsThisScheme:totallyopaquecontent');
    },
  },
  novelsc: {
    rfc: 'RFC 4475',
    section: '3.3.3',
    title: 'Request-URI with Known but Atypical Scheme',
    outcome: 'flag',
    status: 416,
    note: 'A softphone never accepts soap.beep URIs, so it answers 416 as the RFC says.',
    check: (m) => assert.equal((m.uri as AbsoluteUri).scheme, 'soap.beep'),
  },
  unksm2: {
    rfc: 'RFC 4475',
    section: '3.3.4',
    title: 'Unknown URI Schemes in Header Fields',
    outcome: 'valid',
    note: 'Well-formed; a registrar would answer 400 because To is not a SIP AOR (the dev registrar checks To).',
    check: (m) => {
      assert.equal(String(m.to.uri), 'isbn:2983792873');
      assert.equal(String(m.from.uri), 'http://www.example.com');
      assert.equal(m.from.tag, '3234233');
      assert.equal(String(addr(m.contact[0]).uri), 'name:John_Smith');
    },
  },
  bext01: {
    rfc: 'RFC 4475',
    section: '3.3.5',
    title: 'Proxy-Require and Require',
    outcome: 'valid',
    note: 'Well-formed; a UAS answers 420 with the tags unsupportedExtensions() lists.',
    check: (m) => {
      assert.deepEqual(m.unsupportedExtensions(['timer']), ['nothingSupportsThis', 'nothingSupportsThisEither']);
      assert.deepEqual(m.headers('Proxy-Require'), ['noProxiesSupportThis', 'norDoAnyProxiesSupportThis']);
    },
  },
  invut: {
    rfc: 'RFC 4475',
    section: '3.3.6',
    title: 'Unknown Content-Type',
    outcome: 'valid',
    note: 'Well-formed; the UA answers 415 for a body type it does not know.',
    check: (m) => {
      assert.equal(m.contentType, 'application/unknownformat');
      assert.equal(m.body, '<audio>\r\n <pcmu port="443"/>\r\n</audio>\r\n');
    },
  },
  regaut01: {
    rfc: 'RFC 4475',
    section: '3.3.7',
    title: 'Unknown Authorization Scheme',
    outcome: 'valid',
    note: 'Authorization stays text (auth-header.ts reads it); an endpoint answers 405 to REGISTER anyway.',
    check: (m) => assert.equal(m.header('Authorization'), 'NoOneKnowsThisScheme opaque-data=here'),
  },
  multi01: {
    rfc: 'RFC 4475',
    section: '3.3.8',
    title: 'Multiple Values in Single Value Required Fields',
    outcome: 'reject',
    reason: /^more than one (CSeq|Call-ID|To|From) header field$/,
  },
  mcl01: {
    rfc: 'RFC 4475',
    section: '3.3.9',
    title: 'Multiple Content-Length Values',
    outcome: 'reject',
    reason: /^more than one Content-Length header field$/,
  },
  bcast: {
    rfc: 'RFC 4475',
    section: '3.3.10',
    title: '200 OK Response with Broadcast Via Header Field Value',
    outcome: 'valid',
    note: 'Well-formed; the transaction layer drops it because the top Via is not its own.',
    check: (m) => assert.deepEqual(vias(m), ['UDP 192.0.2.198', 'UDP 255.255.255.255']),
  },
  zeromf: {
    rfc: 'RFC 4475',
    section: '3.3.11',
    title: 'Max-Forwards of Zero',
    outcome: 'valid',
    check: (m) => assert.equal(m.maxForwards, 0),
  },
  cparam01: {
    rfc: 'RFC 4475',
    section: '3.3.12',
    title: 'REGISTER with a Contact Header Parameter',
    outcome: 'valid',
    check: (m) => {
      const contact = addr(m.contact[0]);
      assert.deepEqual([...contact.params], [['unknownparam', null]]);
      assert.equal(sip(contact.uri).params.size, 0);
    },
  },
  cparam02: {
    rfc: 'RFC 4475',
    section: '3.3.13',
    title: 'REGISTER with a URL Parameter',
    outcome: 'valid',
    check: (m) => {
      const contact = addr(m.contact[0]);
      assert.equal(contact.params.size, 0);
      assert.deepEqual([...sip(contact.uri).params], [['unknownparam', null]]);
    },
  },
  regescrt: {
    rfc: 'RFC 4475',
    section: '3.3.14',
    title: 'REGISTER with a URL Escaped Header',
    outcome: 'valid',
    check: (m) => assert.equal(sip(addr(m.contact[0]).uri).headers.get('Route'), '<sip:sip.example.com>'),
  },
  sdp01: {
    rfc: 'RFC 4475',
    section: '3.3.15',
    title: 'Unacceptable Accept Offering',
    outcome: 'valid',
    note: 'Well-formed; the UA answers 415 because it cannot answer in text/nobodyKnowsThis.',
    check: (m) => assert.deepEqual(m.headers('Accept'), ['text/nobodyKnowsThis']),
  },
  // ---------------------------------------------------------------- RFC 4475 §3.4 backward compatibility
  inv2543: {
    rfc: 'RFC 4475',
    section: '3.4.1',
    title: 'INVITE with RFC 2543 Syntax',
    outcome: 'valid',
    check: (m) => {
      assert.equal(m.branch, undefined);
      assert.equal(m.from.tag, undefined);
      assert.equal(m.maxForwards, undefined);
      assert.equal(m.contentLength, 105); // without Content-Length the body is the rest of the datagram
      assert.equal(sip(m.recordRoute[0].uri).params.get('maddr'), 'ss1.example.com');
      // In addr-spec form every ;param is a header parameter (RFC 3261 §20), even RFC 2543's user=phone.
      assert.equal(m.to.params.get('user'), 'phone');
      assert.equal(sip(m.to.uri).params.size, 0);
    },
  },
  // ---------------------------------------------------------------- RFC 5118
  'ipv6-good': {
    rfc: 'RFC 5118',
    section: '4.1',
    title: 'Valid SIP Message with an IPv6 Reference',
    outcome: 'valid',
    check: (m) => {
      assert.equal(sip(m.uri).host, '[2001:db8::10]');
      assert.equal(m.via[0].host, '[2001:db8::9:1]');
      assert.equal(sip(addr(m.contact[0]).uri).host, '[2001:db8::1]');
    },
  },
  'ipv6-bad': {
    rfc: 'RFC 5118',
    section: '4.2',
    title: 'Invalid SIP Message with an IPv6 Reference',
    outcome: 'reject',
    reason: /invalid Request-URI "sip:2001:db8::10"/,
  },
  'port-ambiguous': {
    rfc: 'RFC 5118',
    section: '4.3',
    title: 'Port Ambiguous in a SIP URI',
    outcome: 'valid',
    check: (m) => {
      assert.equal(sip(m.uri).host, '[2001:db8::10:5070]');
      assert.equal(sip(m.uri).port, undefined);
    },
  },
  'port-unambiguous': {
    rfc: 'RFC 5118',
    section: '4.4',
    title: 'Port Unambiguous in a SIP URI',
    outcome: 'valid',
    check: (m) => {
      assert.equal(sip(m.uri).host, '[2001:db8::10]');
      assert.equal(sip(m.uri).port, 5070);
    },
  },
  'via-received-param-with-delim': {
    rfc: 'RFC 5118',
    section: '4.5',
    title: 'IPv6 Reference Delimiters in Via Header (with brackets)',
    outcome: 'valid',
    note: 'RFC 5118 asks for both forms of received to be accepted.',
    check: (m) => {
      assert.equal(m.via[0].received, '2001:db8::9:255');
      assert.equal(m.via[0].params.get('received'), '[2001:db8::9:255]');
    },
  },
  'via-received-param-no-delim': {
    rfc: 'RFC 5118',
    section: '4.5',
    title: 'IPv6 Reference Delimiters in Via Header (without brackets)',
    outcome: 'valid',
    check: (m) => assert.equal(m.via[0].received, '2001:db8::9:255'),
  },
  'ipv6-in-sdp': {
    rfc: 'RFC 5118',
    section: '4.6',
    title: 'SIP Request with IPv6 Addresses in SDP Body',
    outcome: 'valid',
    check: (m) => {
      assert.equal(m.contentLength, 251);
      assert.match(m.body, /^c=IN IP6 2001:db8::20\r$/m);
    },
  },
  'mult-ip-in-header': {
    rfc: 'RFC 5118',
    section: '4.7',
    title: 'Multiple IP Addresses in SIP Headers',
    outcome: 'valid',
    check: (m) => {
      assert.deepEqual(vias(m), ['UDP [2001:db8::9:1]:6050', 'UDP 192.0.2.1', 'TCP [2001:db8::9:255]']);
      assert.equal(m.via[2].received, '192.0.2.200');
    },
  },
  'mult-ip-in-sdp': {
    rfc: 'RFC 5118',
    section: '4.8',
    title: 'Multiple IP Addresses in SDP',
    outcome: 'valid',
    check: (m) => assert.match(m.body, /c=IN IP4 192\.0\.2\.1\r\n[^]*c=IN IP6 2001:db8::1\r\n/),
  },
  'ipv4-mapped-ipv6': {
    rfc: 'RFC 5118',
    section: '4.9',
    title: 'IPv4-Mapped IPv6 Addresses',
    outcome: 'valid',
    check: (m) => {
      assert.deepEqual(vias(m), ['UDP [::ffff:192.0.2.10]:19823', 'UDP [::ffff:192.0.2.2]']);
      assert.equal(sip(addr(m.contact[0]).uri).host, '[::ffff:192.0.2.2]');
    },
  },
  'ipv6-bug-abnf-3-colons': {
    rfc: 'RFC 5118',
    section: '4.10',
    title: 'IPv6 Reference Bug in RFC 3261 ABNF (three colons)',
    outcome: 'reject',
    reason: /invalid IPv6 address "2001:db8:::192.0.2.1"/,
    note: 'RFC 3261 ABNF admits it, RFC 4291 does not; RFC 5118 says it is invalid.',
  },
  'ipv6-correct-abnf-2-colons': {
    rfc: 'RFC 5118',
    section: '4.10',
    title: 'IPv6 Reference Bug in RFC 3261 ABNF (two colons)',
    outcome: 'valid',
    check: (m) => assert.equal(sip(m.uri).host, '[2001:db8::192.0.2.1]'),
  },
};

const FILES = readdirSync(DIR)
  .filter((name) => name.endsWith('.sip'))
  .map((name) => name.slice(0, -4))
  .sort();

function read(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`${name}.sip`, DIR)));
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** What a message means, for comparing a parse with the parse of its serialization. */
function meaning(m: SipRequest | SipResponse) {
  return {
    start: m instanceof SipRequest ? [m.method, String(m.uri)] : [m.status, m.reason],
    version: m.version,
    via: m.via.map((v) => [v.protocol, v.transport, v.host, v.port, [...v.params]]),
    from: [m.from.displayName, String(m.from.uri), [...m.from.params]],
    to: [m.to.displayName, String(m.to.uri), [...m.to.params]],
    callId: m.callId,
    cseq: [m.cseq.seq, m.cseq.method],
    contact: m.contact.map((c) => (c === '*' ? c : [c.displayName, String(c.uri), [...c.params]])),
    // Content-Length is always written (with the octet count), even where the original had none.
    fields: m.headerFields.filter((f) => f.key !== 'content-length').map((f) => [f.key, f.value]),
    problems: m.problems.map((p) => p.status),
    body: [...m.bodyBytes],
  };
}

/** A SIP URI's parts, for comparing a rebuilt URI with the one it was built from. */
function uriParts(uri: unknown) {
  if (!(uri instanceof SipUri)) return String(uri);
  return [uri.scheme, uri.user, uri.password, uri.host, uri.port, [...uri.params], [...uri.headers]];
}

describe('RFC 4475 and RFC 5118 torture messages', () => {
  it('has a verdict for every fixture and a fixture for every verdict', () => {
    assert.deepEqual(FILES, Object.keys(VERDICTS).sort());
    assert.equal(FILES.length, 61);
  });

  for (const name of FILES) {
    const verdict = VERDICTS[name];
    const label = `${verdict.rfc} §${verdict.section} ${verdict.title} (${name}.sip): ${verdict.outcome}${verdict.status ? ` ${verdict.status}` : ''}`;
    it(label, () => {
      const bytes = read(name);
      const inputs: Array<string | Uint8Array> = [bytes];
      if (isUtf8(bytes)) inputs.push(new TextDecoder().decode(bytes));
      for (const input of inputs) {
        if (verdict.outcome === 'reject') {
          assert.throws(
            () => parseMessage(input),
            (error: unknown) => {
              assert.ok(error instanceof SipParseError, `expected SipParseError, got ${String(error)}`);
              assert.equal(error.cause, undefined);
              assert.match(error.message, verdict.reason as RegExp);
              return true;
            },
          );
          continue;
        }
        const message = parseMessage(input) as unknown as Parsed;
        if (verdict.outcome === 'flag') {
          assert.ok(message.problems.length > 0, 'expected a problem to be flagged');
          assert.equal(message.problems[0].status, verdict.status);
        } else {
          assert.deepEqual(message.problems, []);
        }
        verdict.check?.(message);
      }
    });
  }

  describe('serializing a parsed message keeps its meaning', () => {
    for (const name of FILES.filter((file) => VERDICTS[file].outcome !== 'reject')) {
      it(name, () => {
        const message = parseMessage(read(name));
        const again = parseMessage(message.toBytes());
        assert.deepEqual(meaning(again), meaning(message));
        VERDICTS[name].check?.(again as unknown as Parsed);
      });
    }
  });

  describe('rebuilding typed values from their parts keeps their meaning (escapes, IPv6, parameters)', () => {
    for (const name of FILES.filter((file) => VERDICTS[file].outcome !== 'reject')) {
      it(name, () => {
        const message = parseMessage(read(name));
        const addresses = [message.from, message.to, ...message.contact.filter((c): c is NameAddr => c !== '*')];
        const uris = [message instanceof SipRequest ? message.uri : undefined, ...addresses.map((a) => a.uri)];
        for (const uri of uris) {
          if (!(uri instanceof SipUri)) continue;
          const rebuilt = uri.with({});
          assert.deepEqual(uriParts(parseUri(String(rebuilt))), uriParts(uri), `${uri} rebuilt as ${rebuilt}`);
        }
        for (const address of addresses) {
          const rebuilt = address.with({ uri: address.uri instanceof SipUri ? address.uri.with({}) : address.uri });
          const reparsed = new SipRequest('OPTIONS', 'sip:x@example.com').setHeader('Contact', String(rebuilt))
            .contact[0];
          assert.ok(reparsed instanceof NameAddr);
          assert.equal(reparsed.displayName, address.displayName);
          assert.deepEqual(uriParts(reparsed.uri), uriParts(address.uri));
          assert.deepEqual([...reparsed.params], [...address.params]);
        }
        for (const via of message.via) {
          const rebuilt = via.with({});
          const [reparsed] = new SipRequest('OPTIONS', 'sip:x@example.com').setHeader('Via', String(rebuilt)).via;
          assert.ok(reparsed instanceof Via);
          assert.deepEqual(
            [reparsed.protocol, reparsed.transport, reparsed.host, reparsed.port, [...reparsed.params]],
            [via.protocol, via.transport, via.host, via.port, [...via.params]],
          );
        }
      });
    }
  });
});
