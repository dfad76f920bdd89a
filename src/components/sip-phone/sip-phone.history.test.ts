// <sip-phone>'s history panel, missed-call badge, storage and do-not-disturb switch, without a
// server: the history comes from localStorage as a page (or a tampering script) left it. Calls
// that make history are in test/browser/elements-history.test.ts and interop-jssip-history.test.ts.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { storageKey, type HistoryEntry } from './call-history';
import './sip-phone';
import type { SipPhone } from './sip-phone';

const ALICE = 'sip:alice@example.com';
const HOSTILE = '<img src=x onerror="window.pwned=1">Mallory';

const missed: HistoryEntry = {
  id: 'm1',
  direction: 'incoming',
  uri: 'sip:mallory@example.com',
  displayName: HOSTILE,
  start: Date.UTC(2026, 11, 7, 9, 30),
  duration: 0,
  cause: 'remote-canceled',
  status: 487,
  missed: true,
  dnd: false,
};
const answered: HistoryEntry = {
  ...missed,
  id: 'a1',
  uri: 'sip:bob@example.com',
  displayName: 'Bob',
  direction: 'outgoing',
  start: missed.start - 60_000,
  duration: 65_000,
  cause: 'hangup',
  status: undefined,
  missed: false,
};

const store = (aor: string, entries: HistoryEntry[], unseen: number) =>
  localStorage.setItem(storageKey(aor), JSON.stringify({ version: 1, unseen, entries }));
const stored = (aor: string) =>
  JSON.parse(localStorage.getItem(storageKey(aor)) ?? 'null') as { unseen: number; entries: HistoryEntry[] } | null;
