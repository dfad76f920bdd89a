import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WatchedDialogs, readDialogInfo, writeDialogInfo } from './dialog-info';
import { readMessageSummary } from './message-summary';
import { readPidf, writePidf } from './pidf';
import { XML_LIMITS, readXml } from './xml-reader';

// RFC 4235 §5 example (trimmed of its target/local/remote elements, which the lamp does not use).
const RFC4235_EXAMPLE = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="full" entity="sip:alice@example.com">
  <dialog id="as7d900as8" call-id="a84b4c76e66710" local-tag="1928301774" direction="initiator">
    <state>trying</state>
  </dialog>
</dialog-info>`;

// RFC 3863 §5 example, with an RPID activity (RFC 4480 §3.2) in a person element.
const PIDF_BUSY = `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
    xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="pres:someone@example.com">
  <tuple id="sg89ae"><status><basic>open</basic></status><contact priority="0.8">tel:+09012345678</contact></tuple>
  <dm:person id="p1"><rpid:activities><rpid:on-the-phone/></rpid:activities></dm:person>
  <note xml:lang="en">In a &lt;meeting&gt; &amp; busy</note>
</presence>`;

describe('the XML reader of event bodies', () => {
  it('reads elements, attributes, text, entities and CDATA, dropping namespace prefixes, and tolerates stray end tags', () => {
    const root = readXml(
      '<?xml version="1.0"?><!-- c --><a:root x:k="v&amp;w" n=\'1\'><b>t&#65;<![CDATA[<raw>]]></b></c><d/></a:root>',
    )!;
    assert.equal(root.name, 'root');
    assert.deepEqual(
      [...root.attributes],
      [
        ['k', 'v&w'],
        ['n', '1'],
      ],
    );
    assert.deepEqual(
      root.children.map((c) => c.name),
      ['b', 'd'],
    );
    assert.equal(root.children[0]!.text, 'tA<raw>');
  });

  it('gives up on what is not XML it can use, and on bodies over its limits', () => {
    assert.equal(readXml('<a><b'), undefined);
    assert.equal(readXml('<a><!-- never ends'), undefined);
    assert.equal(readXml('<a>'.repeat(XML_LIMITS.maxDepth + 2)), undefined);
    assert.equal(readXml('<b/>'.repeat(XML_LIMITS.maxElements + 1).replace(/^/, '<a>')), undefined);
    assert.equal(readXml(`<a>${'x'.repeat(XML_LIMITS.maxBytes)}</a>`), undefined);
  });

  it('reads in time linear in the input, also for inputs built to make a scanner start over (8x the input, < 24x the time)', () => {
    const shapes = [
      (n: number) => `<a ${'x'.repeat(n)}>`, // an attribute name that never meets its `=`
      (n: number) => `<a ${'k= '.repeat(n / 3)}>`, // `=` without values
      (n: number) => `<a>${'&amp'.repeat(n / 4)}</a>`, // entities that never end
      (n: number) => `<a>${'</b>'.repeat(n / 4)}</a>`, // stray end tags
    ];
    const time = (text: string) => {
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 7; i++) {
        const started = process.hrtime.bigint();
        readXml(text);
        best = Math.min(best, Number(process.hrtime.bigint() - started));
      }
      return best;
    };
    for (const shape of shapes) {
      const small = time(shape(7000));
      const large = time(shape(56000));
      // Linear gives about 8x; quadratic 64x (a regular expression that starts over at each
      // position took 15 s here for the large input). The 2 ms floor and the best of 7 runs keep
      // a loaded machine's pauses out of the figures.
      assert.ok(large < 24 * Math.max(small, 2_000_000), `${shape(12).slice(0, 12)}…: ${small} ns -> ${large} ns`);
    }
  });
});

describe('dialog-info (RFC 4235): the busy lamp', () => {
  it('writes a full document the reader takes back, every value escaped', () => {
    const text = writeDialogInfo('sip:bob@x.test', 3, [
      { id: 'd<1>', callId: 'c"&\'', localTag: 'l', remoteTag: undefined, state: 'early', direction: 'recipient' },
      { id: 'd2', callId: 'c2', state: 'confirmed', direction: 'initiator' },
    ]);
    assert.ok(
      !/<[^>]*d<1>/.test(text) && text.includes('id="d&lt;1&gt;"') && text.includes('call-id="c&quot;&amp;&apos;"'),
      text,
    );
    const document = readDialogInfo(text)!;
    assert.deepEqual(
      { version: document.version, full: document.full, entity: document.entity, dialogs: document.dialogs },
      {
        version: 3,
        full: true,
        entity: 'sip:bob@x.test',
        dialogs: [
          { id: 'd<1>', state: 'early', direction: 'recipient' },
          { id: 'd2', state: 'confirmed', direction: 'initiator' },
        ],
      },
    );
  });

  it('reads the RFC example: a call being placed is busy', () => {
    const document = readDialogInfo(RFC4235_EXAMPLE)!;
    assert.deepEqual(document.dialogs, [{ id: 'as7d900as8', state: 'trying', direction: 'initiator' }]);
    const watched = new WatchedDialogs();
    assert.equal(watched.apply(document), true);
    assert.equal(watched.lamp, 'busy');
  });

  it('goes idle -> ringing -> busy -> idle, ignores an old version, and is unknown after a gap in partial documents', () => {
    const doc = (version: number, state: 'full' | 'partial', dialog = '') =>
      readDialogInfo(`<dialog-info version="${version}" state="${state}" entity="sip:bob@x">${dialog}</dialog-info>`)!;
    const ringing = '<dialog id="1" direction="recipient"><state>early</state></dialog>';
    const answered = '<dialog id="1" direction="recipient"><state>confirmed</state></dialog>';
    const ended = '<dialog id="1"><state>terminated</state></dialog>';
    const watched = new WatchedDialogs();
    watched.apply(doc(0, 'full'));
    assert.equal(watched.lamp, 'idle');
    watched.apply(doc(1, 'partial', ringing));
    assert.equal(watched.lamp, 'ringing');
    watched.apply(doc(2, 'partial', answered));
    assert.equal(watched.lamp, 'busy');
    assert.equal(watched.apply(doc(2, 'partial', ended)), false, 'not newer');
    assert.equal(watched.lamp, 'busy');
    watched.apply(doc(3, 'partial', ended));
    assert.equal(watched.lamp, 'idle');
    watched.apply(doc(5, 'partial', ringing));
    assert.equal(watched.lamp, 'unknown', 'version 4 was lost');
    watched.apply(doc(6, 'full'));
    assert.equal(watched.lamp, 'idle');
  });

  it('is not a dialog-info document when the root is something else', () => {
    assert.equal(readDialogInfo('<presence/>'), undefined);
    assert.equal(readDialogInfo('not xml'), undefined);
  });
});

describe('PIDF (RFC 3863) with RPID activities (RFC 4480)', () => {
  it('reads open + on-the-phone as busy, with the note decoded', () => {
    assert.deepEqual(readPidf(PIDF_BUSY), {
      entity: 'pres:someone@example.com',
      state: 'busy',
      note: 'In a <meeting> & busy',
    });
  });

  it('reads closed as offline, open alone as available, and an away activity as away', () => {
    const doc = (basic: string, activity = '') =>
      `<presence entity="sip:a@x"><tuple id="t"><status><basic>${basic}</basic></status></tuple><person><activities>${activity}</activities></person></presence>`;
    assert.equal(readPidf(doc('closed', '<busy/>'))?.state, 'offline');
    assert.equal(readPidf(doc('open'))?.state, 'available');
    assert.equal(readPidf(doc('open', '<away/>'))?.state, 'away');
    assert.equal(readPidf('<presence/>')?.state, 'unknown');
  });

  it('writes what it reads back, escaping the entity and the note', () => {
    for (const state of ['available', 'away', 'busy', 'offline'] as const) {
      const body = writePidf('sip:a"b@x', state, 't1', 'lunch <12:00> & back');
      assert.deepEqual(readPidf(body), { entity: 'sip:a"b@x', state, note: 'lunch <12:00> & back' });
    }
  });
});

describe('message-summary (RFC 3842)', () => {
  it('reads the RFC §5.2 example: voice messages new/old, the account', () => {
    const body =
      'Messages-Waiting: yes\r\nMessage-Account: sip:alice@vmail.example.com\r\nVoice-Message: 4/8 (1/2)\r\n';
    assert.deepEqual(readMessageSummary(body), {
      waiting: true,
      account: 'sip:alice@vmail.example.com',
      newMessages: 4,
      oldMessages: 8,
    });
  });

  it('sums the classes when there is no voice line, refuses a body without Messages-Waiting, and caps the digits', () => {
    assert.deepEqual(readMessageSummary('Messages-Waiting: no\nFax-Message: 1/2\nText-Message: 3/0'), {
      waiting: false,
      account: undefined,
      newMessages: 4,
      oldMessages: 2,
    });
    assert.equal(readMessageSummary('Voice-Message: 1/1'), undefined);
    assert.equal(readMessageSummary('Messages-Waiting: yes\nVoice-Message: 99999999999999999999/1')?.newMessages, 0);
  });
});
