// Interop with a client nobody here wrote: JsSIP (npm `jssip`), in the same browser, through the
// same Kamailio. Calls both ways with media both ways; hold and resume from either side (RFC 3264
// §8.4, RFC 6337), with media stopping where the directions say it must; DTMF both ways by INFO
// (application/dtmf-relay) and by RFC 4733; MESSAGE both ways with a non-ASCII body (RFC 3428);
// blind transfer both ways (RFC 3515 REFER, NOTIFY with message/sipfrag); video added to an audio
// call by re-INVITE from either side.
import { expect } from '@open-wc/testing';
import type { Call } from '../../src/stack/ua/calls/call';
import type { CallEndInfo, ReferRequest } from '../../src/stack/ua/calls/call-types';
import type { IncomingCall } from '../../src/stack/ua/calls/incoming-call';
import type { OutgoingCall } from '../../src/stack/ua/calls/outgoing-call';
import type { IncomingMessage } from '../../src/stack/ua/user-agent';
import { readMediaLines } from '../../src/stack/sdp/media-lines';
import { hasTelephoneEvent } from '../../src/stack/sdp/sdp-facts';
import {
  closeAll,
  expectNoAudio,
  isFirefox,
  waitFor,
  waitForGrowth,
  waitForPeerAudio,
  type StatsSource,
} from './media-test-helpers';
import {
  MEDIA,
  jssipPhone,
  nextEvent,
  type JsSipDtmfEvent,
  type JsSipPhone,
  type JsSipReferEvent,
  type JsSipSession,
} from './interop-jssip-peer';
import {
  kamailio,
  mediaOf,
  registeredPhone,
  stateOf,
  within,
  type KamailioInfo,
  type TestPhone,
} from './phone-fixtures';
import { describeNeedingWebRTC } from './webrtc-capability';

/** Resolves when `count` values have been pushed to `list` (events collected in order). */
function collected<T>(list: T[], count: number, what: string): Promise<void> {
  return waitFor(`${what} (have ${JSON.stringify(list)})`, () => list.length >= count);
}

/** A peer's RTCPeerConnection read through the same stats helpers as our media session. */
const peer = (session: JsSipSession): StatsSource => session.connection;

const audioTransceiver = (pc: RTCPeerConnection | undefined) =>
  pc?.getTransceivers().find((t) => t.receiver.track.kind === 'audio');