const part = (el: SipPhone, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const parts = (el: SipPhone, name: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];

describe('<sip-phone> history and do-not-disturb (no server)', () => {
  afterEach(() => {
    for (const user of ['alice', 'bob']) localStorage.removeItem(storageKey(`sip:${user}@example.com`));
    delete (window as unknown as { pwned?: unknown }).pwned;
  });

  it('shows the stored history of its own address only with history-storage="local", names as text', async () => {
    store(ALICE, [missed, answered], 1);
    const memoryOnly = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com"></sip-phone>`);
    expect(memoryOnly.history).to.deep.equal([]);
    expect(memoryOnly.hasAttribute('missed-calls')).to.equal(false);

    const el = await fixture<SipPhone>(
      html`<sip-phone user="alice" domain="example.com" history-storage="local"></sip-phone>`,
    );
    expect(el.history).to.deep.equal([missed, answered]);
    expect(el.missedCalls).to.equal(1);
    expect(el.getAttribute('missed-calls')).to.equal('1');
    expect(part(el, 'missed-badge')!.textContent).to.equal('1');
    const entries = parts(el, 'history-entry');
    expect(entries.map((entry) => entry.getAttribute('part'))).to.deep.equal([
      'history-entry missed-call',
      'history-entry',
    ]);
    expect(parts(el, 'history-party').map((party) => party.textContent)).to.deep.equal([HOSTILE, 'Bob']);
    expect(el.shadowRoot!.querySelector('img'), 'a name is never markup').to.equal(null);
    expect(entries[1]!.textContent).to.contain('1:05');
    expect((window as unknown as { pwned?: unknown }).pwned).to.equal(undefined);

    // Another address of record: another history (bob has none stored).
    el.user = 'bob';
    await el.updateComplete;
    expect(el.history).to.deep.equal([]);
    expect(el.hasAttribute('missed-calls')).to.equal(false);
    expect(stored('sip:bob@example.com')).to.deep.equal({ version: 1, unseen: 0, entries: [] });
    el.user = 'alice';
    await el.updateComplete;
    expect(el.history.map((entry) => entry.id)).to.deep.equal(['m1', 'a1']);
  });

  it('opening the panel marks the missed calls seen, in storage too; the badge goes', async () => {
    store(ALICE, [missed], 1);
    const el = await fixture<SipPhone>(
      html`<sip-phone user="alice" domain="example.com" history-storage="local"></sip-phone>`,
    );
    part(el, 'history-toggle')!.click();
    await waitUntil(() => !el.hasAttribute('missed-calls'), 'the missed-calls attribute to go');
    await el.updateComplete;
    expect(el.missedCalls).to.equal(0);
    expect(part(el, 'missed-badge')).to.equal(null);
    expect(stored(ALICE)!.unseen).to.equal(0);
    expect(stored(ALICE)!.entries).to.deep.equal([missed]);
    await expect(el).to.be.accessible();
  });

  it('clears the history and its stored copy with a sip-history "cleared" event', async () => {
    store(ALICE, [missed, answered], 1);
    const el = await fixture<SipPhone>(
      html`<sip-phone user="alice" domain="example.com" history-storage="local"></sip-phone>`,
    );
    (part(el, 'history') as HTMLDetailsElement).open = true;
    const event = oneEvent(el, 'sip-history');
    part(el, 'clear-history-button')!.click();
    expect((await event).detail).to.deep.equal({ kind: 'cleared', entry: undefined });
    await el.updateComplete;
    expect(el.history).to.deep.equal([]);
    expect(el.hasAttribute('missed-calls')).to.equal(false);
    expect(stored(ALICE)).to.deep.equal({ version: 1, unseen: 0, entries: [] });
    expect(parts(el, 'history-entry')).to.deep.equal([]);
  });

  it('reads tampered storage as an empty history, without an error in the page', async () => {
    const errors: string[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.message);
    window.addEventListener('error', onError);
    try {
      for (const text of [
        'not json',
        '{"version":1,"unseen":5,"entries":[{"id":{}}]}',
        JSON.stringify({ version: 1, unseen: 3, entries: [{ ...missed, uri: 'javascript:alert(1)' }] }),
      ]) {
        localStorage.setItem(storageKey(ALICE), text);
        const el = await fixture<SipPhone>(
          html`<sip-phone user="alice" domain="example.com" history-storage="local"></sip-phone>`,
        );
        expect(el.history, text).to.deep.equal([]);
        expect(el.hasAttribute('missed-calls'), text).to.equal(false);
      }
    } finally {
      window.removeEventListener('error', onError);
    }
    expect(errors).to.deep.equal([]);
  });

  it("says how an unanswered call ended, and calls an entry's party back from its button", async () => {
    const busy: HistoryEntry = {
      ...answered,
      id: 'b1',
      start: answered.start - 60_000,
      duration: 0,
      cause: 'busy',
      status: 486,
    };
    store(ALICE, [missed, answered, busy], 0);
    const el = await fixture<SipPhone>(
      html`<sip-phone user="alice" domain="example.com" history-storage="local"></sip-phone>`,
    );
    const dialled: string[] = [];
    el.call = async (target: string) => {
      dialled.push(target);
      return undefined as never;
    };
    expect(parts(el, 'history-entry')[2]!.textContent).to.contain('Busy');
    const buttons = parts(el, 'call-back-button');
    expect(buttons[0]!.getAttribute('aria-label')).to.equal(`Call back: ${HOSTILE}`);
    buttons[1]!.click();
    buttons[0]!.click();
    expect(dialled).to.deep.equal(['sip:bob@example.com', 'sip:mallory@example.com']);
  });

  it('reflects dnd, and its button toggles it', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com" dnd></sip-phone>`);
    expect(el.dnd).to.equal(true);
    const button = part(el, 'dnd-button')!;
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    button.click();
    await el.updateComplete;
    expect(el.dnd).to.equal(false);
    expect(el.hasAttribute('dnd')).to.equal(false);
    expect(button.getAttribute('aria-pressed')).to.equal('false');
    el.dnd = true;
    await el.updateComplete;
    expect(el.getAttribute('dnd')).to.equal('');
    await expect(el).to.be.accessible();
  });
});
