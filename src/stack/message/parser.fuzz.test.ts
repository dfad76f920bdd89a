/**
 * Property and fuzz tests: whatever the input, parseMessage returns a message or throws a
 * SipParseError (never another error, never a parser bug wrapped as one), and returns promptly.
 * Inputs are the torture fixtures and the benchmark corpus mutated (character flips, truncation,
 * duplication, deleted and swapped lines, inserted text), strings built from SIP's own vocabulary,
 * and random strings. Seeded and bounded, so every run tests the same inputs in a few seconds.
 *
 * The time limit per parse only catches hangs and catastrophic backtracking; it is not a speed test.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SIP_CORPUS } from '../../../tools/bench/sip-corpus';
import { parseMessage } from './parser';
import type { SipRequest } from './sip-request';
import type { SipResponse } from './sip-response';
import { SipParseError } from './sip-parse-error';
import { utf8Encode } from './utf8';
import { assertLinearTime, cpuTimeMs } from '../../../tools/test-support/linear-time';

const SEED = 20250603;
const HANG_MS = 1000;

const DIR = new URL('../../../test/fixtures/sip-torture/', import.meta.url);
const FIXTURES = readdirSync(DIR)
  .filter((name) => name.endsWith('.sip'))
  .sort()
  .map((name) => {
    const bytes = readFileSync(new URL(name, DIR));
    // Binary fixtures (mpart01, intmeth) as Latin-1 so that every octet stays one character.
    const text = bytes.toString('utf8');
    return text.includes('\ufffd') ? bytes.toString('latin1') : text;
  });
const BASES = [...FIXTURES, ...SIP_CORPUS.map((entry) => entry.text)];

/** Parses `input`; fails the property on anything but a message or a reasoned SipParseError, or on a hang. */
function parseChecked(input: string | Uint8Array): SipRequest | SipResponse | SipParseError {
  // CPU time, not wall time: a hang guard must not fire because other processes held the CPU.
  const start = cpuTimeMs();
  let result: SipRequest | SipResponse | SipParseError;
  try {
    result = parseMessage(input);
  } catch (error) {
    if (!(error instanceof SipParseError)) throw new Error(`parseMessage threw ${String(error)}`, { cause: error });
    assert.equal(error.cause, undefined, `a parser bug surfaced as SipParseError: ${error.message}`);
    assert.ok(error.message.length > 0);
    result = error;
  }
  const elapsed = cpuTimeMs() - start;
  assert.ok(elapsed < HANG_MS, `parse took ${elapsed.toFixed(0)} ms of CPU`);
  return result;
}

/** Every field of the public contract reads, and the serialization parses back to the same ones. */
function checkMessage(message: SipRequest | SipResponse): void {
  const read = (m: SipRequest | SipResponse) => [
    m.kind === 'request' ? `${m.method} ${m.uri}` : `${m.status} ${m.reason}`,
    m.callId,
    `${m.cseq.seq} ${m.cseq.method}`,
    String(m.from),
    String(m.to),
    m.via.map(String),
    m.contact.map(String),
    m.problems.map((p) => p.status),
  ];
  const before = read(message);
  assert.equal(typeof message.body, 'string');
  const again = parseChecked(message.toString());
  assert.ok(!(again instanceof SipParseError), `the serialization of a parsed message must parse: ${String(again)}`);
  assert.deepEqual(read(again), before);
}

function check(input: string): void {
  const message = parseChecked(input);
  if (!(message instanceof SipParseError)) checkMessage(message);
  const fromOctets = parseChecked(utf8Encode(input));
  // Octets may end a body inside a character; text cannot hold half a character, so only there
  // may the two verdicts differ.
  if (message instanceof SipParseError && !(fromOctets instanceof SipParseError)) {
    assert.match(message.message, /ends inside a UTF-8 character/);
  } else {
    assert.equal(
      fromOctets instanceof SipParseError,
      message instanceof SipParseError,
      'text and its octets must get the same verdict',
    );
  }
}

