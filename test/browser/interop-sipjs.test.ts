// Interop with SIP.js (npm `sip.js`), the other established client nobody here wrote: in the same
// browser, through the same Kamailio, our phone and a SIP.js phone call each other with media
// proven both ways, hold and resume each other (RFC 6337) with the media stopping and coming back,
// exchange DTMF (INFO dtmf-relay and RFC 4733), send MESSAGEs with non-ASCII text both ways, and
// transfer each other blind (RFC 3515) to a third phone (ours), with the NOTIFY progress arriving.
import { expect } from '@open-wc/testing';
import type { Call } from '../../src/stack/ua/calls/call';
import type { CallEndInfo } from '../../src/stack/ua/calls/call-types';
import type { IncomingMessage } from '../../src/stack/ua/user-agent';
import {
  closeAll,
  expectNoAudio,
  isFirefox,
  play,
  waitFor,
  waitForGrowth,
  waitForPeerAudio,
} from './media-test-helpers';
import { kamailio, mediaOf, registeredPhone, stateOf, within, type TestPhone } from './phone-fixtures';
import {
  sipJsMedia,
  sipjsPhone,
  type RequestDelegate,
  type SipJsPhone,
  type SipJsResponse,
  type SipJsSession,
} from './sipjs-helpers';
import { itNeedingWebRTC } from './webrtc-capability';

/** A SIP.js in-dialog request that resolves with the final status of its response. */
function answered(send: (requestDelegate: RequestDelegate) => Promise<unknown>, what: string): Promise<number> {
  return within(
    10000,
    what,
    new Promise<number>((resolve, reject) => {
      const done = (response: SipJsResponse) => resolve(response.message.statusCode);
      send({ onAccept: done, onReject: done }).catch(reject);
    }),
  );
}

/** Video frames SIP.js decoded. */
async function peerFramesDecoded(session: SipJsSession): Promise<number> {
  let total = 0;
  (await session.sessionDescriptionHandler!.peerConnection.getStats()).forEach((report) => {
    if (report.type === 'inbound-rtp' && report.kind === 'video') total += report.framesDecoded ?? 0;
  });
  return total;
}

const peerElements: HTMLVideoElement[] = [];

/** Plays SIP.js's remote stream (Chromium decodes video only for a playing sink). */
async function playPeer(session: SipJsSession): Promise<void> {
  const element = document.createElement('video');
  element.muted = true;
  element.srcObject = session.sessionDescriptionHandler!.remoteMediaStream;
  document.body.append(element);
  peerElements.push(element);
  await element.play();
}

function ended(call: Call): Promise<CallEndInfo> {
  return within(15000, `call ${call.id} to end`, new Promise((resolve) => call.events.on('ended', resolve)));
}

/** Media stopped in both directions between our call and SIP.js's peer connection. */
async function silentBothWays(call: Parameters<typeof mediaOf>[0], pc: RTCPeerConnection): Promise<void> {
  await expectNoAudio(mediaOf(call), 'audio from SIP.js at our phone');
  await expectNoAudio(pc, 'audio from our phone at SIP.js');
}

/** Audio arriving both ways between our call and SIP.js's peer connection (`when` names the moment). */
async function audioBothWays(call: Parameters<typeof mediaOf>[0], pc: RTCPeerConnection, when = ''): Promise<void> {
  await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', `audio from SIP.js at our phone${when}`);
  await waitForPeerAudio(pc, `audio from our phone at SIP.js${when}`);
}

function direction(
  session: SipJsSession,
  kind: 'audio' | 'video' = 'audio',
): RTCRtpTransceiverDirection | null | undefined {
  const transceiver = session
    .sessionDescriptionHandler!.peerConnection.getTransceivers()
    .find((t) => t.receiver.track.kind === kind);
  return transceiver?.currentDirection;
}

