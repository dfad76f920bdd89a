// The elements' languages (issue 19): chosen by lang (the element's, an ancestor's, the
// document's, followed at run time), replaced string by string through `strings`, laid out right
// to left in Arabic, and accessible in a language other than English.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { FakeCall, fakeRefer } from '../shared/call.fake';
import '../sip-phone/sip-phone';
import '../sip-call/sip-call';
import '../sip-presence/sip-presence';
import '../sip-video/sip-video';
import type { SipPhone } from '../sip-phone/sip-phone';
import type { SipCall } from '../sip-call/sip-call';
import type { SipPresence } from '../sip-presence/sip-presence';
import type { SipVideo } from '../sip-video/sip-video';
import { loadLanguage, registerLanguage, watching } from './localize';
import type { Translation } from './translation';
import { phoneStrings } from '../sip-phone/phone-strings';
import { callStrings } from '../sip-call/call-strings';
import { presenceStrings } from '../sip-presence/presence-strings';
import { videoStrings } from '../sip-video/video-strings';
import { storageKey, type HistoryEntry } from '../sip-phone/call-history';
import { kamailio, makePhone, removePhones } from '../../../test/browser/elements-helpers';
import { connectedCall } from '../../../test/browser/elements-media-helpers';
import { describeNeedingWebRTC } from '../../../test/browser/webrtc-capability';

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
/** A part's text ('' before the element's first render). */
const text = (el: Element, name: string) =>
  (el.shadowRoot?.querySelector(`[part~="${name}"]`)?.textContent ?? '').trim();

/** Waits until the part reads `expected` (a language's module arrives asynchronously). */
async function reads(el: Element, name: string, expected: string): Promise<void> {
  await waitUntil(() => text(el, name) === expected, `${name} never read "${expected}" (reads "${text(el, name)}")`, {
    timeout: 5000,
  });
}

