// <sip-phone> in a browser without WebRTC (issue 20): RTCPeerConnection is taken away before the
// phone first looks (capabilities are detected once, on first use). The phone still renders, says
// why once per phone in a sip-error and beside its disabled call buttons, stays accessible, and
// refuses call() with the same reason. Registration, MESSAGE and the 488 to a caller are tested
// through Kamailio in test/e2e/calls-unavailable.test.ts.
import { expect, fixture, html } from '@open-wc/testing';
import { CallsUnavailableError } from '../../media/capabilities';
import './sip-phone';
import type { SipPhone } from './sip-phone';

delete (window as Partial<Window & typeof globalThis>).RTCPeerConnection;

const part = (el: SipPhone, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

describe('<sip-phone> without RTCPeerConnection', () => {
  const errors: Error[] = [];
  const record = (event: Event) => errors.push((event as CustomEvent<{ error: Error }>).detail.error);
  const uncaught: string[] = [];
  const onError = (event: ErrorEvent) => uncaught.push(event.message);
  const onRejection = (event: PromiseRejectionEvent) => uncaught.push(String(event.reason));

  beforeEach(() => {
    errors.length = uncaught.length = 0;
    document.addEventListener('sip-error', record);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
  });
  afterEach(() => {
    document.removeEventListener('sip-error', record);
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
    expect(uncaught).to.deep.equal([], 'no uncaught error or unhandled rejection');
  });

  it('renders, says why once in a sip-error and beside its disabled call buttons, and is accessible', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com"></sip-phone>`);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.be.instanceOf(CallsUnavailableError);
    expect(errors[0]).to.include({ name: 'CallsUnavailableError', code: 'no-webrtc' });
    expect(errors[0]!.message).to.match(/^Calls need WebRTC, and this browser does not provide RTCPeerConnection/);

    const note = part(el, 'calls-unavailable')!;
    expect(note.textContent).to.equal(errors[0]!.message);
    for (const name of ['call-button', 'video-call-button']) {
      const button = part(el, name) as HTMLButtonElement;
      expect(button.disabled, name).to.equal(true);
      expect(button.getAttribute('aria-describedby'), name).to.equal(note.id);
    }
    // Devices can still be listed and chosen: the menu depends on device access, not on WebRTC.
    expect(part(el, 'devices')).not.to.equal(null);
    await expect(el).to.be.accessible();

    // Moved in the page and updated again: still the one sip-error.
    el.parentElement!.append(el);
    el.theme = 'dark';
    await el.updateComplete;
    expect(errors).to.have.length(1);
  });

  it('tells each phone once', async () => {
    await fixture<SipPhone>(html`<div><sip-phone></sip-phone><sip-phone></sip-phone></div>`);
    expect(errors.map((error) => error.name)).to.deep.equal(['CallsUnavailableError', 'CallsUnavailableError']);
  });

  it('refuses call() with the reason, reported as one more sip-error', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com"></sip-phone>`);
    let refused: unknown;
    await el.call('bob').catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(CallsUnavailableError);
    expect(refused).to.include({ code: 'no-webrtc' });
    expect((refused as Error).message).to.match(/^Cannot place the call: Calls need WebRTC/);
    expect(errors).to.have.length(2);
    expect(errors[1]).to.equal(refused);
    expect(el.calls).to.have.length(0);
  });
});