describe('interop with SIP.js through Kamailio', function () {
  this.timeout(60000);
  let ours: TestPhone;
  let bob: TestPhone;
  let carol: SipJsPhone;
  let domain: string;

  before(async () => {
    const server = await kamailio();
    domain = server.domain;
    ours = await registeredPhone(server, 'alice');
    bob = await registeredPhone(server, 'bob');
    carol = await sipjsPhone(server, 'carol');
  });

  afterEach(async () => {
    carol.onRefer = undefined;
    carol.infos.length = 0;
    // Our side hangs up what is left; SIP.js's sessions end with our BYEs (a BYE from each side at
    // once would cross and draw 481s). Only a session with no call of ours left gets SIP.js's BYE.
    await Promise.allSettled([...ours.ua.calls, ...bob.ua.calls].map((call) => call.hangup()));
    const sessions = carol.sessions.splice(0);
    await waitFor(
      "SIP.js's sessions to end",
      () => sessions.every((session) => session.state !== 'Established'),
      3000,
    ).catch(() =>
      Promise.allSettled(sessions.filter((session) => session.state === 'Established').map((session) => session.bye())),
    );
    for (const element of peerElements.splice(0)) {
      element.srcObject = null;
      element.remove();
    }
    closeAll();
  });

  after(async () => {
    await carol?.stop();
    await ours?.ua.stop();
    await bob?.ua.stop();
    closeAll();
  });

  /** Our phone calls SIP.js; both ends established. */
  async function weCallSipJs(): Promise<{ call: Call; session: SipJsSession }> {
    const call = ours.ua.call('carol');
    await stateOf(call, 'connected', 15000);
    const session = carol.sessions.at(-1)!;
    await waitFor('SIP.js to establish the session', () => session.state === 'Established');
    return { call, session };
  }

  /** SIP.js calls our phone, we answer; both ends established. */
  async function sipJsCallsUs(): Promise<{ call: Call; session: SipJsSession }> {
    const incoming = ours.nextIncoming();
    const session = await carol.call(`sip:alice@${domain}`);
    const call = await incoming;
    await call.answer();
    await waitFor('SIP.js to establish the session', () => session.state === 'Established');
    return { call, session };
  }

  itNeedingWebRTC('our phone calls SIP.js: answered, media both ways, we hang up', async () => {
    const { call, session } = await weCallSipJs();
    await audioBothWays(call, session.sessionDescriptionHandler!.peerConnection);
    await call.hangup();
    await waitFor('SIP.js to see the BYE', () => session.state === 'Terminated');
  });

  itNeedingWebRTC('SIP.js calls our phone: we answer, media both ways, SIP.js hangs up', async () => {
    const { call, session } = await sipJsCallsUs();
    expect(call.remote.uri).to.contain('carol');
    const end = ended(call);
    await audioBothWays(call, session.sessionDescriptionHandler!.peerConnection);
    await session.bye();
    expect((await end).cause).to.equal('remote-hangup');
  });

  itNeedingWebRTC(
    'SIP.js holds our phone (re-INVITE sendonly) and resumes: we report remote hold and stop sending, then send again',
    async () => {
      const { call, session } = await weCallSipJs();
      const pc = session.sessionDescriptionHandler!.peerConnection;
      await waitForPeerAudio(pc, 'audio from our phone at SIP.js');
      const holds: boolean[] = [];
      call.events.on('remote-hold', (held) => holds.push(held));

      // SIP.js 0.21 holds through its SessionDescriptionHandler's `hold` option on a re-INVITE.
      const held = await answered(
        (requestDelegate) => session.invite({ sessionDescriptionHandlerOptions: { hold: true }, requestDelegate }),
        'the hold re-INVITE',
      );
      expect(held).to.equal(200);
      await stateOf(call, 'held');
      expect(call.remoteHold).to.equal(true);
      expect(call.localHold).to.equal(false);
      expect(direction(session)).to.equal('sendonly');
      // We answered recvonly: nothing from us reaches SIP.js, while SIP.js still sends to us.
      await expectNoAudio(pc, 'audio from our phone at SIP.js');
      await waitForGrowth(
        mediaOf(call),
        'audio',
        'bytesReceived',
        'audio from SIP.js (sendonly) at our phone while held',
      );

      const resumed = await answered(
        (requestDelegate) => session.invite({ sessionDescriptionHandlerOptions: { hold: false }, requestDelegate }),
        'the resume re-INVITE',
      );
      expect(resumed).to.equal(200);
      await stateOf(call, 'connected');
      expect(call.remoteHold).to.equal(false);
      expect(direction(session)).to.equal('sendrecv');
      await waitForPeerAudio(pc, 'audio from our phone at SIP.js after resume');
      expect(holds).to.deep.equal([true, false]);
    },
  );

  itNeedingWebRTC(
    'our phone holds SIP.js and resumes: SIP.js answers recvonly, media stops both ways, then sendrecv again',
    async () => {
      const { call, session } = await sipJsCallsUs();
      const pc = session.sessionDescriptionHandler!.peerConnection;
      await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio from SIP.js at our phone');

      await call.hold();
      expect(call.state).to.equal('held');
      expect(call.localHold).to.equal(true);
      expect(direction(session), "SIP.js's transceiver after answering our sendonly offer").to.equal('recvonly');
      // SIP.js, recvonly, sends nothing; we send nothing either while holding (our sender carries
      // no track on hold: no music on hold), so media stops both ways.
      await silentBothWays(call, pc);

      await call.unhold();
      expect(call.state).to.equal('connected');
      expect(direction(session)).to.equal('sendrecv');
      await audioBothWays(call, pc, ' after resume');
    },
  );

  itNeedingWebRTC(
    'both hold (RFC 6337 §5.3): inactive while both hold, then each resume restores its direction',
    async () => {
      const { call, session } = await sipJsCallsUs();
      const pc = session.sessionDescriptionHandler!.peerConnection;
      const reinvite = (hold: boolean) =>
        answered(
          (requestDelegate) => session.invite({ sessionDescriptionHandlerOptions: { hold }, requestDelegate }),
          `SIP.js's re-INVITE with hold ${hold}`,
        );
      expect(await reinvite(true)).to.equal(200);
      await stateOf(call, 'held');
      await call.hold();
      expect(direction(session), "after our hold offer on top of SIP.js's hold").to.equal('inactive');
      expect([call.localHold, call.remoteHold]).to.deep.equal([true, true]);
      await silentBothWays(call, pc);

      // SIP.js resumes while we still hold: we answer sendonly, so SIP.js is recvonly.
      expect(await reinvite(false)).to.equal(200);
      expect(call.remoteHold).to.equal(false);
      expect(call.state).to.equal('held');
      expect(direction(session), 'SIP.js resumed, we still hold').to.equal('recvonly');

      await call.unhold();
      expect(call.state).to.equal('connected');
      expect(direction(session)).to.equal('sendrecv');
      await audioBothWays(call, pc, ' after both resumed');
    },
  );

  itNeedingWebRTC(
    'SIP.js sends DTMF by INFO (dtmf-relay) and by RFC 4733: INFO digits reach our dtmf event in order',
    async () => {
      const { call, session } = await weCallSipJs();
      const digits: string[] = [];
      call.events.on('dtmf', ({ digit, via }) => digits.push(`${digit}/${via}`));
      for (const digit of '19#*D') {
        const body = {
          contentDisposition: 'render',
          contentType: 'application/dtmf-relay',
          content: `Signal=${digit}\r\nDuration=160`,
        };
        const status = await answered(
          (requestDelegate) => session.info({ requestDelegate, requestOptions: { body } }),
          `INFO ${digit}`,
        );
        expect(status, `INFO ${digit}`).to.equal(200);
      }
      expect(digits).to.deep.equal(['1/info', '9/info', '#/info', '*/info', 'D/info']);

      // RFC 4733: SIP.js plays telephone-events on its RTCDTMFSender (our answer offered
      // telephone-event). Browsers expose no event for received telephone-events, so our side
      // cannot report them; what is observable is that SIP.js could send them and they played.
      const sender = session
        .sessionDescriptionHandler!.peerConnection.getSenders()
        .find((s) => s.track?.kind === 'audio')!;
      const tones: string[] = [];
      sender.dtmf!.addEventListener('tonechange', (event) => tones.push(event.tone));
      await waitFor("SIP.js's DTMF sender to be ready", () => sender.dtmf!.canInsertDTMF);
      expect(session.sessionDescriptionHandler!.sendDtmf('42', { duration: 80, interToneGap: 50 })).to.equal(true);
      await waitFor("SIP.js's tones to play out", () => tones.includes(''), 5000);
      expect(tones).to.deep.equal(['4', '2', '']);
      expect(digits, 'no INFO came with the RFC 4733 tones').to.have.length(5);
    },
  );

  itNeedingWebRTC(
    'our phone sends DTMF to SIP.js: by INFO its onInfo gets the digits in order; RFC 4733 is chosen when negotiated at the audio clock rate',
    async () => {
      const { call } = await sipJsCallsUs();
      await call.sendDtmf('3*0#', { mode: 'info' });
      expect(carol.infos.map((body) => /Signal=(.)/.exec(body)?.[1])).to.deep.equal(['3', '*', '0', '#']);
      expect(carol.infos.every((body) => /Duration=\d+/.test(body))).to.equal(true);

      // SIP.js's answer carries telephone-event. At Opus's clock rate (Chromium: telephone-event/48000)
      // `auto` picks RFC 4733 and no INFO goes out; Firefox has only telephone-event/8000, on which
      // RFC 4733 §2.1's clock rule does not hold, so `auto` sends INFO. SIP.js cannot report received
      // tones (no receive event in browsers): our sender playing them is what is observable.
      carol.infos.length = 0;
      const tones: string[] = [];
      mediaOf(call).on('dtmf-tone', (tone) => tones.push(tone));
      await waitFor('our DTMF sender to be ready', () => mediaOf(call).canSendRfc4733());
      expect(mediaOf(call).prefersRfc4733()).to.equal(!isFirefox);
      await call.sendDtmf('78', { duration: 80, gap: 50 });
      if (isFirefox) {
        expect(carol.infos.map((body) => /Signal=(.)/.exec(body)?.[1])).to.deep.equal(['7', '8']);
        expect(tones).to.deep.equal([]);
        return;
      }
      await waitFor('our tones to play out', () => tones.includes(''), 5000);
      expect(tones).to.deep.equal(['7', '8', '']);
      expect(carol.infos).to.deep.equal([]);
    },
  );

  it('MESSAGE both ways with non-ASCII text, each answered 200', async () => {
    const text = 'Grüße, ça va? 日本語 👋 — ok';
    const response = await ours.ua.sendMessage('carol', text);
    expect(response.status).to.equal(200);
    await waitFor('SIP.js to receive our MESSAGE', () => carol.messages.length > 0);
    const atCarol = carol.messages.shift()!;
    expect(atCarol.body).to.equal(text);
    expect(atCarol.getHeader('Content-Type')).to.match(/^text\/plain/);

    const received = within<IncomingMessage>(
      10000,
      "SIP.js's MESSAGE at our phone",
      new Promise((resolve) => {
        const off = ours.ua.events.on('message', (message) => {
          off();
          resolve(message);
        });
      }),
    );
    expect(await carol.message(`sip:alice@${domain}`, text)).to.equal(200);
    const message = await received;
    expect(message.body).to.equal(text);
    expect(message.from.uri.toString()).to.contain('carol');
  });

  itNeedingWebRTC(
    'SIP.js transfers our phone blind (REFER): we call the target and SIP.js hears the 200 by NOTIFY',
    async () => {
      const { call, session } = await sipJsCallsUs();
      let target = '';
      call.events.on('refer', (refer) => {
        target = refer.target;
        refer.accept();
      });
      let referred: Call | undefined;
      call.events.on('referred-call', (c) => (referred = c));
      const progress: string[] = [];
      const atBob = bob.nextIncoming();
      const status = await answered(
        (requestDelegate) =>
          session.refer(carol.uri(`sip:bob@${domain}`), {
            requestDelegate,
            onNotify(notification) {
              progress.push(notification.request.body);
              void notification.accept();
            },
          }),
        'the REFER',
      );
      expect(status).to.equal(202);
      expect(target).to.equal(`sip:bob@${domain}`);
      const incoming = await atBob;
      expect(incoming.remote.uri).to.contain('alice');
      await incoming.answer();
      await waitFor('the NOTIFY with 200 at SIP.js', () => progress.some((body) => body.startsWith('SIP/2.0 200')));
      expect(progress[0], 'the first NOTIFY').to.match(/^SIP\/2\.0 1\d\d/);
      expect(referred).to.not.equal(undefined);
      await waitForGrowth(mediaOf(referred!), 'audio', 'bytesReceived', 'audio from bob on the referred call');
      // SIP.js, the transferor, leaves once the transfer succeeded.
      const end = ended(call);
      await session.bye();
      expect((await end).cause).to.equal('remote-hangup');
      expect(referred!.state).to.equal('connected');
    },
  );

  itNeedingWebRTC(
    'our phone transfers SIP.js blind: its onRefer accepts and calls the target, and our call ends as transferred',
    async () => {
      const { call, session } = await weCallSipJs();
      let referral: SipJsSession | undefined;
      let referTo = '';
      carol.onRefer = (request) => {
        referTo = request.request.getHeader('Refer-To') ?? '';
        void request.accept().then(() => {
          referral = request.makeInviter(sipJsMedia());
          carol.sessions.push(referral);
          return referral.invite();
        });
      };
      const progress: number[] = [];
      call.events.on('transfer-progress', ({ status }) => progress.push(status));
      const end = ended(call);
      const atBob = bob.nextIncoming();
      await call.transfer('bob');
      const incoming = await atBob;
      expect(referTo).to.contain(`sip:bob@${domain}`);
      expect(incoming.remote.uri).to.contain('carol');
      await incoming.answer();
      expect((await end).cause).to.equal('transferred');
      // SIP.js reports each response of its INVITE (Kamailio's 100, bob's 180, the 200). It marks
      // every one of these NOTIFYs `Subscription-State: terminated`, the provisional ones too, where
      // RFC 6665 §4.1.3 / RFC 3515 §2.4.5 keep the implicit subscription active until the final
      // report; we accept NOTIFYs after a terminated one, so the 200 still ends our call.
      expect(progress).to.deep.equal([100, 180, 200]);
      await waitFor('SIP.js to see our BYE after the transfer', () => session.state === 'Terminated');
      await waitFor('SIP.js to establish the referred session', () => referral?.state === 'Established');
      await waitForGrowth(mediaOf(incoming), 'audio', 'bytesReceived', 'audio from SIP.js at bob');
      await waitForPeerAudio(referral!.sessionDescriptionHandler!.peerConnection, 'audio from bob at SIP.js');
    },
  );

  itNeedingWebRTC(
    'our phone adds video by re-INVITE: SIP.js answers with its camera, frames decoded both ways',
    async () => {
      const { call, session } = await weCallSipJs();
      // SIP.js answers a re-INVITE with the media its re-INVITE options ask for: its camera too.
      session.sessionDescriptionHandlerOptionsReInvite = { constraints: { audio: true, video: true } };
      await call.setVideo(true);
      expect(direction(session, 'video')).to.equal('sendrecv');
      await play(mediaOf(call), 'video');
      await playPeer(session);
      await waitForGrowth(mediaOf(call), 'video', 'framesDecoded', 'video frames from SIP.js at our phone');
      let last = 0;
      await waitFor('video frames from our phone at SIP.js', async () => {
        const now = await peerFramesDecoded(session);
        const grew = now > last && last > 0;
        last = now;
        return grew;
      });
      await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio goes on with video');
    },
  );

  itNeedingWebRTC(
    'SIP.js adds video by re-INVITE: we receive its frames and answer recvonly (our camera stays off)',
    async () => {
      const { call, session } = await sipJsCallsUs();
      const kinds: string[] = [];
      call.events.on('remote-track', (kind) => kinds.push(kind));
      const status = await answered(
        (requestDelegate) =>
          session.invite({
            sessionDescriptionHandlerOptions: { constraints: { audio: true, video: true } },
            requestDelegate,
          }),
        "SIP.js's video re-INVITE",
      );
      expect(status).to.equal(200);
      expect(direction(session, 'video'), "SIP.js's video after our answer").to.equal('sendonly');
      await waitFor('our remote-track event for video', () => kinds.includes('video'));
      await play(mediaOf(call), 'video');
      await waitForGrowth(mediaOf(call), 'video', 'framesDecoded', 'video frames from SIP.js at our phone');
      expect(mediaOf(call).localStream.getVideoTracks()).to.have.length(0);
      await waitForPeerAudio(
        session.sessionDescriptionHandler!.peerConnection,
        'audio from our phone at SIP.js after the video re-INVITE',
      );
    },
  );
});
