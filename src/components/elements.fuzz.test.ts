/**
 * Property test of the three elements as a page meets them: random sequences of attribute sets and
 * removals with hostile values, property sets of the wrong type, method calls at the wrong moment,
 * the page moving and removing the elements, and the far end (a fake call) changing state.
 *
 * After every step: nothing escaped as an uncaught exception or unhandled rejection, an invalid
 * server or ice-servers produced a sip-error naming that attribute, no element was injected into a
 * shadow root from the text we set, and the password appears in no markup and no error. At the end
 * of each run: a valid configuration still works (the phone connects and is refused, the call
 * answers, the video shows its call), and once every run is over, no removed element fires again.
 *
 * The phone's server is only ever an address that refuses at once (ws://127.0.0.1:1), so nothing
 * waits on the network. Seeded and bounded; a failure starts with the line that replays it: put its
 * seed and path in REPLAY below.
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { FakeCall, canvasVideoTrack, fakeMedia, fakeRefer } from './shared/call.fake';
import './sip-phone/sip-phone';
import type { SipPhone } from './sip-phone/sip-phone';
import type { SipCall } from './sip-call/sip-call';
import type { SipVideo } from './sip-video/sip-video';
import './sip-video/sip-video';

/** To replay a failure: `{ seed: …, path: '…' }` from its first line. */
const REPLAY: { seed: number; path?: string } = { seed: 20261203 };
const RUNS = 25;
const MAX_STEPS = 30;
const HANG_MS = 3000;

const REFUSING = 'ws://127.0.0.1:1';
const PASSWORD = 'fuzz-secret-p4ss';
/** Set by any markup that we managed to inject and run. */
const PWNED = '__elementsFuzzPwned';

const hostileText = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\t\n',
      '\u00a0',
      'javascript:alert(1)',
      `<img src=x onerror="window.${PWNED}=1">`,
      `"><svg onload="window.${PWNED}=1">`,
      '{',
      '[',
      '[]',
      '[{}]',
      '{"urls":"stun:127.0.0.1:1"}',
      '[{"urls":1}]',
      '[{"urls":[]}]',
      '[{"urls":"stun:127.0.0.1:1"}]',
      '[null]',
      'null',
      '0',
      '-1',
      '1e309',
      'NaN',
      'toString',
      '__proto__',
      'http://127.0.0.1:1',
      'sip:127.0.0.1',
      'ws://user:pass@127.0.0.1:1',
      'wss://127.0.0.1:99999/ws',
      'ws://127.0.0.1:-1',
      'wss://127.0.0.1:1/a/b?c=d#e',
      'ws://[::1]:1',
      'ws://',
      'ws:// 127.0.0.1:1',
      REFUSING,
      ` ${REFUSING} `,
      'WS://127.0.0.1:1',
      'alice',
      'alice@example.com',
      'sip:alice@example.com',
      'example.com',
      '127.0.0.1',
      'ali ce',
      'a\r\nVia: evil',
      '\u202e\u0000',
      '𝕒𝕝𝕚𝕔𝕖',
      '电话',
      'x'.repeat(10000),
      'light',
      'dark',
      'ended',
      'connected',
    ),
    weight: 4,
  },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }), weight: 1 },
);

/** What a page might wrongly assign to a property. */
const wrongValue = fc.oneof(
  hostileText,
  fc.constantFrom(null, undefined, 0, -1, Number.NaN, true, false, {}, [], ['ws://127.0.0.1:1'], {
    toString: () => REFUSING,
  }),
);

