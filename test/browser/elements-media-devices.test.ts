// Devices during a call between two <sip-phone> elements at Kamailio, in Chromium and Firefox with
// their fake devices: another microphone chosen mid-call goes on the sender by replaceTrack with no
// re-INVITE and the peer goes on hearing; the speaker by setSinkId; a device that appears in or
// disappears from the system (devicechange) shows in the menu, and a chosen one that disappears
// falls back to the default; a microphone lost mid-call (its track ended) falls back too; and the
// microphone level meter moves while connected.
//
// No real device can be plugged in here: the devicechange test replaces enumerateDevices() with the
// real list plus (then minus) one headset, and the lost-device test ends the track and fires the
// `ended` event the browser fires when a device is unplugged (stop() alone fires none).
import { expect, oneEvent } from '@open-wc/testing';
import type { SipPhone } from '../../src/index';
import { kamailio, makePhone, removePhones, waitFor, waitForMedia, type KamailioInfo } from './elements-helpers';
import { connectedCall, invites, recordSent, sentTrack, sessionOf } from './elements-media-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

describeNeedingWebRTC('<sip-phone> at Kamailio: devices during a call', () => {
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

  it('switches the microphone by replaceTrack, with no re-INVITE, and the peer goes on hearing', async () => {
    const [outgoing, incoming] = await connectedCall(alice, bob);
    const media = sessionOf(outgoing);
    const before = media.localStream.getAudioTracks()[0]!;
    expect(sentTrack(outgoing, 'audio')).to.equal(before);
    const microphones = (await navigator.mediaDevices.enumerateDevices()).filter(
      (device) => device.kind === 'audioinput' && device.deviceId && device.deviceId !== 'default',
    );
    const chosen = microphones.at(-1)!.deviceId;
    const sent = recordSent(alice);
    const received = recordSent(bob);
    alice.microphone = chosen;
    await waitFor('a new microphone track on the sender', () => {
      const now = media.localStream.getAudioTracks()[0];
      return !!now && now !== before && sentTrack(outgoing, 'audio') === now;
    });
    const now = media.localStream.getAudioTracks()[0]!;
    expect(now.getSettings().deviceId).to.equal(chosen);
    expect(before.readyState, 'the old microphone released').to.equal('ended');
    await waitForMedia(incoming, 'audio', 'audio from the new microphone to bob');
    expect(invites(sent), 'no re-INVITE from alice').to.deep.equal([]);
    expect(invites(received), 'none from bob').to.deep.equal([]);
  });

  it('plays the call on the chosen speaker (setSinkId)', async () => {
    const [outgoing] = await connectedCall(alice, bob);
    const audio = outgoing.shadowRoot!.querySelector('audio')!;
    expect(audio.sinkId).to.equal('');
    // Chromium's fake output devices, and Firefox's from cubeb's mock backend (tools/browsers.mjs).
    const speaker = (await navigator.mediaDevices.enumerateDevices()).find(
      (device) => device.kind === 'audiooutput' && device.deviceId !== 'default',
    );
    expect(speaker, 'a speaker to choose').not.to.equal(undefined);
    alice.speaker = speaker!.deviceId;
    await waitFor('the call to play on the chosen speaker', () => audio.sinkId === speaker!.deviceId);
  });

  it('offers a device that appears, and falls back to the default when the chosen one disappears', async () => {
    const real = await navigator.mediaDevices.enumerateDevices();
    const headset = {
      deviceId: 'test-headset',
      groupId: 'test-headset',
      kind: 'audioinput',
      label: 'Test headset',
      toJSON: () => ({}),
    } as MediaDeviceInfo;
    let devices = real;
    Object.defineProperty(navigator.mediaDevices, 'enumerateDevices', {
      configurable: true,
      value: async () => devices,
    });
    try {
      const details = alice.shadowRoot!.querySelector<HTMLDetailsElement>('[part~="devices"]')!;
      details.open = true;
      const microphone = alice.shadowRoot!.querySelector<HTMLSelectElement>('#microphone')!;
      const labels = () => [...microphone.options].map((option) => option.textContent);
      await waitFor('the menu to list the microphones', () => microphone.options.length > 1);
      expect(labels()).not.to.include('Test headset');

      devices = [...real, headset];
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
      await waitFor('the headset in the menu', () => labels().includes('Test headset'));
      alice.microphone = 'test-headset';
      await alice.updateComplete;
      expect(microphone.value).to.equal('test-headset');

      devices = real;
      const error = oneEvent(alice, 'sip-error');
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
      expect((await error).detail.error.message).to.equal(
        'The chosen microphone is no longer available: using the default microphone',
      );
      expect(alice.microphone).to.equal('');
      await alice.updateComplete;
      expect(labels()).not.to.include('Test headset');
      expect(microphone.value).to.equal('');
    } finally {
      delete (navigator.mediaDevices as unknown as Record<string, unknown>).enumerateDevices;
    }
  });

  it('falls back to the default microphone when the one in use is lost, says so, and the peer goes on hearing', async () => {
    const [outgoing, incoming] = await connectedCall(alice, bob);
    const media = sessionOf(outgoing);
    const lost = media.localStream.getAudioTracks()[0]!;
    const sent = recordSent(alice);
    const error = oneEvent(outgoing, 'sip-error');
    lost.stop();
    lost.dispatchEvent(new Event('ended'));
    expect((await error).detail.error.message).to.equal(
      'The microphone was disconnected: using the default microphone',
    );
    await waitFor('the default microphone on the sender', () => {
      const now = media.localStream.getAudioTracks()[0];
      return !!now && now !== lost && now.readyState === 'live' && sentTrack(outgoing, 'audio') === now;
    });
    await waitForMedia(incoming, 'audio', 'audio from the default microphone to bob');
    expect(invites(sent)).to.deep.equal([]);
  });

  it('shows the microphone level while connected: it moves with sound, rests when muted, goes with the call', async () => {
    const [outgoing] = await connectedCall(alice, bob);
    await outgoing.updateComplete;
    const meter = outgoing.shadowRoot!.querySelector<HTMLMeterElement>('meter[part~="mic-level"]')!;
    expect(meter.getAttribute('aria-label')).to.equal('Microphone level');
    await waitFor('the meter to show sound from the microphone', () => meter.value > 0.01);
    outgoing.mute();
    await waitFor('the meter to rest while muted', () => meter.value === 0);
    outgoing.unmute();
    await waitFor('the meter to move again', () => meter.value > 0.01);
    await outgoing.hangup();
    await outgoing.updateComplete;
    expect(outgoing.shadowRoot!.querySelector('meter')).to.equal(null);
  });
});