describe('languages', () => {
  const documentLang = document.documentElement.getAttribute('lang');
  afterEach(() => {
    if (documentLang === null) document.documentElement.removeAttribute('lang');
    else document.documentElement.setAttribute('lang', documentLang);
  });

  it('speaks English without a language, and German with lang="de", loaded on demand', async () => {
    document.documentElement.removeAttribute('lang');
    const english = await fixture<SipPhone>(html`<sip-phone></sip-phone>`);
    expect(text(english, 'call-button')).to.equal('Call');
    expect(text(english, 'status')).to.equal('Not configured: set server, user, domain');
    // Each language is a module of its own, fetched when first used: not before, and no other.
    const fetched = (lang: string) =>
      performance.getEntriesByType('resource').some((entry) => entry.name.includes(`/i18n/${lang}.ts`));
    expect(fetched('de'), 'German before any element is German').to.equal(false);
    const german = await fixture<SipPhone>(html`<sip-phone lang="de" user="alice" domain="example.com"></sip-phone>`);
    await reads(german, 'call-button', 'Anrufen');
    expect(fetched('de')).to.equal(true);
    expect(fetched('fr'), 'French, which no element uses').to.equal(false);
    expect(text(german, 'video-call-button')).to.equal('Videoanruf');
    expect(text(german, 'status')).to.equal('Nicht eingerichtet, es fehlt: server');
    expect(part(german, 'keypad').getAttribute('aria-label')).to.equal('Wähltastatur');
    expect(part(german, 'keypad').querySelector('button:nth-child(10)')!.getAttribute('aria-label')).to.equal('Stern');
    expect(part(german, 'base').getAttribute('lang')).to.equal('de');
    expect(getComputedStyle(part(german, 'base')).direction).to.equal('ltr');
  });

  it("takes the closest ancestor's language: a phone's, a lamp's, a video's; a call inside a phone takes the phone's", async () => {
    const box = await fixture<HTMLElement>(
      html`<div lang="en"><section lang="fr"><sip-phone></sip-phone><sip-presence target="bob"></sip-presence><sip-video></sip-video></section></div>`,
    );
    const [phone, lamp, video] = [
      box.querySelector<SipPhone>('sip-phone')!,
      box.querySelector<SipPresence>('sip-presence')!,
      box.querySelector<SipVideo>('sip-video')!,
    ];
    await reads(phone, 'call-button', 'Appeler');
    await reads(lamp, 'state', 'Inconnu');
    expect(part(lamp, 'button').getAttribute('aria-label')).to.equal('Appeler bob, Inconnu');
    await reads(video, 'placeholder', 'Pas de vidéo');
    expect(part(video, 'remote').getAttribute('aria-label')).to.equal('Vidéo du correspondant');
    const call = document.createElement('sip-call') as SipCall;
    call.slot = 'calls';
    phone.append(call);
    await reads(call, 'remote-name', "Pas d'appel");
  });

  it("follows the document's language, and every change of it or of the element's own lang at run time", async () => {
    document.documentElement.setAttribute('lang', 'es');
    const el = await fixture<SipPhone>(html`<sip-phone></sip-phone>`);
    await reads(el, 'call-button', 'Llamar');
    document.documentElement.setAttribute('lang', 'de');
    await reads(el, 'call-button', 'Anrufen');
    el.setAttribute('lang', 'fr');
    await reads(el, 'call-button', 'Appeler');
    el.removeAttribute('lang');
    await reads(el, 'call-button', 'Anrufen');
    document.documentElement.setAttribute('lang', 'en');
    await reads(el, 'call-button', 'Call');
  });

  it('follows its own lang inside another shadow root (where the page observer does not see)', async () => {
    const host = await fixture<HTMLElement>(html`<div></div>`);
    const root = host.attachShadow({ mode: 'open' });
    const phone = document.createElement('sip-phone') as SipPhone;
    root.append(phone);
    await reads(phone, 'call-button', 'Call');
    phone.setAttribute('lang', 'es');
    await reads(phone, 'call-button', 'Llamar');
  });

  it('stops watching the page for lang changes once its last element has left', async () => {
    const box = await fixture<HTMLElement>(html`<div><sip-phone></sip-phone><sip-presence></sip-presence></div>`);
    expect(watching()).to.deep.equal({ elements: 2, page: true });
    box.querySelector('sip-phone')!.remove();
    expect(watching()).to.deep.equal({ elements: 1, page: true });
    box.remove();
    expect(watching()).to.deep.equal({ elements: 0, page: false });
  });

  it('reads de-AT as German, and an unknown language as English (marked so)', async () => {
    const austrian = await fixture<SipPhone>(html`<sip-phone lang="de-AT"></sip-phone>`);
    await reads(austrian, 'call-button', 'Anrufen');
    const italian = await fixture<SipPhone>(html`<sip-phone lang="it"></sip-phone>`);
    await italian.updateComplete;
    expect(text(italian, 'call-button')).to.equal('Call');
    expect(part(italian, 'base').getAttribute('lang')).to.equal('en');
  });

  it('takes a language the page registers', async () => {
    const italian: Translation = {
      lang: 'it',
      dir: 'ltr',
      phone: { ...phoneStrings, call: 'Chiama' },
      call: callStrings,
      presence: presenceStrings,
      video: videoStrings,
    };
    const el = await fixture<SipPhone>(html`<sip-phone lang="it"></sip-phone>`);
    registerLanguage(italian);
    await reads(el, 'call-button', 'Chiama');
    expect(part(el, 'base').getAttribute('lang')).to.equal('it');
  });

  it('replaces any string through `strings`, placeholders filled, the rest from the language', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone lang="de"></sip-phone>`);
    await reads(el, 'call-button', 'Anrufen');
    el.strings = { call: 'Los', notConfigured: 'Es fehlt: {settings}' };
    await reads(el, 'call-button', 'Los');
    expect(text(el, 'status')).to.equal('Es fehlt: server, user, domain');
    expect(text(el, 'video-call-button'), 'not overridden: the language').to.equal('Videoanruf');
    el.strings = undefined;
    await reads(el, 'call-button', 'Anrufen');

    const call = await fixture<SipCall>(html`<sip-call lang="es"></sip-call>`);
    call.strings = { noCall: 'Nada' };
    await reads(call, 'remote-name', 'Nada');
    const lamp = await fixture<SipPresence>(html`<sip-presence target="bob"></sip-presence>`);
    lamp.strings = { unknown: '?', callLamp: '{state} {name}' };
    await reads(lamp, 'state', '?');
    expect(part(lamp, 'button').getAttribute('aria-label')).to.equal('? bob');
  });

  it('lays a right-to-left language out right to left: direction, the call button on the right, the dial pad still 1-2-3', async () => {
    const ltr = await fixture<SipPhone>(html`<sip-phone lang="en"></sip-phone>`);
    const rtl = await fixture<SipPhone>(html`<sip-phone lang="ar"></sip-phone>`);
    await reads(rtl, 'call-button', 'اتصال');
    const box = (el: SipPhone, name: string) => part(el, name).getBoundingClientRect();
    expect(getComputedStyle(part(rtl, 'base')).direction).to.equal('rtl');
    expect(getComputedStyle(part(ltr, 'base')).direction).to.equal('ltr');
    expect(box(ltr, 'call-button').left, 'LTR: Call comes first, on the left').to.be.below(
      box(ltr, 'video-call-button').left,
    );
    expect(box(rtl, 'call-button').left, 'RTL: Call comes first, on the right').to.be.above(
      box(rtl, 'video-call-button').left,
    );
    expect(box(rtl, 'status').right, 'RTL: the status starts at the right edge').to.be.above(
      box(rtl, 'base').right - 30,
    );
    const keys = [...part(rtl, 'keypad').querySelectorAll('button')].map((key) => key.getBoundingClientRect().left);
    expect(keys[0], 'the pad keeps 1 on the left').to.be.below(keys[2]!);
    // The page's own dir on the element wins over the language's.
    rtl.setAttribute('dir', 'ltr');
    await waitUntil(
      () => getComputedStyle(part(rtl, 'base')).direction === 'ltr',
      'dir="ltr" on the element was not followed',
    );
  });

  it('keeps remote text as text inside a translated sentence (the transfer question)', async () => {
    const call = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: 'Bob' }, 'connected');
    const el = await fixture<SipCall>(html`<sip-call lang="de"></sip-call>`);
    el.call = call;
    await el.updateComplete;
    const hostile = 'sip:carol@example.com;x=<img src=x onerror=alert(1)>';
    call.events.emit('refer', fakeRefer(hostile));
    await waitUntil(() => text(el, 'transfer-target') === hostile, 'no transfer target');
    expect(
      part(el, 'transfer-request').querySelector('[role=status]')!.textContent!.replace(/\s+/g, ' ').trim(),
    ).to.equal(`Weiterleitung erbeten: ${hostile} anrufen?`);
    expect(part(el, 'transfer-request').querySelector('img'), 'remote text is never markup').to.equal(null);
    expect(part(el, 'accept-transfer-button').getAttribute('aria-label')).to.equal(
      `Weiterleitung an ${hostile} annehmen`,
    );
  });

  for (const lang of ['de', 'ar']) {
    it(`is accessible in ${lang}: the phone, an incoming call, a lamp`, async () => {
      await loadLanguage(lang);
      const phone = await fixture<SipPhone>(
        html`<sip-phone lang=${lang} user="alice" domain="example.com"></sip-phone>`,
      );
      expect(part(phone, 'base').getAttribute('lang')).to.equal(lang);
      await expect(phone).to.be.accessible();
      const call = await fixture<SipCall>(html`<sip-call lang=${lang}></sip-call>`);
      call.call = new FakeCall('incoming', { uri: 'sip:bob@example.com', displayName: 'Bob' });
      await call.updateComplete;
      expect(text(call, 'answer-button')).to.equal(lang === 'de' ? 'Annehmen' : 'رد');
      await expect(call).to.be.accessible();
      const lamp = await fixture<SipPresence>(html`<sip-presence lang=${lang} target="bob"></sip-presence>`);
      await expect(lamp).to.be.accessible();
    });
  }
});

// The parts added after the tables (history, do-not-disturb, call quality, screen sharing) speak
// the element's language too: each check below reads English if its text is left out of the tables.
describe('languages: history, do-not-disturb, quality, screen sharing', () => {
  const ALICE = 'sip:alice@example.com';
  const at = Date.UTC(2026, 11, 7, 9, 30);
  const history: HistoryEntry[] = [
    {
      id: 'm',
      direction: 'incoming',
      uri: 'sip:mallory@example.com',
      displayName: 'Mallory',
      start: at,
      duration: 0,
      cause: 'remote-canceled',
      status: 487,
      missed: true,
      dnd: true,
    },
    {
      id: 'b',
      direction: 'outgoing',
      uri: 'sip:bob@example.com',
      displayName: 'Bob',
      start: at - 60_000,
      duration: 0,
      cause: 'busy',
      status: 486,
      missed: false,
      dnd: false,
    },
    {
      id: 'c',
      direction: 'incoming',
      uri: 'sip:carol@example.com',
      displayName: '',
      start: at - 120_000,
      duration: 65_000,
      cause: 'remote-hangup',
      status: undefined,
      missed: false,
      dnd: false,
    },
  ];
  const all = (el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
  const metas = (el: Element) => all(el, '.history .meta').map((meta) => meta.textContent!.trim());
  const when = (locale: string, time: number) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(time);

  beforeEach(() =>
    localStorage.setItem(storageKey(ALICE), JSON.stringify({ version: 1, unseen: 1, entries: history })),
  );
  afterEach(() => localStorage.removeItem(storageKey(ALICE)));

  it("German: the do-not-disturb button, the history panel, its badge, kinds, end causes in the calls' words, dates", async () => {
    const el = await fixture<SipPhone>(
      html`<sip-phone lang="de" user="alice" domain="example.com" history-storage="local"></sip-phone>`,
    );
    await reads(el, 'dnd-button', 'Nicht stören');
    expect(text(el, 'history-toggle').replace(/\s+/g, ' ')).to.equal('Verlauf 1');
    expect(part(el, 'missed-badge').getAttribute('aria-label')).to.equal('Verpasste Anrufe: 1');
    expect(el.shadowRoot!.querySelector('.history')!.getAttribute('aria-label')).to.equal('Letzte Anrufe');
    // A German short date (7.12.26 is 07.12.26, 09:30 in de, 12/7/26, 9:30 AM in en-US).
    const dates = history.map((entry) => when('de', entry.start));
    for (const date of dates) expect(date).to.match(/^\d\d\.\d\d\.\d\d, \d\d:\d\d$/);
    expect(metas(el)).to.deep.equal([
      `Verpasst (Nicht stören) · ${dates[0]}`,
      `Ausgehend · ${dates[1]} · Besetzt`,
      `Eingehend · ${dates[2]} · 1:05`,
    ]);
    const callBack = all(el, '[part~="call-back-button"]');
    expect(callBack.map((button) => button.textContent!.trim())).to.deep.equal([
      'Zurückrufen',
      'Zurückrufen',
      'Zurückrufen',
    ]);
    expect(callBack[1]!.getAttribute('aria-label')).to.equal('Zurückrufen: Bob');
    expect(text(el, 'clear-history-button')).to.equal('Verlauf löschen');
    await expect(el).to.be.accessible();
    // The page's words for the calls name the end cause in the history too.
    el.callStrings = { 'ended.busy': 'Leitung besetzt' };
    await waitUntil(
      () => metas(el)[1] === `Ausgehend · ${dates[1]} · Leitung besetzt`,
      `the history kept "${metas(el)[1]}"`,
    );
    part(el, 'clear-history-button').click();
    await waitUntil(
      () => el.shadowRoot!.querySelector('[part="history"] p.meta')?.textContent === 'Noch keine Anrufe',
      'no empty-history text in German',
    );
  });

  it("dates follow the element's own tag where the texts are in its language (en-GB), else the texts' (an unknown one)", async () => {
    const british = await fixture<SipPhone>(
      html`<sip-phone lang="en-GB" user="alice" domain="example.com" history-storage="local"></sip-phone>`,
    );
    expect(when('en-GB', at), 'day first in en-GB').to.match(/^07\/12\/2026, \d\d:\d\d$/);
    expect(metas(british)[0]).to.equal(`Missed (do not disturb) · ${when('en-GB', at)}`);
    const unknown = await fixture<SipPhone>(
      html`<sip-phone lang="x-klingon" user="alice" domain="example.com" history-storage="local"></sip-phone>`,
    );
    expect(metas(unknown)[0], 'an unknown language: English words, English date').to.equal(
      `Missed (do not disturb) · ${when('en', at)}`,
    );
  });

  it('Arabic: the history panel right to left, in Arabic, with Arabic dates', async () => {
    const el = await fixture<SipPhone>(
      html`<sip-phone lang="ar" user="alice" domain="example.com" history-storage="local"></sip-phone>`,
    );
    await reads(el, 'dnd-button', 'عدم الإزعاج');
    expect(text(el, 'history-toggle').replace(/\s+/g, ' ')).to.equal('سجل المكالمات 1');
    expect(part(el, 'missed-badge').getAttribute('aria-label')).to.equal('مكالمات فائتة: 1');
    expect(metas(el)).to.deep.equal([
      `فائتة (عدم الإزعاج) · ${when('ar', at)}`,
      `صادرة · ${when('ar', history[1]!.start)} · مشغول`,
      `واردة · ${when('ar', history[2]!.start)} · 1:05`,
    ]);
    expect(text(el, 'clear-history-button')).to.equal('مسح سجل المكالمات');
    const panel = part(el, 'history');
    panel.setAttribute('open', '');
    expect(getComputedStyle(panel).direction).to.equal('rtl');
    // Right to left: the name starts at the right, the call-back button sits on its left.
    const entry = all(el, '[part~="history-entry"]')[1]!;
    const name = entry.querySelector('[part="history-party"]')!.getBoundingClientRect();
    const button = entry.querySelector('[part~="call-back-button"]')!;
    expect(button.textContent!.trim()).to.equal('معاودة الاتصال');
    expect(button.getAttribute('aria-label')).to.equal('معاودة الاتصال: Bob');
    expect(button.getBoundingClientRect().right, 'the button left of the name').to.be.at.most(name.left);
    expect(name.right, 'the name at the right edge').to.be.above(entry.getBoundingClientRect().right - 30);
    await expect(el).to.be.accessible();
  });

  it('German: a lost server is retried in German only, also with two flows', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone lang="de" user="alice" domain="example.com"></sip-phone>`);
    await reads(el, 'call-button', 'Anrufen');
    const disconnected = oneEvent(el, 'sip-disconnected');
    // Two closed ports on loopback, refused at once on both flows. Not ports of the Fetch standard's
    // "bad port" list (7, 9...), nor 127.0.0.2: WebKitGTK leaves those WebSockets pending until the
    // phone's 10 s connect timeout, so both flows were seldom down at the same moment there.
    el.server = 'ws://127.0.0.1:1022 ws://127.0.0.1:1023';
    await disconnected;
    // The line says "not connected" once both flows are down and waiting: each first retries at
    // once (at most 250 ms later), so on a loaded machine this can take longer than waitUntil's
    // default second.
    await waitUntil(() => /neuer Versuch in \d+ s\)$/.test(text(el, 'status')), `status: "${text(el, 'status')}"`, {
      timeout: 10000,
    });
    const status = text(el, 'status');
    expect(status).to.match(/^Nicht verbunden: .+ \(neuer Versuch in \d+ s\)$/);
    expect(status, 'said once, and in German only').to.not.match(/retrying|\(neuer Versuch.*\(neuer Versuch/);
    el.remove();
  });

  describeNeedingWebRTC('in a call at Kamailio', () => {
    afterEach(removePhones);

    it('German: the quality indicator (MOS with a decimal comma), the microphone meter, the share button', async () => {
      const info = await kamailio();
      const alice = await makePhone(info, 'alice', { attributes: { lang: 'de' } });
      const bob = await makePhone(info, 'bob');
      const [outgoing] = await connectedCall(alice, bob);
      const { detail } = await oneEvent(outgoing, 'sip-call-quality');
      await outgoing.updateComplete;
      const mos = detail.mos.toLocaleString('de');
      expect(mos, 'a German decimal').to.match(/^\d(,\d+)?$/);
      expect(part(outgoing, 'quality').getAttribute('aria-label')).to.equal(
        `${{ good: 'Gute', fair: 'Mäßige', poor: 'Schlechte' }[outgoing.quality!]} Verbindung (MOS ${mos})`,
      );
      expect(part(outgoing, 'mic-level').getAttribute('aria-label')).to.equal('Mikrofonpegel');
      expect(text(outgoing, 'share-button')).to.equal('Bildschirm teilen');
      expect(text(outgoing, 'hangup-button')).to.equal('Auflegen');
    });
  });
});