type Target = 'phone' | 'call' | 'video';
const ATTRIBUTES: Record<Target, readonly string[]> = {
  phone: [
    'server',
    'user',
    'domain',
    'display-name',
    'auth-user',
    'register',
    'ice-servers',
    'trace',
    'silent',
    'theme',
    'registered',
    'id',
    'auto-answer',
    'accept-html-messages',
  ],
  call: ['state', 'muted', 'theme'],
  video: ['for', 'active', 'theme'],
};
const PROPERTIES: Record<Target, readonly string[]> = {
  phone: [
    'server',
    'user',
    'domain',
    'displayName',
    'authUser',
    'autoRegister',
    'iceServersJson',
    'password',
    'trace',
    'silent',
    'theme',
    'microphone',
    'camera',
    'speaker',
    'callLinger',
    'autoAnswer',
  ],
  call: ['call', 'state', 'theme', 'microphone', 'camera', 'speaker'],
  video: ['call', 'for', 'theme'],
};
const METHODS: Record<Target, readonly string[]> = {
  phone: ['call', 'call-video', 'sendMessage', 'register', 'unregister', 'clearTrace'],
  call: [
    'answer',
    'answer-video',
    'decline',
    'hangup',
    'hold',
    'unhold',
    'mute',
    'unmute',
    'sendDtmf',
    'transfer',
    'transfer-self',
    'setVideo',
    'getStats',
    'callMessage',
  ],
  video: [],
};
const target = fc.constantFrom<Target>('phone', 'call', 'video');
const CALL_STATES = ['calling', 'ringing', 'incoming', 'early', 'connected', 'held', 'ended'] as const;

type Step =
  | { t: 'attribute'; el: Target; name: string; value: string | null }
  | { t: 'property'; el: Target; name: string; value: unknown }
  | { t: 'method'; el: Target; name: string; arg: unknown }
  | { t: 'dom'; el: Target; how: 'remove' | 'append' | 'move' }
  | {
      t: 'far';
      what: 'state' | 'end' | 'error' | 'refer' | 'dtmf' | 'message' | 'new-call';
      state: (typeof CALL_STATES)[number];
      text: string;
    };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: target.chain((el) =>
      fc.record({
        t: fc.constant('attribute' as const),
        el: fc.constant(el),
        name: fc.constantFrom(...ATTRIBUTES[el]),
        value: fc.option(hostileText, { freq: 4 }),
      }),
    ),
    weight: 8,
  },
  {
    arbitrary: target.chain((el) =>
      fc.record({
        t: fc.constant('property' as const),
        el: fc.constant(el),
        name: fc.constantFrom(...PROPERTIES[el]),
        value: wrongValue,
      }),
    ),
    weight: 4,
  },
  {
    arbitrary: fc.constantFrom<Target>('phone', 'call').chain((el) =>
      fc.record({
        t: fc.constant('method' as const),
        el: fc.constant(el),
        name: fc.constantFrom(...METHODS[el]),
        arg: wrongValue,
      }),
    ),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('dom' as const),
      el: target,
      how: fc.constantFrom('remove', 'append', 'move' as const),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('far' as const),
      what: fc.constantFrom('state', 'state', 'end', 'error', 'refer', 'dtmf', 'message', 'new-call' as const),
      state: fc.constantFrom(...CALL_STATES),
      text: hostileText,
    }),
    weight: 2,
  },
);

