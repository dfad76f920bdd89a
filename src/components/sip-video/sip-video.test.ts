import { expect, fixture, html } from '@open-wc/testing';
import './sip-video';
import type { SipVideo } from './sip-video';

describe('<sip-video>', () => {
  it('renders a remote video and a muted local preview, styled through parts', async () => {
    const el = await fixture<SipVideo>(html`<sip-video></sip-video>`);
    const remote = el.shadowRoot!.querySelector<HTMLVideoElement>('[part="remote"]')!;
    const local = el.shadowRoot!.querySelector<HTMLVideoElement>('[part="local"]')!;
    expect(remote.tagName).to.equal('VIDEO');
    expect(local.muted).to.equal(true);
    await expect(el).to.be.accessible();
  });
});