// Characters that steer a SIP parser: delimiters, line ends, escapes, and a few outside ASCII.
const PIVOTS = [
  '\r',
  '\n',
  '\r\n',
  ' ',
  '\t',
  ':',
  ';',
  ',',
  '=',
  '<',
  '>',
  '"',
  '\\',
  '%',
  '@',
  '[',
  ']',
  '/',
  '?',
  '*',
  '\0',
  'é',
  '€',
  '\ud800',
  '0',
  'z',
];

type Mutation =
  | { kind: 'flip'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; length: number; to: number }
  | { kind: 'delete-line'; line: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'insert'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...PIVOTS), fc.string({ maxLength: 1 })),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.nat(300), to: fc.nat() }),
  fc.record({ kind: fc.constant('delete-line' as const), line: fc.nat(40) }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(40), b: fc.nat(40) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.string({ maxLength: 12, unit: fc.constantFrom(...PIVOTS, 'a', 'Via', 'sip:') }),
  }),
);

function mutate(text: string, m: Mutation): string {
  const at = (n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (m.kind) {
    case 'flip': {
      const i = at(m.at);
      return text.slice(0, i) + m.text + text.slice(i + 1);
    }
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'duplicate': {
      const from = at(m.at);
      const to = at(m.to);
      return text.slice(0, to) + text.slice(from, from + m.length) + text.slice(to);
    }
    case 'insert': {
      const i = at(m.at);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case 'delete-line': {
      const lines = text.split('\r\n');
      lines.splice(m.line % lines.length, 1);
      return lines.join('\r\n');
    }
    case 'swap-lines': {
      const lines = text.split('\r\n');
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\r\n');
    }
  }
}

const mutated = fc
  .tuple(fc.nat(BASES.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([base, mutations]) => mutations.reduce(mutate, BASES[base]));

// Strings made of SIP's own pieces reach deeper than random characters do.
const VOCABULARY = [
  'INVITE ',
  'SIP/2.0 200 OK\r\n',
  'sip:',
  'sips:',
  'tel:+1',
  'bob@',
  'example.com',
  '[2001:db8::1]',
  ':5060',
  ' SIP/2.0\r\n',
  'Via: SIP/2.0/UDP ',
  'v: ',
  'From: ',
  'To: ',
  'f: ',
  't: ',
  'Call-ID: ',
  'i: ',
  'CSeq: 1 INVITE\r\n',
  'Contact: ',
  'm: ',
  '*',
  'Route: ',
  'Content-Length: ',
  'l: ',
  'Max-Forwards: 70\r\n',
  ';tag=',
  ';branch=z9hG4bK',
  ';received=',
  ';rport',
  ';lr',
  '"Alice" ',
  '<',
  '>',
  ',',
  ';',
  '=',
  '\r\n',
  '\r\n ',
  '\r\n\r\n',
  '%41',
  '%',
  '\\"',
  '"',
  'ü',
  '12',
  '99999999999',
];
const sipLike = fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 40 }).map((parts) => parts.join(''));

describe('parseMessage under fuzzing', () => {
  it('only ever returns a message or throws SipParseError, promptly, on mutated real messages', () => {
    fc.assert(fc.property(mutated, check), { seed: SEED, numRuns: 8000 });
  });

  it('and on strings built from SIP vocabulary', () => {
    fc.assert(fc.property(sipLike, check), { seed: SEED + 1, numRuns: 5000 });
  });

  it('and on random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), check), { seed: SEED + 2, numRuns: 1000 });
  });

  it('accepts every unmutated base, so the mutations start from valid input', () => {
    const valid = BASES.filter((text) => !(parseChecked(text) instanceof SipParseError));
    assert.ok(valid.length >= 40, `${valid.length} bases parse`);
  });
});