/** The attributes whose wrong values the phone must name in a sip-error, with what makes a value wrong. */
function badServer(value: string): boolean {
  const match = /^wss?:\/\/([^\s/?#]+)(?:[/?#]\S*)?$/i.exec(value.trim());
  if (!match) return true;
  try {
    new URL(value.trim());
    return false;
  } catch {
    return true;
  }
}

function badIceServers(json: string): boolean {
  if (!json.trim()) return false;
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return true;
    return value.some((server) => {
      const urls = [(server as { urls?: unknown } | null)?.urls].flat();
      return !urls.length || urls.some((url) => typeof url !== 'string');
    });
  } catch {
    return true;
  }
}

/** Elements of shadow roots that only markup could have put there. */
function injected(root: ShadowRoot | null | undefined): string[] {
  if (!root) return [];
  const found: string[] = [];
  for (const node of root.querySelectorAll('*')) {
    if (['IMG', 'SVG', 'SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(node.tagName.toUpperCase()))
      found.push(node.tagName);
    for (const attribute of node.getAttributeNames())
      if (attribute.startsWith('on')) found.push(`${node.tagName}[${attribute}]`);
    if (node.getAttribute('href')?.trim().toLowerCase().startsWith('javascript:')) found.push(`${node.tagName}[href]`);
    found.push(...injected(node.shadowRoot));
  }
  return found;
}

/** Every element any run made, and what each fired after it left the page for good. */
const removed: Array<{ el: HTMLElement; late: string[] }> = [];
const EVENTS = [
  'sip-error',
  'sip-connecting',
  'sip-connected',
  'sip-disconnected',
  'sip-registered',
  'sip-call-state',
  'sip-call-ended',
  'sip-incoming',
];

/** Everything the elements do here ends at once (the server refuses): what takes seconds is a hang. */
function settlesSoon<T>(promise: Promise<T>, what = 'the step'): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} hangs`)), HANG_MS)),
  );
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

class Rig {
  readonly host = document.createElement('div');
  readonly other = document.createElement('div');
  readonly phone = document.createElement('sip-phone') as SipPhone;
  readonly call = document.createElement('sip-call') as SipCall;
  readonly video = document.createElement('sip-video') as SipVideo;
  fake = new FakeCall('incoming', {
    uri: 'sip:mallory@example.com',
    displayName: `<img src=x onerror="window.${PWNED}=1">`,
  });
  /** sip-error messages of the current step, by element. */
  errors: Record<Target, string[]> = { phone: [], call: [], video: [] };
  readonly pageErrors: string[] = [];
  readonly #onError = (event: ErrorEvent) => this.pageErrors.push(`uncaught: ${event.message}`);
  readonly #onRejection = (event: PromiseRejectionEvent) =>
    this.pageErrors.push(`unhandled rejection: ${String(event.reason?.stack ?? event.reason)}`);

  constructor() {
    addEventListener('error', this.#onError);
    addEventListener('unhandledrejection', this.#onRejection);
    document.body.append(this.host, this.other);
    for (const name of ['phone', 'call', 'video'] as const) {
      this[name].addEventListener('sip-error', (event) => this.errors[name].push(event.detail.error.message));
    }
    this.phone.callLinger = 0;
    this.call.call = this.fake;
    this.host.append(this.phone, this.call, this.video);
  }

  /** The last attribute step set the value it already had. */
  unchanged = false;

  element(name: Target): HTMLElement {
    return this[name];
  }

  async run(s: Step): Promise<void> {
    this.errors = { phone: [], call: [], video: [] };
    const el = s.t === 'far' ? this.call : this.element(s.el);
    switch (s.t) {
      case 'attribute':
        // An attribute set to what it was (or removed while absent) changes nothing: no new sip-error is owed.
        this.unchanged = el.getAttribute(s.name) === s.value;
        if (s.value === null) el.removeAttribute(s.name);
        else el.setAttribute(s.name, s.value);
        break;
      case 'property':
        (el as unknown as Record<string, unknown>)[s.name] = s.name === 'password' ? PASSWORD : s.value;
        break;
      case 'method':
        await this.#method(s.el, s.name, s.arg);
        break;
      case 'dom':
        if (s.how === 'remove') el.remove();
        else if (s.how === 'append') this.host.append(el);
        else this.other.append(el);
        break;
      case 'far':
        this.#far(s);
        break;
    }
    await this.settled();
  }

  /** Lets updates, microtasks and one task run. */
  async settled(): Promise<void> {
    for (const el of [this.phone, this.call, this.video])
      await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    await new Promise((resolve) => setTimeout(resolve));
  }

  /** A method call: it may throw or reject, but only with a readable Error. */
  async #method(el: Target, name: string, arg: unknown): Promise<void> {
    const text = typeof arg === 'string' ? arg : (arg as string);
    const phone = this.phone;
    const call = this.call;
    const calls: Record<string, () => unknown> = {
      call: () => phone.call(text),
      'call-video': () => phone.call(text, { video: true }),
      sendMessage: () => phone.sendMessage(text, text),
      register: () => phone.register(),
      unregister: () => phone.unregister(),
      clearTrace: () => phone.clearTrace(),
      answer: () => call.answer(arg as never),
      'answer-video': () => call.answer({ video: true }),
      decline: () => call.decline(arg as never),
      hangup: () => call.hangup(),
      hold: () => call.hold(),
      unhold: () => call.unhold(),
      mute: () => call.mute(arg as never),
      unmute: () => call.unmute(arg as never),
      sendDtmf: () => call.sendDtmf(text),
      transfer: () => call.transfer(text),
      'transfer-self': () => call.transfer(call),
      setVideo: () => call.setVideo(arg as never),
      getStats: () => call.getStats(),
      callMessage: () => call.sendMessage(text),
    };
    try {
      await calls[name]!();
    } catch (error) {
      expect(error, `${el}.${name} fails with an Error`).to.be.instanceOf(Error);
      expect((error as Error).message, `${el}.${name} says why`).to.match(/\w{3}/);
    }
  }

  #far(s: Extract<Step, { t: 'far' }>): void {
    const fake = this.fake;
    if (s.what === 'state') fake.setState(s.state);
    else if (s.what === 'end') fake.end(s.text);
    else if (s.what === 'error') fake.events.emit('error', new Error(`far error: ${s.text}`));
    else if (s.what === 'dtmf') fake.events.emit('dtmf', { digit: s.text, duration: 100, via: 'info' });
    else if (s.what === 'refer') fake.events.emit('refer', fakeRefer(s.text));
    else if (s.what === 'message') fake.events.emit('message', { body: s.text, contentType: 'text/html' });
    else {
      this.fake = new FakeCall(s.state === 'calling' ? 'outgoing' : 'incoming', {
        uri: `sip:${s.text}@example.com`,
        displayName: s.text,
      });
      this.call.call = this.fake;
    }
  }

  /** The invariants that hold after every step. */
  check(s: Step): void {
    expect(this.pageErrors, 'nothing escaped into the page').to.deep.equal([]);
    expect((window as unknown as Record<string, unknown>)[PWNED], 'no injected markup ran').to.equal(undefined);
    const roots = [this.phone, this.call, this.video, ...this.phone.querySelectorAll('sip-call')].map(
      (el) => el.shadowRoot,
    );
    expect(roots.flatMap(injected), 'no element injected into a shadow root').to.deep.equal([]);
    expect(this.phone.outerHTML + this.phone.shadowRoot!.innerHTML, 'the password is in no markup').not.to.contain(
      PASSWORD,
    );
    const messages = Object.values(this.errors).flat();
    expect(
      messages.filter((message) => message.includes(PASSWORD)),
      'the password is in no error',
    ).to.deep.equal([]);
    for (const message of messages) expect(message, 'a sip-error says what is wrong').to.match(/\w{3}/);
    if (s.t !== 'attribute' && s.t !== 'property') return;
    if (s.el !== 'phone' || !this.phone.isConnected || (s.t === 'attribute' && this.unchanged)) return;
    const phone = this.phone;
    const name = s.t === 'attribute' ? s.name : ({ iceServersJson: 'ice-servers' }[s.name] ?? s.name);
    const text = (value: unknown) => (value == null ? '' : String(value));
    const complete = ['server', 'user', 'domain'].every((setting) => text(phone[setting as 'server']).trim());
    if (name === 'server' && complete && badServer(text(phone.server))) {
      expect(this.errors.phone.join('\n'), `a sip-error names the bad server ${JSON.stringify(phone.server)}`).to.match(
        /server/i,
      );
    }
    if (name === 'ice-servers' && badIceServers(text(phone.iceServersJson))) {
      expect(
        this.errors.phone.join('\n'),
        `a sip-error names the bad ice-servers ${JSON.stringify(phone.iceServersJson)}`,
      ).to.contain('ice-servers');
    }
  }

  /** A valid configuration after all that: each element reaches the state it should. */
  async validAgain(run: number): Promise<void> {
    const { phone, call, video } = this;
    this.host.append(phone, call, video);
    for (const name of ['ice-servers', 'auth-user', 'register', 'theme']) phone.removeAttribute(name);
    phone.password = '';
    // Connecting is the state to reach: Chromium delays repeated attempts at a refusing address
    // (RFC 6455 §7.2.3), so when the refusal arrives is not this test's business.
    const connecting = new Promise<CustomEvent>((resolve) =>
      phone.addEventListener('sip-connecting', resolve as never, { once: true }),
    );
    // A display name of this run's own: a new user agent, which tries the refusing server.
    for (const [name, value] of [
      ['server', REFUSING],
      ['user', 'alice'],
      ['domain', 'example.com'],
      ['display-name', `Run ${run}`],
    ])
      phone.setAttribute(name!, value!);
    await this.settled();
    expect(phone.userAgent, 'a configured phone has a user agent').not.to.equal(undefined);
    expect((await connecting).detail.server, 'the phone connects').to.equal(REFUSING);
    expect(phone.shadowRoot!.querySelector('[part="status"]')!.textContent).to.match(
      /^(Connecting to|Not connected: )/,
    );

    const fake = new FakeCall('incoming', { uri: 'sip:bob@example.com', displayName: 'Bob' });
    call.removeAttribute('state');
    call.call = fake;
    await this.settled();
    expect(call.getAttribute('state')).to.equal('incoming');
    await call.answer();
    await this.settled();
    expect(call.getAttribute('state')).to.equal('connected');

    const local = new MediaStream([canvasVideoTrack()]);
    const shown = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: 'Bob' }, 'connected');
    shown.media = fakeMedia({ local, video: true });
    video.call = shown;
    await this.settled();
    expect(
      video.shadowRoot!.querySelector<HTMLVideoElement>('[part="local"]')!.srcObject,
      'the video shows its call',
    ).to.equal(local);
    shown.media.close();
    this.check({ t: 'dom', el: 'phone', how: 'append' });
  }

  /** Removes everything for good; whatever the elements fire from now on is a leak. */
  dispose(): void {
    for (const el of [this.phone, this.call, this.video]) {
      const entry = { el: el as HTMLElement, late: [] as string[] };
      for (const name of EVENTS) el.addEventListener(name, () => entry.late.push(name));
      removed.push(entry);
    }
    this.host.remove();
    this.other.remove();
    removeEventListener('error', this.#onError);
    removeEventListener('unhandledrejection', this.#onRejection);
  }
}

describe('<sip-phone>, <sip-call>, <sip-video> under random attributes, properties, calls and moves', () => {
  it('never crash, name what is wrong, inject nothing, and work again once configured', async function () {
    // A few seconds per browser; the timeout is generous for a slow shared machine.
    this.timeout(120000);
    let run = 0;
    const property = fc.asyncProperty(fc.array(step, { maxLength: MAX_STEPS }), async (steps) => {
      const rig = new Rig();
      try {
        await rig.settled();
        for (const [index, s] of steps.entries()) {
          try {
            await settlesSoon(rig.run(s));
            rig.check(s);
          } catch (error) {
            throw new Error(
              `step ${index} ${JSON.stringify(s, (_, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…` : v))}: ${(error as Error).message}`,
            );
          }
        }
        await settlesSoon(rig.validAgain(run++), 'the valid configuration');
        expect(rig.pageErrors, 'nothing escaped into the page').to.deep.equal([]);
      } finally {
        rig.dispose();
      }
    });
    try {
      await fc.assert(property, {
        seed: REPLAY.seed,
        numRuns: REPLAY.path ? 1 : RUNS,
        ...(REPLAY.path ? { path: REPLAY.path } : {}),
      });
    } catch (error) {
      const text = (error as Error).message;
      const [, seed, path] = /seed: (-?\d+), path: "([^"]*)"/.exec(text) ?? [];
      throw new Error(
        `replay: REPLAY = { seed: ${seed ?? REPLAY.seed}, path: '${path ?? ''}' } in src/components/elements.fuzz.test.ts\n${text}\n${String((error as Error).cause)}`,
      );
    }
    // Past the first reconnect delays (250 ms and its jitter): a removed phone that still had a
    // timer would connect again and say so now.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(
      removed.filter((entry) => entry.late.length).map((entry) => `${entry.el.localName}: ${entry.late.join(', ')}`),
      'removed elements stay silent',
    ).to.deep.equal([]);
  });
});
