import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './sip-phone';
import type { SipPhone } from './sip-phone';

describe('<sip-phone>', () => {
  it('is defined and takes its configuration from attributes', async () => {
    const el = await fixture<SipPhone>(
      html`<sip-phone user="alice" domain="example.com" display-name="Alice" auth-user="a1" register></sip-phone>`,
    );
    expect(el).to.be.instanceOf(customElements.get('sip-phone'));
    expect(el.user).to.equal('alice');
    expect(el.displayName).to.equal('Alice');
    expect(el.authUser).to.equal('a1');
    expect(el.autoRegister).to.equal(true);
    expect(el.aor).to.equal('sip:alice@example.com');
  });

  it('never exposes the password as an attribute', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com"></sip-phone>`);
    el.password = 'hunter2';
    await el.updateComplete;
    expect(el.getAttribute('password')).to.equal(null);
    expect(el.outerHTML).not.to.contain('hunter2');
    expect(el.shadowRoot!.innerHTML).not.to.contain('hunter2');
  });

  it('is accessible', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com"></sip-phone>`);
    await expect(el).to.be.accessible();
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
