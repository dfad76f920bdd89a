// <sip-phone> and <sip-call> in a browser that cannot choose the speaker (no HTMLMediaElement.setSinkId,
// as in Safari before 18.4): taken away before the elements first look. The device menu says so
// instead of offering a choice it cannot honour; calls play on the default speaker without error.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { setAudioOutput } from '../../media/audio-output';
import './sip-phone';
import type { SipPhone } from './sip-phone';

delete (HTMLMediaElement.prototype as Partial<HTMLMediaElement>).setSinkId;

describe('<sip-phone> without setSinkId', () => {
  it('says the speaker cannot be chosen, and still offers microphone and camera', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone></sip-phone>`);
    const details = el.shadowRoot!.querySelector<HTMLDetailsElement>('[part~="devices"]')!;
    details.open = true;
    await oneEvent(details, 'toggle');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#speaker'), 'no speaker list').to.equal(null);
    expect(details.querySelector('[part~="button"]'), 'no speaker prompt').to.equal(null);
    expect(el.shadowRoot!.querySelector('[part~="speaker-note"]')?.textContent).to.equal(
      "This browser cannot choose the speaker: calls play on the system's default.",
    );
    expect(el.shadowRoot!.querySelector('#microphone')).not.to.equal(null);
    expect(el.shadowRoot!.querySelector('#camera')).not.to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('plays on the default speaker: choosing one is refused, not thrown', async () => {
    expect(await setAudioOutput(document.createElement('audio'), 'some-device')).to.equal(false);
  });
});
