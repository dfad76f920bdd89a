import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFixture } from '../../../test/fixtures/sdp/read-fixture';
import { readMediaLines } from './media-lines';
import { setMediaDirection } from './set-media-direction.fixtures';
import {
  countMediaLines,
  countRejectedMediaLines,
  effectiveDirection,
  hasTelephoneEvent,
  isHoldOffer,
  peerRefusesToReceive,
  telephoneEventAtAudioClock,
  transportIdentity,
  videoState,
} from './sdp-facts';

const browsers = ['chrome', 'firefox'] as const;

describe('readMediaLines', () => {
  it('reads Chromium streams, codecs and candidates', () => {
    const [audio, video] = readMediaLines(readFixture('chrome-offer-audio-video'));
    assert.equal(audio?.kind, 'audio');
    assert.equal(audio?.mid, '0');
    assert.equal(audio?.direction, 'sendrecv');
    assert.deepEqual(audio?.codecs.slice(0, 1), ['opus']);
    assert.ok(audio!.candidates.host > 0);
    assert.equal(audio?.candidates.relay, 0);
    assert.equal(video?.kind, 'video');
    assert.ok(video?.codecs.includes('vp8'));
  });

  it('lets Firefox media-level directions override its session-level a=sendrecv', () => {
    const sdp = readFixture('firefox-hold-offer');
    assert.match(sdp, /^a=sendrecv\r$/m, 'the fixture has the session-level attribute');
    assert.deepEqual(
      readMediaLines(sdp).map((line) => line.direction),
      ['sendonly', 'sendonly'],
    );
  });

  it('applies the session-level c= to a stream without its own', () => {
    const [audio] = readMediaLines(readFixture('legacy-hold-offer'));
    assert.equal(audio?.connectionAddress, '0.0.0.0');
    assert.equal(audio?.direction, 'sendrecv', 'no direction attribute means sendrecv');
  });

  it('yields nothing for text that is not SDP', () => {
    assert.deepEqual(readMediaLines('SIP/2.0 200 OK\r\n'), []);
  });
});

describe('isHoldOffer (RFC 3264 §8.4, RFC 6337 §5.4)', () => {
  for (const browser of browsers) {
    it(`sees the ${browser} sendonly re-offer as a hold and the first offer as none`, () => {
      assert.equal(isHoldOffer(readFixture(`${browser}-hold-offer`)), true);
      assert.equal(isHoldOffer(readFixture(`${browser}-offer-audio-video`)), false);
    });

    it(`does not take the ${browser} bundled c=0.0.0.0 streams for an RFC 2543 hold`, () => {
      const answer = readFixture(`${browser}-answer-audio-video`);
      assert.equal(isHoldOffer(answer), false);
      assert.equal(peerRefusesToReceive(answer, 'video'), false);
    });
  }

  it('sees the legacy c=0.0.0.0 of a plain-RTP gateway as a hold', () => {
    assert.equal(isHoldOffer(readFixture('legacy-hold-offer')), true);
    assert.equal(effectiveDirection(readMediaLines(readFixture('legacy-hold-offer'))[0]!), 'sendonly');
    assert.equal(effectiveDirection(readMediaLines(readFixture('chrome-answer-audio-video'))[1]!), 'sendrecv');
  });

  it('sees inactive as a hold, and audio on with video inactive as no hold', () => {
    const offer = readFixture('chrome-offer-audio-video');
    const inactive = setMediaDirection(offer, 'inactive');
    assert.equal(isHoldOffer(inactive), true);
    const videoOff = setMediaDirection(offer, 'inactive', 'video');
    assert.equal(isHoldOffer(videoOff), false);
    assert.equal(peerRefusesToReceive(videoOff, 'video'), true);
    assert.equal(peerRefusesToReceive(videoOff, 'audio'), false);
  });
});

describe('telephoneEventAtAudioClock (RFC 4733 §2.1)', () => {
  it('holds for Chromium: Opus first, telephone-event/48000 beside it', () => {
    assert.equal(telephoneEventAtAudioClock(readFixture('chrome-answer-audio-video')), true);
  });

  it('fails for Opus with telephone-event only at 8000 Hz: Firefox, and a plain phone through rtpengine', () => {
    assert.equal(telephoneEventAtAudioClock(readFixture('firefox-answer-audio-video')), false);
    assert.equal(telephoneEventAtAudioClock(readFixture('plain-phone-offer-via-rtpengine')), false);
  });

  it('follows the m= line order, not the a=rtpmap order: PCMU first makes telephone-event/8000 fit', () => {
    const pcmuFirst = readFixture('plain-phone-offer-via-rtpengine').replace(
      'RTP/SAVPF 96 0 101',
      'RTP/SAVPF 0 96 101',
    );
    assert.equal(telephoneEventAtAudioClock(pcmuFirst), true);
    assert.deepEqual(
      readMediaLines(pcmuFirst)[0]?.formats.map((format) => `${format.codec}/${format.clockRate}`),
      ['pcmu/8000', 'opus/48000', 'telephone-event/8000'],
    );
  });

  it('fails without telephone-event', () => {
    assert.equal(telephoneEventAtAudioClock(readFixture('gateway-answer-video-rejected')), false);
  });
});

describe('hasTelephoneEvent (RFC 4733 §7.1.1)', () => {
  for (const browser of browsers) {
    it(`finds telephone-event in the ${browser} answer`, () => {
      assert.equal(hasTelephoneEvent(readFixture(`${browser}-answer-audio-video`)), true);
    });
  }

  it('reports its absence in a gateway answer without it', () => {
    assert.equal(hasTelephoneEvent(readFixture('gateway-answer-video-rejected')), false);
    assert.equal(hasTelephoneEvent(readFixture('legacy-hold-offer')), true);
  });
});

describe('stream counts and video state', () => {
  it('counts streams and rejected streams', () => {
    const answer = readFixture('gateway-answer-video-rejected');
    assert.equal(countMediaLines(answer), 2);
    assert.equal(countMediaLines(answer, 'audio'), 1);
    assert.equal(countRejectedMediaLines(answer), 1);
    assert.equal(countRejectedMediaLines(readFixture('chrome-hold-offer')), 0);
  });

  it('tells absent, rejected, inactive and active video apart', () => {
    assert.equal(videoState(readFixture('legacy-hold-offer')), 'absent');
    assert.equal(videoState(readFixture('gateway-answer-video-rejected')), 'rejected');
    assert.equal(videoState(readFixture('firefox-offer-audio-video')), 'active');
    const inactive = setMediaDirection(readFixture('chrome-offer-audio-video'), 'inactive', 'video');
    assert.equal(videoState(inactive), 'inactive');
  });
});

describe('transportIdentity', () => {
  it('differs between two answerers and is stable across one answerer re-offers', () => {
    const chrome = transportIdentity(readFixture('chrome-answer-audio-video'));
    assert.notEqual(chrome, transportIdentity(readFixture('firefox-answer-audio-video')));
    assert.equal(
      transportIdentity(readFixture('chrome-offer-audio-video')),
      transportIdentity(readFixture('chrome-hold-offer')),
    );
    assert.match(chrome, /^\S+ \S+ sha-256 [0-9a-f:]+$/);
  });
});
