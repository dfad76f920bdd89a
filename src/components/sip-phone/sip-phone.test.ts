import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { audioOutputSelection } from '../../media/audio-output';
import { serverProblem } from './phone-config';
import { TRACE_ENTRY_LIMIT, TRACE_LIMIT, appendTrace, redactCredentials } from './sip-trace';
import './sip-phone';
import type { SipPhone } from './sip-phone';
import { webrtcMissing } from '../../../test/browser/webrtc-capability';

const part = (el: SipPhone, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const status = (el: SipPhone) => part(el, 'status')!.textContent;

/** Uncaught errors and rejections while a test runs: the elements must never let one out. */
function watchPageErrors(): { errors: string[]; stop(): void } {
  const errors: string[] = [];
  const onError = (event: ErrorEvent) => errors.push(event.message);
  const onRejection = (event: PromiseRejectionEvent) => errors.push(String(event.reason));
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    errors,
    stop() {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
}

describe('<sip-phone>', () => {
  it('is defined and takes its configuration from attributes', async () => {
    const el = await fixture<SipPhone>(
      html`<sip-phone user="alice" domain="example.com" display-name="Alice" auth-user="a1" register trace silent theme="dark" transfer-policy="decline"></sip-phone>`,
    );
    expect(el).to.be.instanceOf(customElements.get('sip-phone'));
    expect(el.user).to.equal('alice');
    expect(el.displayName).to.equal('Alice');
    expect(el.authUser).to.equal('a1');
    expect(el.autoRegister).to.equal(true);
    expect(el.trace).to.equal(true);
    expect(el.silent).to.equal(true);
    expect(el.theme).to.equal('dark');
    expect(el.transferPolicy).to.equal('decline');
    expect(el.aor).to.equal('sip:alice@example.com');
    expect(part(el, 'title')!.textContent).to.equal('Alice');
    expect(part(el, 'aor')!.textContent).to.equal('sip:alice@example.com');
  });

  it('asks before following a transfer unless told otherwise (transfer-policy)', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone></sip-phone>`);
    expect(el.transferPolicy).to.equal('ask');
  });

  it('says what configuration is missing, without connecting', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com"></sip-phone>`);
    expect(status(el)).to.equal('Not configured: set server');
    expect(el.userAgent).to.equal(undefined);
    expect(el.registered).to.equal(false);
    expect(el.hasAttribute('registered')).to.equal(false);
    expect((part(el, 'call-button') as HTMLButtonElement).disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('never exposes the password as an attribute', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com"></sip-phone>`);
    el.password = 'hunter2';
    await el.updateComplete;
    expect(el.getAttribute('password')).to.equal(null);
    expect(el.outerHTML).not.to.contain('hunter2');
    expect(el.shadowRoot!.innerHTML).not.to.contain('hunter2');
  });

  it('reports a server URL that is not ws:// or wss:// as a readable sip-error', async () => {
    const page = watchPageErrors();
    const el = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com"></sip-phone>`);
    const error = oneEvent(el, 'sip-error');
    el.server = 'http://sip.example.com';
    expect((await error).detail.error.message).to.contain('must be a ws:// or wss:// URL');
    await el.updateComplete;
    expect(status(el)).to.contain('must be a ws:// or wss:// URL');
    expect(el.userAgent).to.equal(undefined);
    page.stop();
    expect(page.errors).to.deep.equal([]);
  });

  it('refuses a server URL with user:password@ without repeating the credentials anywhere', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com"></sip-phone>`);
    const error = oneEvent(el, 'sip-error');
    el.server = 'wss://alice:s3cret@sip.example.com/ws';
    const message = (await error).detail.error.message;
    expect(message).to.contain('without user:password@');
    expect(message).not.to.contain('s3cret');
    await el.updateComplete;
    expect(el.shadowRoot!.innerHTML).not.to.contain('s3cret');
    expect(el.userAgent).to.equal(undefined);
  });

  it('reports a user that makes no SIP address as a readable sip-error', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone domain="example.com" server="ws://127.0.0.1:9"></sip-phone>`);
    const error = oneEvent(el, 'sip-error');
    el.user = 'not a user';
    expect((await error).detail.error.message).to.match(/^The phone configuration is not usable: /);
  });

  it('reports a display name with a line break as a readable sip-error, without connecting', async () => {
    const el = await fixture<SipPhone>(
      html`<sip-phone user="alice" domain="example.com" server="ws://127.0.0.1:9"></sip-phone>`,
    );
    const error = oneEvent(el, 'sip-error');
    el.displayName = 'Alice\r\nX-Evil: 1';
    expect((await error).detail.error.message).to.equal(
      'The phone configuration is not usable: the display name cannot hold a line break (CR or LF)',
    );
    expect(el.userAgent).to.equal(undefined);
  });

  it('takes a removed configuration attribute as unset, and a property of another type as text (elements fuzz test)', async () => {
    const el = await fixture<SipPhone>(
      html`<sip-phone user="alice" domain="example.com" ice-servers="[]"></sip-phone>`,
    );
    for (const name of ['server', 'user', 'ice-servers']) el.removeAttribute(name);
    await el.updateComplete;
    expect(status(el)).to.equal('Not configured: set server, user');
    const error = oneEvent(el, 'sip-error');
    (el as unknown as { server: unknown }).server = 42;
    el.user = 'alice';
    expect((await error).detail.error.message).to.contain('server URL must be a ws:// or wss:// URL');
  });

  it('reports a dead server as sip-disconnected and one sip-error, never an exception', async () => {
    const page = watchPageErrors();
    const el = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com"></sip-phone>`);
    const connecting = oneEvent(el, 'sip-connecting');
    const disconnected = oneEvent(el, 'sip-disconnected');
    const error = oneEvent(el, 'sip-error');
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    el.server = 'ws://127.0.0.1:9';
    expect((await connecting).detail.server).to.equal('ws://127.0.0.1:9');
    expect((await disconnected).detail.reconnectInMs).to.be.a('number');
    expect((await error).detail.error.message).to.match(/^Cannot connect to ws:\/\/127\.0\.0\.1:9: /);
    await el.updateComplete;
    expect(status(el)).to.match(/^Not connected: .*retrying in \d+ s\)$/);
    await expect(el).to.be.accessible();
    el.remove();
    page.stop();
    expect(page.errors).to.deep.equal([]);
  });

  it('retries a lost server at once when the page comes back into view, not while it is hidden', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com"></sip-phone>`);
    const seen: string[] = [];
    for (const name of ['sip-connecting', 'sip-disconnected']) el.addEventListener(name, () => seen.push(name));
    const disconnected = oneEvent(el, 'sip-disconnected');
    el.server = 'ws://127.0.0.1:9';
    // Resumed in the microtasks after the close event: the backoff timer cannot have run yet.
    expect((await disconnected).detail.reconnectInMs).to.be.a('number');
    expect(seen).to.deep.equal(['sip-connecting', 'sip-disconnected']);
    // The page's own visibilityState is read through the prototype; an own property hides it.
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    try {
      document.dispatchEvent(new Event('visibilitychange'));
      expect(seen.length, 'nothing tried while hidden').to.equal(2);
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
    }
    expect(document.visibilityState).to.equal('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(seen.at(-1), 'a new attempt at once, before the backoff').to.equal('sip-connecting');
    el.remove();
    await waitUntil(() => el.userAgent === undefined, 'the removed phone stops');
    const attempts = seen.length;
    document.dispatchEvent(new Event('visibilitychange'));
    expect(seen.length, 'a removed phone no longer listens').to.equal(attempts);
  });

  it('rejects call() and sendMessage() with a readable reason while not connected', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone></sip-phone>`);
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => 'resolved',
        (error: Error) => error.message,
      );
    // Without WebRTC (WebKitGTK) a call cannot work whatever the connection: that reason comes first.
    if (webrtcMissing) expect(await failure(el.call('bob'))).to.match(/^Cannot place the call: Calls need WebRTC/);
    else
      expect(await failure(el.call('bob'))).to.equal('The phone is not connected: set server, user and domain first');
    expect(await failure(el.sendMessage('bob', 'hi'))).to.equal(
      'The phone is not connected: set server, user and domain first',
    );
    expect(await el.register()).to.equal(false);
  });

  it('takes digits from the dial pad and the keyboard into its dial field', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone></sip-phone>`);
    const input = part(el, 'target') as HTMLInputElement;
    input.value = '12';
    input.dispatchEvent(new InputEvent('input'));
    const keys = [...part(el, 'keypad')!.querySelectorAll('button')];
    keys.find((key) => key.textContent === '3')!.click();
    keys.find((key) => key.textContent === '#')!.click();
    await el.updateComplete;
    expect(input.value).to.equal('123#');
    expect(keys.find((key) => key.textContent === '*')!.getAttribute('aria-label')).to.equal('star');
    expect(el.shadowRoot!.querySelector('label[for="target"]')!.textContent).to.equal('Number or SIP address');
  });

  it('offers microphone, camera and speaker choices', async () => {
    // Browsers list devices (Firefox at all, Chromium with labels) once media permission was given.
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    for (const track of stream.getTracks()) track.stop();
    const el = await fixture<SipPhone>(html`<sip-phone></sip-phone>`);
    const details = part(el, 'devices') as HTMLDetailsElement;
    details.open = true;
    await oneEvent(details, 'toggle');
    await el.updateComplete;
    const microphone = el.shadowRoot!.querySelector<HTMLSelectElement>('#microphone')!;
    await new Promise<void>((resolve) => {
      const check = () => (microphone.options.length > 1 ? resolve() : setTimeout(check, 50));
      check();
    });
    expect(microphone.options[0]!.textContent).to.equal('Default');
    microphone.value = microphone.options[1]!.value;
    microphone.dispatchEvent(new Event('change'));
    expect(el.microphone).to.equal(microphone.options[1]!.value);
    expect(el.shadowRoot!.querySelector('#camera')).not.to.equal(null);
    // The speaker: a list where the browser lists speakers, its prompt, or nothing without setSinkId.
    const speakers = audioOutputSelection();
    expect(el.shadowRoot!.querySelector('#speaker') !== null).to.equal(speakers === 'list');
    const prompt = [...el.shadowRoot!.querySelectorAll('button')].some(
      (button) => button.textContent === 'Choose speaker…',
    );
    expect(prompt).to.equal(speakers === 'prompt');
    await expect(el).to.be.accessible();
  });

  it('shows the trace panel only with the trace attribute', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone></sip-phone>`);
    expect(part(el, 'trace')).to.equal(null);
    el.trace = true;
    await el.updateComplete;
    expect(part(el, 'trace')!.querySelector('summary')!.textContent).to.equal('SIP trace (0)');
    await expect(el).to.be.accessible();
  });

  it('is accessible in both themes', async () => {
    for (const theme of ['light', 'dark']) {
      const el = await fixture<SipPhone>(
        html`<sip-phone user="alice" domain="example.com" theme=${theme} trace></sip-phone>`,
      );
      await expect(el).to.be.accessible();
    }
  });

  it('follows a dark page preference without a theme attribute, and stays accessible', async () => {
    if (!navigator.userAgent.includes('Chrome/')) {
      // Only Chromium's runner (over CDP) can emulate the preference; Firefox over WebDriver BiDi and
      // WebKit over WebDriver classic cannot: check the rule that follows it.
      const el = await fixture<SipPhone>(html`<sip-phone></sip-phone>`);
      const rules = el.shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules]);
      const media = rules.find(
        (rule): rule is CSSMediaRule =>
          rule instanceof CSSMediaRule && rule.conditionText === '(prefers-color-scheme: dark)',
      );
      // Custom property values keep their source spacing (written readable, minified in dist/).
      expect(media!.cssRules[0]!.cssText.replace(/\s+/g, '')).to.contain('--_bg:var(--sip-color-background,#0d1117)');
      return;
    }
    await emulateMedia({ colorScheme: 'dark' });
    try {
      const el = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com"></sip-phone>`);
      expect(getComputedStyle(part(el, 'base')!).backgroundColor).to.equal('rgb(13, 17, 23)');
      await expect(el).to.be.accessible();
      el.theme = 'light';
      await el.updateComplete;
      expect(getComputedStyle(part(el, 'base')!).backgroundColor).to.equal('rgb(255, 255, 255)');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });
});

