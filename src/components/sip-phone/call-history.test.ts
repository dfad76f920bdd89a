// The call history store alone: its bounds, the missed count, and stored JSON read as hostile input
// (the page's other scripts, or the user, can write anything under its key).
import { expect } from '@open-wc/testing';
import {
  CallHistory,
  HISTORY_LIMIT,
  MAX_NAME_LENGTH,
  MAX_STORED_LENGTH,
  MAX_URI_LENGTH,
  parseStoredHistory,
  storageKey,
  type HistoryEntry,
} from './call-history';

let n = 0;
function entry(fields: Partial<HistoryEntry> = {}): HistoryEntry {
  n++;
  return {
    id: `e${n}`,
    direction: 'incoming',
    uri: `sip:caller${n}@example.com`,
    displayName: `Caller ${n}`,
    start: 1_700_000_000_000 + n * 1000,
    duration: 0,
    cause: 'remote-canceled',
    status: 487,
    missed: true,
    dnd: false,
    ...fields,
  };
}

const stored = (entries: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ version: 1, unseen: 0, entries, ...extra });

describe('CallHistory', () => {
  it('keeps the newest first, at most its limit, dropping the oldest', () => {
    const history = new CallHistory(3);
    const added = [entry(), entry(), entry(), entry()];
    for (const e of added) history.add(e);
    expect(history.entries.map((e) => e.id)).to.deep.equal([added[3]!.id, added[2]!.id, added[1]!.id]);
    expect(new CallHistory().limit).to.equal(HISTORY_LIMIT);
  });

  it('cuts remote text to its bounds and freezes what it keeps', () => {
    const history = new CallHistory();
    const kept = history.add(entry({ uri: `sip:${'a'.repeat(5000)}@example.com`, displayName: 'x'.repeat(5000) }));
    expect(kept.uri.length).to.equal(MAX_URI_LENGTH);
    expect(kept.displayName.length).to.equal(MAX_NAME_LENGTH);
    expect(Object.isFrozen(kept)).to.equal(true);
    expect(Object.isFrozen(history.entries)).to.equal(true);
  });

  it('counts missed calls until markSeen(), never more than the missed entries it still holds', () => {
    const history = new CallHistory(2);
    history.add(entry({ missed: false, direction: 'outgoing', cause: 'hangup' }));
    expect(history.unseen).to.equal(0);
    history.add(entry());
    history.add(entry());
    expect(history.unseen).to.equal(2);
    history.add(entry());
    expect(history.unseen, 'the oldest missed call left the list').to.equal(2);
    history.add(entry({ missed: false }));
    expect(history.unseen).to.equal(1);
    history.markSeen();
    expect(history.unseen).to.equal(0);
    history.add(entry());
    history.clear();
    expect(history.entries).to.deep.equal([]);
    expect(history.unseen).to.equal(0);
  });

  it('reads back what it stored, unseen count included', () => {
    const history = new CallHistory();
    const first = history.add(entry({ status: undefined, cause: 'no-answer' }));
    const second = history.add(
      entry({ direction: 'outgoing', missed: false, cause: 'hangup', duration: 61_000, status: undefined }),
    );
    const third = history.add(entry({ missed: false, cause: 'answered-elsewhere', status: 487 }));
    const copy = new CallHistory();
    copy.load(history.serialize());
    expect(copy.entries).to.deep.equal([third, second, first]);
    expect(copy.unseen).to.equal(1);
  });

  it('keeps one history per address of record', () => {
    expect(storageKey('sip:alice@example.com')).to.equal('sip-elements.history:sip:alice@example.com');
    expect(storageKey('sip:alice@example.com')).not.to.equal(storageKey('sip:bob@example.com'));
  });
});

