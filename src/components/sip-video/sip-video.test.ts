import { expect, fixture, html } from '@open-wc/testing';
import { FakeCall, canvasVideoTrack, fakeMedia } from '../shared/call.fake';
import { emit } from '../shared/events';
import '../sip-call/sip-call';
import type { SipCall } from '../sip-call/sip-call';
import './sip-video';
import type { SipVideo } from './sip-video';

const video = (el: SipVideo, name: 'remote' | 'local') =>
  el.shadowRoot!.querySelector<HTMLVideoElement>(`[part="${name}"]`)!;

function videoCall(): { call: FakeCall; local: MediaStream; remote: MediaStream } {
  const call = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: 'Bob' }, 'connected');
  const local = new MediaStream([canvasVideoTrack('#a33')]);
  const remote = new MediaStream();
  call.media = fakeMedia({ local, remote, video: true });
  return { call, local, remote };
}

describe('<sip-video>', () => {
  it('shows a placeholder without a call, and muted videos styled through parts', async () => {
    const el = await fixture<SipVideo>(html`<sip-video></sip-video>`);
    expect(video(el, 'remote').muted).to.equal(true);
    expect(video(el, 'local').muted).to.equal(true);
    expect(video(el, 'remote').hidden).to.equal(true);
    expect(el.shadowRoot!.querySelector<HTMLElement>('[part="placeholder"]')!.hidden).to.equal(false);
    expect(el.hasAttribute('active')).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('shows no call for a `call` that is neither a call nor has one (elements fuzz test)', async () => {
    const el = await fixture<SipVideo>(html`<sip-video></sip-video>`);
    for (const value of ['sip:bob@example.com', { call: 42 }, 0]) {
      (el as unknown as { call: unknown }).call = value;
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector<HTMLElement>('[part="placeholder"]')!.hidden).to.equal(false);
    }
  });

  it('lets the page replace the placeholder', async () => {
    const el = await fixture<SipVideo>(html`<sip-video><span slot="placeholder">Camera off</span></sip-video>`);
    const slot = el.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="placeholder"]')!;
    expect(slot.assignedElements()[0]!.textContent).to.equal('Camera off');
  });

  it('shows a stack call: the local preview at once, the remote video when its track arrives', async () => {
    const { call, local, remote } = videoCall();
    const el = await fixture<SipVideo>(html`<sip-video .call=${call}></sip-video>`);
    expect(video(el, 'local').srcObject).to.equal(local);
    expect(video(el, 'local').hidden).to.equal(false);
    expect(el.hasAttribute('active')).to.equal(false);

    remote.addTrack(canvasVideoTrack('#33a'));
    call.events.emit('remote-track', 'video');
    await el.updateComplete;
    expect(video(el, 'remote').srcObject).to.equal(remote);
    expect(video(el, 'remote').hidden).to.equal(false);
    expect(el.hasAttribute('active')).to.equal(true);
    expect(el.active).to.equal(true);
    await expect(el).to.be.accessible();

    call.end('remote-hangup');
    await el.updateComplete;
    expect(video(el, 'remote').srcObject).to.equal(null);
    expect(video(el, 'local').srcObject).to.equal(null);
    expect(el.hasAttribute('active')).to.equal(false);
  });

  it('shows the call of a <sip-call> element', async () => {
    const { call, remote } = videoCall();
    remote.addTrack(canvasVideoTrack());
    const callElement = document.createElement('sip-call') as SipCall;
    callElement.call = call;
    const el = await fixture<SipVideo>(html`<sip-video .call=${callElement}></sip-video>`);
    expect(video(el, 'remote').srcObject).to.equal(remote);
  });

  it('follows the current call of the phone named by `for`', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div><div id="phone-1"></div><sip-video for="phone-1"></sip-video></div>`,
    );
    const phone = wrapper.querySelector('#phone-1') as HTMLElement & { currentCall?: { call: FakeCall } };
    const el = wrapper.querySelector('sip-video') as SipVideo;
    expect(video(el, 'remote').srcObject).to.equal(null);

    const first = videoCall();
    first.remote.addTrack(canvasVideoTrack());
    phone.currentCall = { call: first.call };
    emit(phone, 'sip-call-state', { state: 'connected', previous: 'ringing' });
    await el.updateComplete;
    expect(video(el, 'remote').srcObject).to.equal(first.remote);

    const second = videoCall();
    phone.currentCall = { call: second.call };
    emit(phone, 'sip-call-ended', { cause: 'hangup', status: undefined, reason: undefined });
    await el.updateComplete;
    expect(video(el, 'remote').srcObject).to.equal(second.remote);
  });

  it('detaches its streams when removed from the page', async () => {
    const { call, local } = videoCall();
    const el = await fixture<SipVideo>(html`<sip-video .call=${call}></sip-video>`);
    expect(video(el, 'local').srcObject).to.equal(local);
    el.remove();
    expect(video(el, 'local').srcObject).to.equal(null);
    call.events.emit('remote-track', 'video');
    expect(el.isUpdatePending, 'no update from a call it no longer shows').to.equal(false);
  });
});