describe('interop with JsSIP through Kamailio', function () {
  this.timeout(60000);
  let server: KamailioInfo;
  let ours: TestPhone;
  let bob: TestPhone;
  let carol: TestPhone;
  let dave: JsSipPhone;

  before(async () => {
    server = await kamailio();
    [ours, bob, carol] = await Promise.all([
      registeredPhone(server, 'alice'),
      registeredPhone(server, 'bob'),
      registeredPhone(server, 'carol'),
    ]);
    dave = await jssipPhone(server, 'dave');
  });

  // Each test starts with no call anywhere: what a failed test left is hung up here.
  afterEach(async () => {
    for (const session of dave.sessions) if (!session.isEnded()) session.terminate();
    await Promise.all(
      [ours, bob, carol].flatMap((phone) => phone.ua.calls.map((call) => call.hangup().catch(() => undefined))),
    );
  });

  after(async () => {
    dave?.ua.stop();
    await Promise.all([ours, bob, carol].map((phone) => phone?.ua.stop()));
    closeAll();
  });

  /** Our phone calls JsSIP, which answers; media flows both ways. */
  async function weCallJssip(): Promise<{ call: OutgoingCall; session: JsSipSession }> {
    const next = dave.nextSession();
    const call = ours.ua.call('dave');
    const session = await next;
    await stateOf(call, 'connected', 15000);
    await waitFor('JsSIP to confirm the call', () => session.isEstablished());
    await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio from JsSIP at our phone');
    await waitForPeerAudio(session.connection, 'audio from our phone at JsSIP');
    return { call, session };
  }

  /** JsSIP calls our phone, which answers; media flows both ways. */
  async function jssipCallsUs(): Promise<{ call: IncomingCall; session: JsSipSession }> {
    const session = dave.ua.call(`sip:alice@${server.domain}`, MEDIA);
    const call = await ours.nextIncoming();
    await call.answer();
    await waitFor('JsSIP to confirm the call', () => session.isEstablished());
    await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio from JsSIP at our phone');
    await waitForPeerAudio(session.connection, 'audio from our phone at JsSIP');
    return { call, session };
  }

  function ended(call: Call, ms = 15000): Promise<CallEndInfo> {
    return within(ms, `call ${call.id} to end`, new Promise((resolve) => call.events.on('ended', resolve)));
  }

  describeNeedingWebRTC('calls', () => {
    it('our phone calls JsSIP: answered, media both ways, we hang up', async () => {
      const { call, session } = await weCallJssip();
      expect(call.remote.uri).to.contain('dave');
      await call.hangup();
      await waitFor('JsSIP to see the BYE', () => session.isEnded());
    });

    it('JsSIP calls our phone: we answer, media both ways, JsSIP hangs up', async () => {
      const { call, session } = await jssipCallsUs();
      expect(call.remote.uri).to.contain('dave');
      const end = ended(call);
      session.terminate();
      expect((await end).cause).to.equal('remote-hangup');
    });
  });

  describeNeedingWebRTC('hold and resume', () => {
    it('JsSIP holds our phone (sendonly): we report remote hold and stop sending; JsSIP resumes and media flows again', async () => {
      const { call, session } = await jssipCallsUs();
      const holds: boolean[] = [];
      call.events.on('remote-hold', (held) => holds.push(held));

      expect(session.hold({}, undefined)).to.equal(true);
      await collected(holds, 1, 'our call to report the remote hold');
      await stateOf(call, 'held');
      expect(call.remoteHold).to.equal(true);
      expect(call.localHold).to.equal(false);
      expect(session.isOnHold()).to.deep.equal({ local: true, remote: false });
      // JsSIP offered sendonly; our answer is recvonly (RFC 3264 §6.1), so nothing of ours reaches it.
      expect(audioTransceiver(mediaOf(call).peerConnection)?.currentDirection).to.equal('recvonly');
      await expectNoAudio(peer(session), 'JsSIP while it holds us');

      expect(session.unhold({}, undefined)).to.equal(true);
      await collected(holds, 2, 'our call to report the resume');
      await stateOf(call, 'connected');
      expect(holds).to.deep.equal([true, false]);
      expect(audioTransceiver(mediaOf(call).peerConnection)?.currentDirection).to.equal('sendrecv');
      await waitForPeerAudio(session.connection, 'audio from our phone at JsSIP after the resume');
      await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio from JsSIP at our phone after the resume');
    });

    it('our phone holds JsSIP: JsSIP sees a remote hold, media stops both ways; we resume and it flows again', async () => {
      const { call, session } = await weCallJssip();
      const jssipHolds: string[] = [];
      session.on<{ originator: string }>('hold', ({ originator }) => jssipHolds.push(`hold:${originator}`));
      session.on<{ originator: string }>('unhold', ({ originator }) => jssipHolds.push(`unhold:${originator}`));

      await call.hold();
      expect(call.state).to.equal('held');
      expect(call.localHold).to.equal(true);
      await collected(jssipHolds, 1, "JsSIP's hold event");
      expect(session.isOnHold()).to.deep.equal({ local: false, remote: true });
      // Our offer was sendonly, JsSIP's browser answered recvonly.
      expect(audioTransceiver(session.connection)?.currentDirection).to.equal('recvonly');
      expect(audioTransceiver(mediaOf(call).peerConnection)?.currentDirection).to.equal('sendonly');
      await expectNoAudio(peer(session), 'JsSIP while we hold it');
      await expectNoAudio(mediaOf(call), 'our phone while we hold JsSIP');

      await call.unhold();
      expect(call.state).to.equal('connected');
      await collected(jssipHolds, 2, "JsSIP's unhold event");
      expect(jssipHolds).to.deep.equal(['hold:remote', 'unhold:remote']);
      expect(audioTransceiver(session.connection)?.currentDirection).to.equal('sendrecv');
      await waitForPeerAudio(session.connection, 'audio from our phone at JsSIP after the resume');
      await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio from JsSIP at our phone after the resume');
    });

    it('holds from both sides combine (RFC 6337 §5.3): inactive, then recvonly from us while JsSIP still holds', async () => {
      const { call, session } = await weCallJssip();
      const pc = mediaOf(call).peerConnection!;
      const sent = () => readMediaLines(pc.localDescription!.sdp).map((line) => line.direction);
      const received = () => readMediaLines(pc.remoteDescription!.sdp).map((line) => line.direction);
      const jssipHolds: string[] = [];
      session.on<{ originator: string }>('hold', ({ originator }) => jssipHolds.push(`hold:${originator}`));
      session.on<{ originator: string }>('unhold', ({ originator }) => jssipHolds.push(`unhold:${originator}`));
      const ourHolds: boolean[] = [];
      call.events.on('remote-hold', (held) => ourHolds.push(held));

      await call.hold();
      await collected(jssipHolds, 1, "JsSIP's remote hold");
      expect(session.hold({}, undefined)).to.equal(true);
      await collected(ourHolds, 1, 'our call to see JsSIP hold too');
      expect(received(), "JsSIP's offer while both hold").to.deep.equal(['inactive']);
      expect(sent(), 'our answer').to.deep.equal(['inactive']);
      await expectNoAudio(peer(session), 'JsSIP while both hold');
      await expectNoAudio(mediaOf(call), 'our phone while both hold');

      await call.unhold();
      expect(sent(), 'our offer: we resume but JsSIP still holds us').to.deep.equal(['recvonly']);
      expect(received(), "JsSIP's answer").to.deep.equal(['sendonly']);
      expect(call.state).to.equal('held');
      await expectNoAudio(peer(session), 'JsSIP while it still holds us');

      expect(session.unhold({}, undefined)).to.equal(true);
      await collected(ourHolds, 2, 'our call to see JsSIP resume');
      await stateOf(call, 'connected');
      expect(received(), "JsSIP's resume offer").to.deep.equal(['sendrecv']);
      expect(sent(), 'our answer').to.deep.equal(['sendrecv']);
      expect(ourHolds).to.deep.equal([true, false]);
      expect(jssipHolds).to.deep.equal(['hold:remote', 'hold:local', 'unhold:remote', 'unhold:local']);
      await waitForPeerAudio(session.connection, 'audio from our phone at JsSIP after both resumed');
      await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio from JsSIP at our phone after both resumed');
    });
  });

  describeNeedingWebRTC('adding video by re-INVITE', () => {
    const videoTransceiver = (pc: RTCPeerConnection | undefined) =>
      pc?.getTransceivers().find((t) => t.receiver.track.kind === 'video');

    it('our phone adds video to an audio call: JsSIP answers and receives our video', async () => {
      const { call, session } = await weCallJssip();
      await call.setVideo(true);
      expect(mediaOf(call).video).to.equal(true);
      // JsSIP sends no video of its own: its browser answers the new m=video recvonly.
      expect(videoTransceiver(session.connection)?.currentDirection).to.equal('recvonly');
      await waitForGrowth(peer(session), 'video', 'bytesReceived', 'our video at JsSIP');
      await waitForPeerAudio(session.connection, 'audio from our phone at JsSIP, still flowing');
    });

    it('JsSIP adds video to an audio call (addTrack, renegotiate): our call gets the remote video', async () => {
      const { call, session } = await jssipCallsUs();
      const camera = await navigator.mediaDevices.getUserMedia({ video: true });
      try {
        const tracks: string[] = [];
        call.events.on('remote-track', (kind) => tracks.push(kind));
        session.connection.addTrack(camera.getVideoTracks()[0]!, camera);
        const renegotiated = within(
          10000,
          "JsSIP's re-INVITE to complete",
          new Promise<void>((resolve) => session.renegotiate({}, resolve)),
        );
        await renegotiated;
        await collected(tracks, 1, 'our call to announce the remote video');
        expect(tracks).to.deep.equal(['video']);
        // We were not asked to send video: our answer is recvonly (RFC 3264 §6.1).
        expect(videoTransceiver(mediaOf(call).peerConnection)?.currentDirection).to.equal('recvonly');
        await waitForGrowth(mediaOf(call), 'video', 'bytesReceived', 'video from JsSIP at our phone');
        await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio from JsSIP, still flowing');
      } finally {
        for (const track of camera.getTracks()) track.stop();
      }
    });
  });

  describeNeedingWebRTC('DTMF', () => {
    it('JsSIP sends DTMF by SIP INFO (its default): our call gets each digit, in order', async () => {
      const { call, session } = await weCallJssip();
      const digits: string[] = [];
      call.events.on('dtmf', ({ digit, via }) => digits.push(`${digit}/${via}`));
      session.sendDTMF('1*9#', { interToneGap: 50 });
      await collected(digits, 4, 'the four INFO digits at our phone');
      expect(digits).to.deep.equal(['1/info', '*/info', '9/info', '#/info']);
    });

    it('JsSIP sends DTMF by RFC 4733 when told to: its RTP sender plays the digits, no INFO comes', async () => {
      const { call, session } = await jssipCallsUs();
      // telephone-event in both descriptions is what lets either side play RFC 4733 (§7.1.1).
      expect(hasTelephoneEvent(session.connection.localDescription!.sdp)).to.equal(
        true,
        'JsSIP offered telephone-event',
      );
      expect(hasTelephoneEvent(mediaOf(call).peerConnection!.localDescription!.sdp)).to.equal(
        true,
        'our answer kept it',
      );
      const infos: string[] = [];
      call.events.on('dtmf', ({ digit }) => infos.push(digit));
      const sender = session.connection.getSenders().find((s) => s.track?.kind === 'audio');
      const tones: string[] = [];
      sender!.dtmf!.addEventListener('tonechange', (event) => tones.push(event.tone));
      session.sendDTMF('47', { transportType: 'RFC2833', duration: 80, interToneGap: 50 });
      await collected(tones, 3, "JsSIP's tones to play out");
      expect(tones).to.deep.equal(['4', '7', '']);
      expect(infos).to.deep.equal([], 'the digits went in the media, not as INFO');
    });

    it('our phone sends DTMF by SIP INFO when asked: JsSIP gets each digit, in order', async () => {
      const { call, session } = await weCallJssip();
      const digits: string[] = [];
      session.on<JsSipDtmfEvent>(
        'newDTMF',
        ({ originator, dtmf }) => originator === 'remote' && digits.push(dtmf.tone),
      );
      await call.sendDtmf('2#5A', { mode: 'info' });
      await collected(digits, 4, 'the four INFO digits at JsSIP');
      expect(digits).to.deep.equal(['2', '#', '5', 'A']);
    });

    it('our phone sends DTMF by RFC 4733 by default with JsSIP at the audio clock rate (Chromium), by INFO otherwise (Firefox)', async () => {
      const { call, session } = await jssipCallsUs();
      const infos: string[] = [];
      session.on<JsSipDtmfEvent>('newDTMF', ({ originator, dtmf }) => originator === 'remote' && infos.push(dtmf.tone));
      await waitFor('our DTMF sender to be ready', () => mediaOf(call).canSendRfc4733());
      // Chromium offers telephone-event/48000 beside Opus; Firefox only telephone-event/8000, on
      // which RFC 4733 §2.1's clock rule does not hold, so `auto` sends INFO there.
      expect(mediaOf(call).prefersRfc4733()).to.equal(!isFirefox);
      const tones: string[] = [];
      mediaOf(call).on('dtmf-tone', (tone) => tones.push(tone));
      await call.sendDtmf('3*', { duration: 80, gap: 50 });
      if (isFirefox) {
        await collected(infos, 2, 'the INFO digits at JsSIP');
        expect(infos).to.deep.equal(['3', '*']);
        expect(tones).to.deep.equal([], 'nothing went in the media');
        return;
      }
      await collected(tones, 3, 'our tones to play out');
      expect(tones).to.deep.equal(['3', '*', '']);
      expect(infos).to.deep.equal([], 'the digits went in the media, not as INFO');
    });
  });

  describe('MESSAGE', () => {
    // Non-ASCII in two- three- and four-byte UTF-8: Content-Length counts bytes on both sides.
    const TEXT = 'Grüße — 你好 👋';

    it('our phone sends a MESSAGE with a non-ASCII body: JsSIP gets it intact and answers 200', async () => {
      const received = nextEvent<{ originator: string; request: { body: string; getHeader(name: string): string } }>(
        dave.ua,
        'newMessage',
        'JsSIP to receive the MESSAGE',
      );
      const response = await ours.ua.sendMessage('dave', TEXT);
      expect(response.status).to.equal(200);
      const { originator, request } = await received;
      expect(originator).to.equal('remote');
      expect(request.body).to.equal(TEXT);
      expect(request.getHeader('Content-Type')).to.match(/^text\/plain/);
    });

    it('JsSIP sends a MESSAGE with a non-ASCII body: our phone gets it intact and the 200 reaches JsSIP', async () => {
      let off = (): void => undefined;
      const received = within(
        10000,
        'our phone to receive the MESSAGE',
        new Promise<IncomingMessage>((resolve) => (off = ours.ua.events.on('message', resolve))),
      );
      const answered = within(
        10000,
        'JsSIP to see the final response',
        new Promise<number>((resolve, reject) =>
          dave.ua.sendMessage(`sip:alice@${server.domain}`, TEXT, {
            eventHandlers: {
              succeeded: (e: { response: { status_code: number } }) => resolve(e.response.status_code),
              failed: (e: { cause: string }) => reject(new Error(`JsSIP MESSAGE failed: ${e.cause}`)),
            },
          }),
        ),
      );
      const message = await received.finally(off);
      expect(message.body).to.equal(TEXT);
      expect(message.contentType).to.equal('text/plain');
      expect(message.from.uri.toString()).to.contain('dave');
      expect(await answered).to.equal(200);
    });
  });

  describeNeedingWebRTC('blind transfer (REFER)', () => {
    it('JsSIP refers our phone to bob: we call bob, and the 200 reaches JsSIP by NOTIFY', async () => {
      const { call, session } = await jssipCallsUs();
      const refers: ReferRequest[] = [];
      call.events.on('refer', (request) => {
        refers.push(request);
        request.accept();
      });
      const referred = within(
        10000,
        'our phone to call the REFER target',
        new Promise<OutgoingCall>((resolve) => call.events.on('referred-call', resolve)),
      );
      const progress: string[] = [];
      const target = `sip:bob@${server.domain}`;
      const subscriber = session.refer(target, {
        eventHandlers: {
          requestSucceeded: () => progress.push('202'),
          trying: () => progress.push('trying'),
          progress: () => progress.push('progress'),
          accepted: () => progress.push('accepted'),
          failed: () => progress.push('failed'),
        },
      });
      expect(subscriber).to.not.equal(false);

      const atBob = await bob.nextIncoming();
      expect(refers.map((r) => r.target)).to.deep.equal([target]);
      expect(refers[0]!.referredBy).to.contain('dave');
      expect(atBob.remote.uri).to.contain('alice');
      await atBob.answer();
      const toBob = await referred;
      await stateOf(toBob, 'connected');
      await waitFor(`JsSIP to hear that the transfer succeeded (${progress.join(', ')})`, () =>
        progress.includes('accepted'),
      );
      expect(progress[0]).to.equal('202');
      expect(progress).to.include('trying');
      expect(progress).to.not.include('failed');
      await waitForGrowth(mediaOf(toBob), 'audio', 'bytesReceived', 'audio from bob after the transfer');

      // A blind transfer ends with the transferor leaving (as in RFC 5589 call flows).
      const end = ended(call);
      session.terminate();
      expect((await end).cause).to.equal('remote-hangup');
      expect(toBob.state).to.equal('connected');
    });

    it('JsSIP refers our phone to bob, who declines: the failure reaches JsSIP by NOTIFY and the call goes on', async () => {
      const { call, session } = await jssipCallsUs();
      call.events.on('refer', (request) => request.accept());
      const failed = new Promise<number>((resolve) =>
        session.refer(`sip:bob@${server.domain}`, {
          eventHandlers: {
            failed: (e) => resolve(Number((e as { status_line: { status_code: number } }).status_line.status_code)),
          },
        }),
      );
      const atBob = await bob.nextIncoming();
      await atBob.decline();
      expect(await within(10000, 'JsSIP to hear that the transfer failed', failed)).to.equal(603);
      expect(call.state).to.equal('connected');
      await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio from JsSIP after the failed transfer');
    });

    it('our phone refers JsSIP to carol, who declines: we hear the failure and keep the call', async () => {
      const { call, session } = await weCallJssip();
      session.on<JsSipReferEvent>('refer', (e) => e.accept(undefined, MEDIA));
      const progress: number[] = [];
      call.events.on('transfer-progress', ({ status }) => progress.push(status));
      await call.transfer('carol');
      const atCarol = await carol.nextIncoming();
      await atCarol.decline();
      await waitFor(`the final NOTIFY at our phone (have ${progress.join(', ')})`, () => (progress.at(-1) ?? 0) >= 200);
      expect(progress.at(-1)).to.equal(603);
      expect(call.state).to.equal('connected');
      await waitForPeerAudio(session.connection, 'audio from our phone at JsSIP after the failed transfer');
    });

    it('our phone refers JsSIP to carol: JsSIP calls carol, its NOTIFYs reach us, and our call ends as transferred', async () => {
      const { call, session } = await weCallJssip();
      const referTo: string[] = [];
      session.on<JsSipReferEvent>('refer', (e) => {
        referTo.push(e.request.getHeader('Refer-To'));
        e.accept(undefined, MEDIA);
      });
      const progress: number[] = [];
      call.events.on('transfer-progress', ({ status }) => progress.push(status));
      const end = ended(call);

      const jssipToCarol = dave.nextSession();
      await call.transfer('carol');
      const atCarol = await carol.nextIncoming();
      expect(referTo).to.have.length(1);
      expect(referTo[0]).to.contain(`carol@${server.domain}`);
      expect(atCarol.remote.uri).to.contain('dave');
      await atCarol.answer();

      expect(await end).to.deep.include({ cause: 'transferred' });
      expect(progress[0]).to.equal(100);
      expect(progress.at(-1)).to.equal(200);
      const newSession = await jssipToCarol;
      await waitFor('JsSIP to confirm the call to carol', () => newSession.isEstablished());
      await waitFor('JsSIP to see our BYE on the transferred call', () => session.isEnded());
      await waitForGrowth(mediaOf(atCarol), 'audio', 'bytesReceived', 'audio from JsSIP at carol');
      await waitForPeerAudio(newSession.connection, 'audio from carol at JsSIP');
    });
  });
});
