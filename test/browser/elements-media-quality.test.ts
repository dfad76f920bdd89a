// Call quality between two <sip-phone> elements at Kamailio, in Chromium and Firefox: a clean
// loopback line is `good` with the figures measured; when the far side stops sending (its audio
// sender given no track, so no packet leaves it, as on a dead path) the indicator falls to `poor`
// with a high-packet-loss warning, and both come back when it sends again. (Deactivating the
// encoding with setParameters does the same in Chromium, but Firefox 153 kept sending for about
// 50 s after it.) A microphone
// that delivers digital silence while unmuted raises silent-microphone, cleared by switching to a
// working one.
//
// Figures come every 2 s and a warning needs two intervals to start or clear, so the tests that
// wait for one to start and clear take about 15 s of call time, hence their longer timeouts.
import { expect, oneEvent } from '@open-wc/testing';
import type { SipCall, SipPhone } from '../../src/index';
import { kamailio, makePhone, removePhones, waitFor, type KamailioInfo } from './elements-helpers';
import { connectedCall, sentTrack, sessionOf } from './elements-media-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

/** Lets the far side's audio sender send (true) or not (false), without renegotiation. */
async function setSending(call: SipCall, active: boolean): Promise<void> {
  const transceiver = sessionOf(call)
    .peerConnection!.getTransceivers()
    .find((t) => t.receiver.track.kind === 'audio')!;
  await transceiver.sender.replaceTrack(active ? sessionOf(call).localStream.getAudioTracks()[0]! : null);
}

/** The next warning event of a name for `warning`. */
function warningOf(
  call: SipCall,
  name: 'sip-quality-warning' | 'sip-quality-warning-cleared',
  warning: string,
): Promise<void> {
  return new Promise((resolve) => {
    const listener = (event: Event) => {
      if ((event as CustomEvent<{ warning: string }>).detail.warning !== warning) return;
      call.removeEventListener(name, listener);
      resolve();
    };
    call.addEventListener(name, listener);
  });
}

/** A microphone that delivers digital silence, as a dead or hardware-muted one does. */
function silentMicrophone(): MediaStream {
  const context = new AudioContext();
  const source = context.createConstantSource();
  source.offset.value = 0;
  const destination = context.createMediaStreamDestination();
  source.connect(destination);
  source.start();
  return destination.stream;
}

describeNeedingWebRTC('<sip-call> at Kamailio: call quality', () => {
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

  it('is good on a clean line, with the figures measured', async () => {
    const [outgoing] = await connectedCall(alice, bob);
    const { detail } = await oneEvent(outgoing, 'sip-call-quality');
    expect(detail.quality).to.equal('good');
    expect(detail.packetLoss).to.equal(0);
    expect(detail.rtt, 'a round trip measured').to.be.a('number').within(0, 100);
    expect(detail.jitter, 'jitter measured').to.be.a('number').within(0, 30);
    expect(detail.mos).to.be.above(4.3);
    expect(detail.warnings).to.deep.equal([]);
    expect(outgoing.getAttribute('quality')).to.equal('good');
    await outgoing.updateComplete;
    const indicator = outgoing.shadowRoot!.querySelector('[part~="quality"]')!;
    expect(indicator.getAttribute('aria-label')).to.equal(`Good line (MOS ${detail.mos})`);
    await expect(outgoing).to.be.accessible();
    await outgoing.hangup();
    await outgoing.updateComplete;
    expect(outgoing.hasAttribute('quality'), 'no quality once the call is over').to.equal(false);
  });

  it('falls to poor with a packet-loss warning when the far side stops sending, and recovers', async function () {
    this.timeout(60000);
    const [outgoing, incoming] = await connectedCall(alice, bob);
    await waitFor('good quality first', () => outgoing.quality === 'good');

    const warned = warningOf(outgoing, 'sip-quality-warning', 'high-packet-loss');
    await setSending(incoming, false);
    await warned;
    expect(outgoing.getAttribute('quality')).to.equal('poor');
    const { detail } = await oneEvent(outgoing, 'sip-call-quality');
    expect(detail.packetLoss).to.equal(1);
    expect(detail.warnings).to.include('high-packet-loss');
    await outgoing.updateComplete;
    expect(outgoing.shadowRoot!.querySelector('[part~="quality"]')!.getAttribute('aria-label')).to.match(/^Poor line/);

    const cleared = warningOf(outgoing, 'sip-quality-warning-cleared', 'high-packet-loss');
    await setSending(incoming, true);
    await cleared;
    await waitFor('good quality again', () => outgoing.quality === 'good');
  });

  it('warns of a silent microphone while it is unmuted, and clears when a working one is chosen', async function () {
    this.timeout(60000);
    const getUserMedia = Object.getOwnPropertyDescriptor(MediaDevices.prototype, 'getUserMedia')!;
    Object.defineProperty(navigator.mediaDevices, 'getUserMedia', {
      configurable: true,
      value: async () => silentMicrophone(),
    });
    try {
      const [outgoing] = await connectedCall(alice, bob);
      await warningOf(outgoing, 'sip-quality-warning', 'silent-microphone');
      delete (navigator.mediaDevices as unknown as Record<string, unknown>).getUserMedia;
      expect(navigator.mediaDevices.getUserMedia).to.equal(getUserMedia.value);
      const cleared = warningOf(outgoing, 'sip-quality-warning-cleared', 'silent-microphone');
      const microphone = (await navigator.mediaDevices.enumerateDevices()).find(
        (device) => device.kind === 'audioinput' && device.deviceId && device.deviceId !== 'default',
      )!;
      alice.microphone = microphone.deviceId;
      await waitFor(
        'the working microphone on the sender',
        () => sentTrack(outgoing, 'audio')?.getSettings().deviceId === microphone.deviceId,
      );
      await cleared;
    } finally {
      delete (navigator.mediaDevices as unknown as Record<string, unknown>).getUserMedia;
    }
  });
});
