// The phone as a widget (issue 19): phone-sized whatever the page's width, and laid out by its own
// width (a container query), so a phone in a narrow column gets the narrow layout.
import { expect, fixture, html } from '@open-wc/testing';
import './sip-phone';
import type { SipPhone } from './sip-phone';

const box = (el: SipPhone, name: string) => el.shadowRoot!.querySelector(`[part~="${name}"]`)!.getBoundingClientRect();

async function phoneIn(width: string): Promise<SipPhone> {
  const column = await fixture<HTMLElement>(
    html`<div style="width: ${width}"><sip-phone user="alice" domain="example.com"></sip-phone></div>`,
  );
  const phone = column.querySelector('sip-phone')!;
  await phone.updateComplete;
  return phone;
}

describe('<sip-phone> layout', () => {
  it('stays phone-sized in a wide page: at most 22rem, or --sip-phone-max-width', async () => {
    const phone = await phoneIn('1200px');
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
    expect(phone.getBoundingClientRect().width).to.equal(22 * rem);
    phone.style.setProperty('--sip-phone-max-width', '30rem');
    expect(phone.getBoundingClientRect().width).to.equal(30 * rem);
  });

  it('puts Call and Video call side by side when wide, one above the other when its column is narrow', async () => {
    const wide = await phoneIn('1200px');
    expect(box(wide, 'video-call-button').top, 'wide: one row').to.equal(box(wide, 'call-button').top);
    const narrow = await phoneIn('250px');
    expect(narrow.getBoundingClientRect().width).to.equal(250);
    expect(box(narrow, 'video-call-button').top, 'narrow: stacked').to.be.at.least(box(narrow, 'call-button').bottom);
    expect(box(narrow, 'call-button').width, 'narrow: full width').to.be.above(box(narrow, 'base').width * 0.8);
  });

  it('takes its width from its column, not the page: the narrow layout in a narrow column of a wide page', async () => {
    const page = await fixture<HTMLElement>(
      html`<div style="display: flex; width: 1200px"><div style="width: 300px"><sip-phone></sip-phone></div><div style="flex: 1"></div></div>`,
    );
    const phone = page.querySelector('sip-phone')!;
    await phone.updateComplete;
    expect(box(phone, 'video-call-button').top).to.be.at.least(box(phone, 'call-button').bottom);
  });
});