// Inputs built to make a parser backtrack or rescan, each of about `n` characters.
const head = 'OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n';
const tail = 'From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n';
const HOSTILE: Array<[string, (n: number) => string]> = [
  ['a long start line', (n) => `INVITE ${'a'.repeat(n)}`],
  ['many parameters', (n) => `${head}Contact: <sip:x@example.com>${';p'.repeat(n / 2)}\r\n${tail}`],
  [
    'many distinct parameters',
    (n) =>
      `${head}Via: SIP/2.0/UDP h;branch=z9hG4bK3${Array.from({ length: n / 8 }, (_, i) => `;p${i}=1`).join('')}\r\n${tail}`,
  ],
  ['many URI parameters', (n) => `${head}Contact: <sip:x@example.com${';p'.repeat(n / 2)}>\r\n${tail}`],
  ['many list elements', (n) => `${head}Contact: ${'sip:a@b.example,'.repeat(n / 16)}sip:a@b.example\r\n${tail}`],
  ['many unquoted display-name tokens', (n) => `${head}Contact: ${'tok '.repeat(n / 4)}<sip:a@example.com>\r\n${tail}`],
  [
    'many addr-specs followed by a bracket',
    (n) => `${head}Contact: ${'sip:a@b.example,'.repeat(n / 16)}x <\r\n${tail}`,
  ],
  [
    'a long quoted string of escapes',
    (n) => `${head}To: "${'\\"'.repeat(n / 2)}" <sip:a@example.com>\r\n${tail.replace(/^To:.*\r\n/m, '')}`,
  ],
  ['an unterminated quoted string', (n) => `${head}To: "${'a'.repeat(n)}\r\n${tail}`],
  ['many Via lines', (n) => `${head}${'Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK2\r\n'.repeat(n / 48)}${tail}`],
  ['many compact v: lines', (n) => `${head}${'v: SIP/2.0/WS a.invalid;branch=z9hG4bK2\r\n'.repeat(n / 40)}${tail}`],
  ['many Contact lines', (n) => `${head}${'m: <sip:a@b>\r\n'.repeat(n / 14)}${tail}`],
  ['many Route lines then reading them', (n) => `${head}${'Route: <sip:p.example.com;lr>\r\n'.repeat(n / 32)}${tail}`],
  ['many unknown header fields', (n) => `${head}${'X-A: b\r\n'.repeat(n / 8)}${tail}`],
  ['many folded lines', (n) => `${head}Subject: x${'\r\n y'.repeat(n / 4)}\r\n${tail}`],
  ['long whitespace runs', (n) => `${head}Subject: ${' '.repeat(n / 2)}x${' '.repeat(n / 2)}\r\n${tail}`],
  ['many colons in an IPv6 reference', (n) => `${head}Contact: <sip:[${':'.repeat(n)}]>\r\n${tail}`],
  ['LF-only lines with no CR anywhere', (n) => `${head}${'X-A: b\n'.repeat(n / 7)}${tail}`.replace(/\r/g, '')],
  ['many leading blank lines', (n) => `${'\r\n'.repeat(n / 2)}${head}${tail}`],
  ['a huge Content-Length', () => `${head}${tail.replace('\r\n\r\n', '\r\nContent-Length: 4294967295\r\n\r\n')}x`],
  ['many percent escapes', (n) => `${head}Contact: <sip:${'%41'.repeat(n / 3)}@example.com>\r\n${tail}`],
  ['a long body of line feeds', (n) => `${head}${tail}${'\n'.repeat(n)}`],
];

/** Parses and then reads and writes what is read lazily (Route) and what a UA writes back. */
function parseAndUse(input: string): void {
  const message = parseChecked(input);
  if (message instanceof SipParseError) return;
  try {
    assert.ok(message.route.length >= 0);
  } catch (error) {
    assert.ok(error instanceof SipParseError);
  }
  assert.ok(message.toString().length > 0);
}

describe('parseMessage on inputs built to make a parser backtrack or rescan', () => {
  for (const [name, build] of HOSTILE) {
    it(name, () => {
      const input = build(100_000);
      const start = cpuTimeMs();
      parseAndUse(input);
      assert.ok(cpuTimeMs() - start < HANG_MS);
    });
  }
});

// Issue 15: 512 KiB of v: lines took 40-110 s, each line copying the Via list so far. A time
// limit per parse cannot tell quadratic from merely slow; the growth of the time with the input can.
describe('parseMessage time grows linearly with the input (16x the input, not 256x the time)', () => {
  for (const [name, build] of HOSTILE) {
    it(name, () => {
      assertLinearTime(
        name,
        (n) => {
          const input = build(n);
          return () => parseAndUse(input);
        },
        { n: 50_000 },
      );
    });
  }
});
