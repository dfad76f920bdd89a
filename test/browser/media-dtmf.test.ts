// RFC 4733 DTMF through RTCDTMFSender in Chromium and Firefox: available only once telephone-event
// is in both descriptions and audio is being sent; tones play in order; a peer without
// telephone-event (a gateway answer stripped of it) makes the session refuse, so the user agent
// falls back to SIP INFO.
import { expect } from '@open-wc/testing';
import { hasTelephoneEvent } from '../../src/stack/sdp/sdp-facts';
import {
  closeAll,
  connect,
  isFirefox,
  makeSession,
  reinvite,
  waitFor,
  withoutTelephoneEvent,
} from './media-test-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

/** The answer with PCMU moved to the front of the m=audio format list: the codec both ends send. */
function pcmuFirst(sdp: string): string {
  return sdp.replace(/^(m=audio \d+ [^ ]+)((?: \d+)*)$/m, (_, head: string, formats: string) => {
    const list = formats.trim().split(' ');
    return `${head} 0 ${list.filter((format) => format !== '0').join(' ')}`;
  });
}

describeNeedingWebRTC('WebRtcMediaSession: DTMF (RFC 4733)', () => {
  afterEach(closeAll);

  it('plays digits through RTCDTMFSender when telephone-event was negotiated', async () => {
    const alice = makeSession();
    const bob = makeSession();
    expect(alice.canSendRfc4733()).to.equal(false);
    expect(alice.sendDtmf('1')).to.equal(false, 'nothing negotiated yet');
    const [, answer] = await connect(alice, bob);
    expect(hasTelephoneEvent(answer)).to.equal(true);
    await waitFor('the DTMF sender to be ready', () => alice.canSendRfc4733());
    const tones: string[] = [];
    alice.on('dtmf-tone', (tone) => tones.push(tone));
    expect(alice.sendDtmf('1#', { duration: 80, gap: 50 })).to.equal(true);
    expect(alice.sendDtmf('9')).to.equal(true, 'queued behind the first digits, not replacing them');
    await waitFor('the tones to play out', () => tones.includes(''), 5000);
    expect(tones).to.deep.equal(['1', '#', '9', '']);
    expect(() => alice.sendDtmf('1x')).to.throw(/not a DTMF digit/);
  });

  it('refuses RFC 4733 while holding the peer and again after resume it works', async () => {
    const alice = makeSession();
    const bob = makeSession();
    await connect(alice, bob);
    await waitFor('the DTMF sender to be ready', () => alice.canSendRfc4733());
    alice.hold();
    await reinvite(alice, bob);
    expect(alice.canSendRfc4733()).to.equal(false);
    expect(alice.sendDtmf('5')).to.equal(false);
    alice.unhold();
    await reinvite(alice, bob);
    await waitFor('the DTMF sender to be ready after resume', () => alice.canSendRfc4733());
  });

  it('prefers RFC 4733 (for `auto`) only with telephone-event at the clock rate of the codec in use', async () => {
    const alice = makeSession();
    const bob = makeSession();
    await connect(alice, bob);
    await waitFor('the DTMF sender to be ready', () => alice.canSendRfc4733());
    // Chromium pairs Opus with telephone-event/48000; Firefox offers telephone-event only at 8000 Hz.
    expect(alice.prefersRfc4733()).to.equal(!isFirefox);
    expect(bob.prefersRfc4733()).to.equal(!isFirefox);

    // With PCMU (8000 Hz) first in the answer, telephone-event/8000 runs at the audio's clock.
    const carol = makeSession();
    const dave = makeSession();
    const answer = pcmuFirst(await dave.applyOffer(await carol.createOffer()));
    await carol.applyAnswer(answer);
    await waitFor('the DTMF sender to be ready on PCMU', () => carol.canSendRfc4733());
    expect(carol.prefersRfc4733()).to.equal(true);
  });

  it('refuses RFC 4733 when the answer has no telephone-event (the user agent sends SIP INFO)', async () => {
    const alice = makeSession();
    const bob = makeSession();
    const offer = await alice.createOffer();
    const answer = withoutTelephoneEvent(await bob.applyOffer(offer));
    expect(hasTelephoneEvent(answer)).to.equal(false);
    await alice.applyAnswer(answer);
    expect(alice.canSendRfc4733()).to.equal(false);
    expect(alice.sendDtmf('1')).to.equal(false);
  });
});
