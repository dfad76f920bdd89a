import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFixture } from '../../../test/fixtures/sdp/read-fixture';
import { readMediaLines } from '../sdp/media-lines';
import { countMediaLines, countRejectedMediaLines } from '../sdp/sdp-facts';
import { FakeMediaSession, fakeMediaSessionFactory } from './media-session.fake';
import { MediaSessionError } from './media-session';

const directions = (sdp: string) => readMediaLines(sdp).map((line) => line.direction);
const isState = (error: unknown) => error instanceof MediaSessionError && error.code === 'state';

async function connect(a: FakeMediaSession, b: FakeMediaSession): Promise<void> {
  await a.applyAnswer(await b.applyOffer(await a.createOffer()));
}

/** One re-INVITE from `offerer` to `answerer`; returns [offer, answer]. */
async function reinvite(offerer: FakeMediaSession, answerer: FakeMediaSession): Promise<[string, string]> {
  const offer = await offerer.createOffer();
  const answer = await answerer.applyOffer(offer);
  await offerer.applyAnswer(answer);
  return [offer, answer];
}

describe('FakeMediaSession', () => {
  it('negotiates an audio call with one sendrecv stream each way', async () => {
    const a = new FakeMediaSession({ name: 'alice' });
    const b = new FakeMediaSession({ name: 'bob' });
    const offer = await a.createOffer();
    const answer = await b.applyOffer(offer);
    await a.applyAnswer(answer);
    assert.deepEqual(directions(offer), ['sendrecv']);
    assert.deepEqual(directions(answer), ['sendrecv']);
    assert.equal(a.state.phase, 'stable');
    assert.equal(b.state.phase, 'stable');
  });

  it('holds with sendonly, is answered recvonly, and resumes (RFC 3264 §8.4)', async () => {
    const a = new FakeMediaSession({ name: 'alice' });
    const b = new FakeMediaSession({ name: 'bob' });
    const held: boolean[] = [];
    b.on('remote-hold', (value) => held.push(value));
    await connect(a, b);
    a.hold();
    const [holdOffer, holdAnswer] = await reinvite(a, b);
    assert.deepEqual(directions(holdOffer), ['sendonly']);
    assert.deepEqual(directions(holdAnswer), ['recvonly']);
    assert.equal(b.remoteHold, true);
    a.unhold();
    const [resume, resumed] = await reinvite(a, b);
    assert.deepEqual(directions(resume), ['sendrecv']);
    assert.deepEqual(directions(resumed), ['sendrecv']);
    assert.deepEqual(held, [true, false]);
  });

  it('keeps exactly one m=audio and no port 0 through three holds and resumes', async () => {
    const a = new FakeMediaSession({ name: 'alice' });
    const b = new FakeMediaSession({ name: 'bob' });
    await connect(a, b);
    for (let round = 0; round < 3; round++) {
      a.hold();
      for (const sdp of await reinvite(a, b)) {
        assert.equal(countMediaLines(sdp, 'audio'), 1);
        assert.equal(countRejectedMediaLines(sdp), 0);
      }
      a.unhold();
      for (const sdp of await reinvite(a, b)) {
        assert.equal(countMediaLines(sdp), 1);
        assert.equal(countRejectedMediaLines(sdp), 0);
      }
    }
  });

  it('keeps both holds in force when both sides hold (RFC 6337 §5.3)', async () => {
    const a = new FakeMediaSession({ name: 'alice' });
    const b = new FakeMediaSession({ name: 'bob' });
    await connect(a, b);
    a.hold();
    await reinvite(a, b);
    b.hold();
    const [bothOffer, bothAnswer] = await reinvite(b, a);
    assert.deepEqual(directions(bothOffer), ['inactive'], 'held and holding: inactive');
    assert.deepEqual(directions(bothAnswer), ['inactive']);
    a.unhold();
    const [resume, answer] = await reinvite(a, b);
    assert.deepEqual(directions(resume), ['recvonly'], 'resume while still held: recvonly');
    assert.deepEqual(directions(answer), ['sendonly']);
    assert.equal(b.remoteHold, false);
    assert.equal(a.remoteHold, true);
  });

  it('answers an RFC 2543 c=0.0.0.0 hold from a gateway with recvonly', async () => {
    const b = new FakeMediaSession({ name: 'bob' });
    const answer = await b.applyOffer(readFixture('legacy-hold-offer'));
    assert.equal(b.remoteHold, true);
    assert.deepEqual(directions(answer), ['recvonly']);
    assert.deepEqual(readMediaLines(answer)[0]?.codecs, ['pcmu', 'pcma', 'telephone-event']);
  });

  it('answers a real Chromium offer stream for stream, with its payload types and mids', async () => {
    const b = new FakeMediaSession({ name: 'bob', video: true });
    const offer = readFixture('chrome-offer-audio-video');
    const answer = await b.applyOffer(offer);
    const lines = readMediaLines(answer);
    assert.deepEqual(
      lines.map((line) => [line.kind, line.mid, line.direction]),
      [
        ['audio', '0', 'sendrecv'],
        ['video', '1', 'sendrecv'],
      ],
    );
    assert.ok(lines[0]?.codecs.includes('telephone-event'));
  });

  it('rejects a stream it cannot handle with port 0, keeping the stream count', async () => {
    const b = new FakeMediaSession({ name: 'bob' });
    const offer = readFixture('legacy-hold-offer') + 'm=application 5000 UDP/BFCP *\r\n';
    const answer = await b.applyOffer(offer);
    assert.equal(countMediaLines(answer), 2);
    assert.equal(readMediaLines(answer)[1]?.rejected, true);
  });

  it('sends RFC 4733 DTMF only when telephone-event was negotiated', async () => {
    const a = new FakeMediaSession({ name: 'alice' });
    const b = new FakeMediaSession({ name: 'bob' });
    assert.equal(a.canSendRfc4733(), false, 'nothing negotiated yet');
    await connect(a, b);
    const tones: string[] = [];
    a.on('dtmf-tone', (tone) => tones.push(tone));
    assert.equal(a.sendDtmf('1#'), true);
    assert.deepEqual(tones, ['1', '#', '']);
    assert.throws(() => a.sendDtmf('1x'), /not a DTMF digit/);

    const c = new FakeMediaSession({ name: 'carol' });
    const d = new FakeMediaSession({ name: 'dave', telephoneEvent: false });
    await connect(c, d);
    assert.equal(c.canSendRfc4733(), false);
    assert.equal(c.sendDtmf('1'), false, 'the user agent falls back to SIP INFO');
    assert.deepEqual(c.sentDtmf, []);
  });

  it('prefers RFC 4733 only when the answer has telephone-event at the audio clock rate', async () => {
    const a = new FakeMediaSession({ name: 'alice' });
    const b = new FakeMediaSession({ name: 'bob' });
    await connect(a, b);
    assert.equal(a.prefersRfc4733(), true, 'Opus with telephone-event/48000');
    assert.equal(b.prefersRfc4733(), true);

    // A plain phone's answer through rtpengine: Opus, and telephone-event only at 8000 Hz.
    const c = new FakeMediaSession({ name: 'carol' });
    await c.createOffer();
    await c.applyAnswer(readFixture('plain-phone-offer-via-rtpengine'));
    assert.equal(c.canSendRfc4733(), true, 'events could be sent');
    assert.equal(c.prefersRfc4733(), false, 'but not at the clock the audio runs on');
  });

  it('applies a provisional answer, then the final one, and refuses a second final answer', async () => {
    const a = new FakeMediaSession({ name: 'alice' });
    const b = new FakeMediaSession({ name: 'bob' });
    const c = new FakeMediaSession({ name: 'carol' });
    const offer = await a.createOffer();
    const early = await b.applyOffer(offer);
    await a.applyAnswer(early, { provisional: true });
    assert.equal(a.state.phase, 'have-remote-pranswer');
    await a.applyAnswer(await c.applyOffer(offer));
    assert.equal(a.state.phase, 'stable');
    await assert.rejects(a.applyAnswer(early), isState, 'a 2xx from a second fork: ACK and BYE it');
  });

  it('refuses an offer while its own is out (glare is the user agent to answer 491)', async () => {
    const a = new FakeMediaSession({ name: 'alice' });
    const b = new FakeMediaSession({ name: 'bob' });
    await connect(a, b);
    await a.createOffer();
    await assert.rejects(a.applyOffer(await b.createOffer()), isState);
    await assert.rejects(new FakeMediaSession().applyAnswer(readFixture('chrome-answer-audio-video')), isState);
  });

  it('rolls back a rejected hold offer to the agreed state', async () => {
    const a = new FakeMediaSession({ name: 'alice' });
    const b = new FakeMediaSession({ name: 'bob' });
    await connect(a, b);
    a.hold();
    await a.createOffer();
    await a.rollback();
    assert.equal(a.localHold, false);
    assert.equal(a.state.phase, 'stable');
    const [offer] = await reinvite(a, b);
    assert.deepEqual(directions(offer), ['sendrecv']);
  });

  it('adds video by re-offer and removes it as inactive, never with port 0', async () => {
    const a = new FakeMediaSession({ name: 'alice' });
    const b = new FakeMediaSession({ name: 'bob' });
    await connect(a, b);
    a.setVideo(true);
    const [add, added] = await reinvite(a, b);
    assert.deepEqual(directions(add), ['sendrecv', 'sendrecv']);
    assert.deepEqual(directions(added), ['sendrecv', 'recvonly'], 'bob sees alice; his camera stays off');
    a.setVideo(false);
    const [remove, removed] = await reinvite(a, b);
    assert.deepEqual(directions(remove), ['sendrecv', 'inactive']);
    assert.deepEqual(directions(removed), ['sendrecv', 'inactive']);
    assert.equal(countRejectedMediaLines(remove), 0);
    const [bobOffer] = await reinvite(b, a);
    assert.deepEqual(directions(bobOffer), ['sendrecv', 'inactive'], 'bob does not bring back the video alice removed');
  });

  it('makes sessions through the injected factory and reports closing once', () => {
    const factory = fakeMediaSessionFactory();
    const session = factory({ audio: true, video: false, iceServers: [] });
    const states: string[] = [];
    session.on('connection-state', (state) => states.push(state));
    session.close();
    session.close();
    assert.deepEqual(states, ['closed']);
    assert.equal(factory.sessions.length, 1);
    assert.equal(factory.sessions[0], session);
  });
});