describe('<sip-phone> ice-servers', () => {
  it('parses a JSON array of ICE servers', async () => {
    const el = await fixture<SipPhone>(
      html`<sip-phone ice-servers='[{"urls":"stun:stun.example.com:3478"},{"urls":["turn:t.example.com"],"username":"u","credential":"c"}]'></sip-phone>`,
    );
    expect(el.iceServers).to.have.length(2);
    expect(el.iceServers[0].urls).to.equal('stun:stun.example.com:3478');
  });

  it('reports invalid JSON as a readable sip-error and uses no servers', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone></sip-phone>`);
    const seen = oneEvent(el, 'sip-error');
    el.setAttribute('ice-servers', '{not json');
    const event = await seen;
    expect(event.detail.error.message).to.contain('ice-servers is not valid JSON');
    expect(el.iceServers).to.deep.equal([]);
  });

  it('rejects an entry without urls', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone></sip-phone>`);
    const seen = oneEvent(el, 'sip-error');
    el.setAttribute('ice-servers', '[{"username":"x"}]');
    expect((await seen).detail.error.message).to.contain('ice-servers[0] needs "urls"');
  });
});

describe('<sip-phone> server check', () => {
  it('refuses ws:// from an https page, and anything but ws:// or wss://', () => {
    expect(serverProblem('ws://sip.example.com/ws', 'https:')!.message).to.equal(
      'This page is served over https, so the browser blocks the unencrypted server ws://sip.example.com/ws: use a wss:// URL',
    );
    expect(serverProblem('wss://sip.example.com/ws', 'https:')).to.equal(undefined);
    expect(serverProblem('ws://127.0.0.1:8080', 'http:')).to.equal(undefined);
    expect(serverProblem('sip.example.com', 'http:')!.message).to.contain('must be a ws:// or wss:// URL');
  });
});

