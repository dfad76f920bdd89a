import { expect, fixture, html } from '@open-wc/testing';
import './sip-call';
import type { SipCall } from './sip-call';

describe('<sip-call>', () => {
  it('reflects its state for CSS', async () => {
    const el = await fixture<SipCall>(html`<sip-call></sip-call>`);
    el.state = 'connected';
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('connected');
    expect(el.shadowRoot!.querySelector('[part="state"]')!.textContent).to.equal('connected');
    await expect(el).to.be.accessible();
  });
});