describe('parseStoredHistory: hostile stored JSON', () => {
  it('reads anything that is not a stored history as empty, without throwing', () => {
    const good = JSON.stringify(entry());
    const texts = [
      null,
      '',
      'not json',
      '[]',
      'null',
      '42',
      '"text"',
      '{}',
      `{"version":2,"entries":[${good}]}`,
      `{"entries":[${good}]}`,
      `[${good}]`,
      `{"version":1,"entries":{"0":${good}}}`,
      '{"version":1}',
    ];
    for (const text of texts) {
      expect(parseStoredHistory(text as string | null), String(text)).to.deep.equal({ entries: [], unseen: 0 });
    }
  });

  it('does not parse text longer than a full history could need', () => {
    const good = entry();
    const text = stored([good], { padding: ' '.repeat(MAX_STORED_LENGTH) });
    expect(parseStoredHistory(text).entries).to.deep.equal([]);
    expect(parseStoredHistory(stored([good])).entries).to.deep.equal([good]);
  });

  it('drops each entry with a bad field and keeps the good ones', () => {
    const bad: Array<[string, unknown]> = [
      ['id', ''],
      ['id', 7],
      ['id', 'x'.repeat(65)],
      ['direction', 'sideways'],
      ['uri', 'javascript:alert(1)'],
      ['uri', 'https://example.com'],
      ['uri', 'sip:a b@example.com'],
      ['uri', `sip:${'a'.repeat(MAX_URI_LENGTH)}`],
      ['uri', ['sip:a@b']],
      ['displayName', { toString: 'x' }],
      ['displayName', 'x'.repeat(MAX_NAME_LENGTH + 1)],
      ['displayName', undefined],
      ['start', -1],
      ['start', '1700000000000'],
      ['start', 1e300],
      ['start', null],
      ['duration', -5],
      ['duration', Number.MAX_SAFE_INTEGER],
      ['cause', 'exploded'],
      ['cause', '__proto__'],
      ['status', 99],
      ['status', 700],
      ['status', 486.5],
      ['status', '486'],
      ['missed', 'yes'],
      ['dnd', 1],
    ];
    for (const [field, value] of bad) {
      const good = entry();
      const broken = { ...entry(), [field]: value };
      expect(parseStoredHistory(stored([broken, good])).entries, `${field}: ${JSON.stringify(value)}`).to.deep.equal([
        good,
      ]);
    }
  });

  it('drops an outgoing entry that claims to be missed or declined by do-not-disturb', () => {
    const good = entry({ direction: 'outgoing', missed: false, cause: 'busy', status: 486 });
    const missed = entry({ direction: 'outgoing', missed: true });
    const dnd = entry({ direction: 'outgoing', missed: false, dnd: true });
    expect(parseStoredHistory(stored([missed, dnd, good])).entries).to.deep.equal([good]);
  });

  it('keeps only the checked fields: other keys, __proto__ included, are left behind', () => {
    const good = entry();
    const text = stored([]).replace(
      '"entries":[]',
      `"entries":[${JSON.stringify(good).slice(0, -1)},"__proto__":{"polluted":true},"onclick":"alert(1)"}]`,
    );
    const [read] = parseStoredHistory(text).entries;
    expect(read).to.deep.equal(good);
    expect(Object.keys(read!).sort()).to.deep.equal(Object.keys(good).sort());
    expect((read as unknown as Record<string, unknown>).polluted).to.equal(undefined);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('looks at no more than `limit` stored entries, drops repeated ids, and sorts newest first', () => {
    const many = Array.from({ length: HISTORY_LIMIT * 5 }, () => entry());
    const read = parseStoredHistory(stored(many)).entries;
    expect(read.length).to.equal(HISTORY_LIMIT);
    const older = entry();
    const newer = entry();
    const twin = { ...entry(), id: older.id };
    expect(parseStoredHistory(stored([older, twin, newer])).entries).to.deep.equal([newer, older]);
  });

  it('takes the unseen count only as a positive whole number, and never above the missed entries read', () => {
    const missed = [entry(), entry()];
    for (const unseen of [-1, 1.5, '3', null, Infinity])
      expect(parseStoredHistory(stored(missed, { unseen })).unseen, String(unseen)).to.equal(0);
    expect(parseStoredHistory(stored(missed, { unseen: 2 })).unseen).to.equal(2);
    const history = new CallHistory();
    history.load(stored(missed, { unseen: 1e9 }));
    expect(history.unseen).to.equal(2);
    history.load('garbage');
    expect(history.entries).to.deep.equal([]);
    expect(history.unseen).to.equal(0);
  });
});
