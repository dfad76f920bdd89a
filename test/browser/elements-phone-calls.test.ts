// What a <sip-phone> does for its <sip-call> children while a call from a real Kamailio rings: it
// passes on the settings it shares with them (theme, transfer policy, devices, call texts) when they
// change, and its tones follow `silent` at once, in Chromium and Firefox (src/components/sip-phone/phone-calls.ts).
import { expect, oneEvent } from '@open-wc/testing';
import type { SipCall, SipPhone } from '../../src/index';
import { kamailio, makePhone, removePhones, waitFor, type KamailioInfo } from './elements-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

describeNeedingWebRTC('<sip-phone> at Kamailio: its calls follow its settings', () => {
  let info: KamailioInfo;
  let alice: SipPhone;
  let bob: SipPhone;

  before(async () => {
    info = await kamailio();
  });
  beforeEach(async () => {
    alice = await makePhone(info, 'alice');
    bob = await makePhone(info, 'bob');
  });
  afterEach(removePhones);

  /** Alice calls Bob: Bob's `<sip-call>`, ringing. */
  async function ringingAtBob(): Promise<SipCall> {
    const ringing = oneEvent(bob, 'sip-incoming');
    await alice.call('bob');
    const incoming = (await ringing).detail.call;
    await waitFor('the ringtone at bob', () => bob.tone === 'ringtone');
    return incoming;
  }

  it('stops the ringtone when set silent while a call rings, and plays it again when not', async () => {
    const incoming = await ringingAtBob();
    bob.silent = true;
    await bob.updateComplete;
    expect(bob.tone, 'silent: no tone').to.equal(undefined);
    expect(incoming.state).to.equal('incoming');
    bob.silent = false;
    await bob.updateComplete;
    expect(bob.tone, 'not silent: the call still rings').to.equal('ringtone');
    await incoming.decline();
  });

  it('passes a changed theme, transfer policy, device and call texts on to a ringing call', async () => {
    const incoming = await ringingAtBob();
    expect(incoming.theme).to.equal(undefined);
    expect(incoming.transferPolicy).to.equal('ask');
    bob.theme = 'dark';
    bob.transferPolicy = 'decline';
    bob.camera = 'camera-2';
    bob.callStrings = { decline: 'Not now' };
    await bob.updateComplete;
    expect(incoming.theme).to.equal('dark');
    expect(incoming.transferPolicy).to.equal('decline');
    expect(incoming.camera).to.equal('camera-2');
    await incoming.updateComplete;
    expect(incoming.shadowRoot!.querySelector('[part~="decline-button"]')!.textContent).to.equal('Not now');
    await incoming.decline();
  });
});