describe('SIP trace', () => {
  it('redacts Authorization and Proxy-Authorization values, folded lines included', () => {
    const message = [
      'REGISTER sip:example.com SIP/2.0',
      'authorization: Digest username="alice", realm="example.com",',
      '  nonce="abc", response="0123456789abcdef"',
      'Proxy-Authorization:Digest username="alice", response="fedcba"',
      'WWW-Authenticate: Digest realm="example.com", nonce="n"',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const redacted = redactCredentials(message);
    expect(redacted).to.equal(
      [
        'REGISTER sip:example.com SIP/2.0',
        'authorization: [redacted]',
        'Proxy-Authorization: [redacted]',
        'WWW-Authenticate: Digest realm="example.com", nonce="n"',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    expect(redacted).not.to.contain('0123456789abcdef');
  });

  it('keeps a bounded number of bounded entries', () => {
    let entries = appendTrace([], 'sent', 'x'.repeat(TRACE_ENTRY_LIMIT + 10));
    expect(entries[0]!.text).to.have.length.below(TRACE_ENTRY_LIMIT + 40);
    expect(entries[0]!.text).to.match(/\[… 10 more characters\]$/);
    for (let i = 0; i < TRACE_LIMIT + 5; i++) entries = appendTrace(entries, 'received', `message ${i}`);
    expect(entries).to.have.length(TRACE_LIMIT);
    expect(entries.at(-1)!.text).to.equal(`message ${TRACE_LIMIT + 4}`);
  });
});
