import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NameAddr, parseContactList, parseNameAddr, parseRouteList } from './name-addr';
import { SipParseError } from './sip-parse-error';
import { SipUri } from './sip-uri';

describe('name-addr and addr-spec values (RFC 3261 §20.10, §25.1)', () => {
  it('reads a quoted display name with escapes, the URI and the header parameters', () => {
    const value = parseNameAddr('"Alice \\"Al\\" Liddell" <sip:alice@example.com;transport=tcp>;tag=88sja8x;x="a;b"');
    assert.equal(value.displayName, 'Alice "Al" Liddell');
    assert.equal(String(value.uri), 'sip:alice@example.com;transport=tcp');
    assert.equal(value.tag, '88sja8x');
    assert.deepEqual(
      [...value.params],
      [
        ['tag', '88sja8x'],
        ['x', '"a;b"'],
      ],
    );
    assert.equal(String(value), '"Alice \\"Al\\" Liddell" <sip:alice@example.com;transport=tcp>;tag=88sja8x;x="a;b"');
  });

  it('reads an unquoted display name of tokens, with or without space before <', () => {
    assert.equal(parseNameAddr('Alice   Liddell <sip:a@example.com>').displayName, 'Alice Liddell');
    assert.equal(parseNameAddr('caller<sip:a@example.com>').displayName, 'caller');
    assert.equal(parseNameAddr('<sip:a@example.com>').displayName, undefined);
    assert.equal(parseNameAddr('"" <sip:a@example.com>').displayName, '');
  });

  it('gives parameters after an addr-spec to the header, and those inside <> to the URI', () => {
    const bare = parseNameAddr('sip:+12125551212@example.com;user=phone;tag=1');
    assert.deepEqual(
      [...bare.params],
      [
        ['user', 'phone'],
        ['tag', '1'],
      ],
    );
    assert.equal((bare.uri as SipUri).params.size, 0);
    const bracketed = parseNameAddr('<sip:+12125551212@example.com;user=phone>;tag=1');
    assert.deepEqual([...(bracketed.uri as SipUri).params], [['user', 'phone']]);
    assert.deepEqual([...bracketed.params], [['tag', '1']]);
  });

  it('reads LWS around ; and = (RFC 4475 §3.1.1.1)', () => {
    const value = parseNameAddr('sip:a@example.com ;   tag    = 1918181833n ;  ob');
    assert.deepEqual(
      [...value.params],
      [
        ['tag', '1918181833n'],
        ['ob', null],
      ],
    );
  });

  it('gives parameters as a read-only Map in wire order, the first of a repeated name kept', () => {
    const { params } = parseNameAddr('<sip:a@example.com>;tag=x;lr;Q=0.5;tag=y');
    assert.equal(params.size, 3);
    assert.deepEqual(
      [...params],
      [
        ['tag', 'x'],
        ['lr', null],
        ['q', '0.5'],
      ],
    );
    assert.deepEqual([...params.entries()], [...params]);
    assert.deepEqual([...params.keys()], ['tag', 'lr', 'q']);
    assert.deepEqual([...params.values()], ['x', null, '0.5']);
    const seen: unknown[] = [];
    params.forEach(function (this: unknown, value, key, map) {
      seen.push([key, value, map === params, this]);
    }, 'self');
    assert.deepEqual(seen, [
      ['tag', 'x', true, 'self'],
      ['lr', null, true, 'self'],
      ['q', '0.5', true, 'self'],
    ]);
    assert.deepEqual(
      [params.has('lr'), params.get('lr'), params.has('LR'), params.get('missing')],
      [true, null, false, undefined],
    );
  });

  it('gives the Contact expires and q parameters as numbers when valid', () => {
    const value = parseNameAddr('<sip:a@example.com>;expires=3600;q=0.7');
    assert.deepEqual([value.expires, value.q], [3600, 0.7]);
    const bad = parseNameAddr('<sip:a@example.com>;expires=280297596632815;q=1.5');
    assert.deepEqual([bad.expires, bad.q], [undefined, undefined]);
  });

  const malformed: Array<[string, RegExp]> = [
    ['"Bob <sip:b@example.com>', /unterminated quoted string/],
    ['"Bob" sip:b@example.com', /a quoted display name must be followed by <URI>/],
    ['Bell, Alexander <sip:a@example.com>', /unquoted display name may only hold tokens/],
    ['< sip:a@example.com >', /whitespace inside <>/],
    ['<sip:a@example.com', /missing ">"/],
    ['sip:a@example.com?subject=x', /URI with headers must be enclosed in <>/],
    ['<sip:a@example.com>;', /empty parameter/],
    ['<sip:a@example.com>;;tag=1', /where a parameter name was expected/],
    ['<sip:a@example.com>;tag=', /parameter "tag" has no value/],
    ['<sip:a@example.com> junk', /unexpected "j"/],
    ['', /missing address/],
  ];
  for (const [text, reason] of malformed) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => parseNameAddr(text),
        (error: unknown) => error instanceof SipParseError && reason.test(error.message),
      );
    });
  }

  it('builds values in name-addr form, quoting and escaping the display name', () => {
    const built = new NameAddr('sip:bob@example.com', {
      displayName: 'Bob "the builder" \\ Jr.',
      params: { tag: 'x1', '+sip.instance': '<urn:uuid:1>', lr: true },
    });
    assert.equal(
      String(built),
      '"Bob \\"the builder\\" \\\\ Jr." <sip:bob@example.com>;tag=x1;+sip.instance="<urn:uuid:1>";lr',
    );
    const reread = parseNameAddr(String(built));
    assert.equal(reread.displayName, 'Bob "the builder" \\ Jr.');
    assert.equal(reread.params.get('+sip.instance'), '"<urn:uuid:1>"');
    assert.equal(
      String(built.withTag('x2').withParam('lr', undefined)),
      '"Bob \\"the builder\\" \\\\ Jr." <sip:bob@example.com>;tag=x2;+sip.instance="<urn:uuid:1>"',
    );
    assert.equal(String(built.with({ displayName: undefined, params: {} })), '<sip:bob@example.com>');
    assert.throws(() => built.withParam('bad name', 'x'), RangeError);
  });
});

describe('lists of addresses', () => {
  it('reads several Contact values on one line, with commas inside quotes and URIs', () => {
    const list = parseContactList(
      '"Doe, John" <sip:j,k@example.com>;q=0.5, sip:x@example.com;expires=60 ,<sips:y@example.com>',
    );
    assert.deepEqual(list.map(String), [
      '"Doe, John" <sip:j,k@example.com>;q=0.5',
      'sip:x@example.com;expires=60',
      '<sips:y@example.com>',
    ]);
    assert.deepEqual(parseContactList('*'), ['*']);
    assert.throws(() => parseContactList('<sip:a@example.com>,'), /empty list element/);
    assert.throws(() => parseContactList(',<sip:a@example.com>'), /empty list element/);
  });

  it('requires <> around Route and Record-Route entries', () => {
    assert.deepEqual(
      parseRouteList('<sip:p1.example.com;lr>, <sip:p2.example.com;lr>').map((r) => (r.uri as SipUri).host),
      ['p1.example.com', 'p2.example.com'],
    );
    assert.throws(() => parseRouteList('sip:p1.example.com;lr'), /must be enclosed in <>/);
  });
});
