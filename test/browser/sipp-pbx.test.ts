// <sip-phone> against PBX behaviour replayed by SIPp (sip-tester), a SIP peer no one here wrote,
// through Kamailio + rtpengine (tools/sipp/wtr-plugin.mjs): SIPp speaks plain SIP over UDP with
// RTP/AVP SDP as Asterisk and FreeSWITCH do, the phone WebSocket and WebRTC. Each scenario
// (tools/sipp/scenarios) passes only if every message it expects arrives as written: SIPp's exit
// code says so, and the page checks its side.
import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { SipCall, SipPhone } from '../../src/index';
import type { SippResult } from '../../tools/sipp/sipp.d.mts';
import { makePhone, removePhones, waitFor, type KamailioInfo } from './elements-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

const sipp = {
  info: () => executeServerCommand('sipp', { action: 'info' }) as Promise<KamailioInfo>,
  /** Starts a scenario calling alice; the returned function waits for SIPp's verdict. */
  async run(scenario: string, keys: Record<string, string> = {}): Promise<() => Promise<SippResult>> {
    const { id } = (await executeServerCommand('sipp', { action: 'start', scenario, service: 'alice', keys })) as {
      id: number;
    };
    return () => executeServerCommand('sipp', { action: 'result', id }) as Promise<SippResult>;
  },
};

/** SIPp went through its scenario; otherwise the failure shows what it got instead. */
function passed(result: SippResult): void {
  expect(result.code, `SIPp exit code; unexpected messages:\n${result.errors}\n${result.log}`).to.equal(0);
}

function ended(call: SipCall): Promise<string> {
  return oneEvent(call, 'sip-call-ended').then((event) => event.detail.cause);
}

const peerConnection = (call: SipCall) =>
  (call.call?.media as unknown as { peerConnection?: RTCPeerConnection } | undefined)?.peerConnection;

/** The next call to ring at `phone`: its element and what sip-incoming said of auto-answer. */
const nextIncoming = (phone: SipPhone) => oneEvent(phone, 'sip-incoming').then(({ detail }) => detail);

/** The headers PBXs send to have a phone answer by itself (intercom, paging). */
const AUTO_ANSWER_DIALECTS = [
  [
    'Call-Info answer-after=0 (Asterisk Page() to Polycom, Yealink, Snom)',
    'Call-Info: <sip:pbx.example>;answer-after=0',
  ],
  ['Alert-Info info=alert-autoanswer (FreeSWITCH intercom, Polycom)', 'Alert-Info: info=alert-autoanswer'],
] as const;

describeNeedingWebRTC('<sip-phone> and a PBX (SIPp through Kamailio and rtpengine)', () => {
  let info: KamailioInfo;

  before(async () => {
    info = await sipp.info();
  });
  afterEach(removePhones);

  it('answers an unsolicited re-INVITE without SDP with an offer in its 200, and applies the answer from the ACK (Asterisk, FreeSWITCH)', async () => {
    const alice = await makePhone(info, 'alice');
    const ringing = nextIncoming(alice);
    const verdict = await sipp.run('reinvite-without-sdp.xml');
    const { call } = await ringing;
    await call.answer();
    // The phone answered the PBX's first offer; an answer in its remote description can only be the
    // ACK's, to the offer the phone put in its 200 (SIPp checked that the 200 held one).
    await waitFor('the answer from the ACK applied', () => peerConnection(call)?.remoteDescription?.type === 'answer');
    expect(peerConnection(call)!.remoteDescription!.sdp).to.match(/^a=sendonly\r?$/m, "the PBX's answer (a=sendonly)");
    expect(peerConnection(call)!.signalingState).to.equal('stable');
    expect(call.state).to.equal('connected');
    const end = ended(call);
    await call.hangup();
    expect(await end).to.equal('hangup');
    passed(await verdict());
  });

  for (const [dialect, header] of AUTO_ANSWER_DIALECTS) {
    it(`auto-answer: answers ${dialect} by itself, and says so in sip-incoming`, async () => {
      const alice = await makePhone(info, 'alice', { attributes: { 'auto-answer': '' } });
      const ringing = nextIncoming(alice);
      const verdict = await sipp.run('auto-answer.xml', { autoanswer: header });
      const { call, autoAnswer } = await ringing;
      expect(autoAnswer).to.deep.equal({ delay: 0, willAnswer: true });
      // No answer() here: the phone answers, and the PBX hangs up a second later.
      expect(await ended(call)).to.equal('remote-hangup');
      passed(await verdict());
    });

    it(`auto-answer off (the default): ${dialect} only rings, until the PBX cancels`, async () => {
      const alice = await makePhone(info, 'alice');
      const ringing = nextIncoming(alice);
      const verdict = await sipp.run('auto-answer-ignored.xml', { autoanswer: header });
      const { call, autoAnswer } = await ringing;
      expect(autoAnswer).to.deep.equal({ delay: 0, willAnswer: false });
      expect(await ended(call)).to.equal('remote-canceled');
      passed(await verdict());
    });
  }

  it('auto-answer in RFC 5373 terms: takes Require: answermode with Answer-Mode: Auto;require, and its 200 says Answer-Mode: Auto (SIPp checks it)', async () => {
    const alice = await makePhone(info, 'alice', { attributes: { 'auto-answer': '' } });
    const ringing = nextIncoming(alice);
    const verdict = await sipp.run('auto-answer-mode.xml');
    const { call, autoAnswer } = await ringing;
    expect(autoAnswer).to.deep.equal({ delay: 0, willAnswer: true });
    expect(await ended(call)).to.equal('remote-hangup');
    passed(await verdict());
  });

  it('auto-answer: waits the answer-after delay the call asks, ringing meanwhile', async () => {
    const alice = await makePhone(info, 'alice', { attributes: { 'auto-answer': '' } });
    const ringing = nextIncoming(alice);
    const verdict = await sipp.run('auto-answer.xml', { autoanswer: 'Call-Info: <sip:pbx.example>;answer-after=2' });
    const { call, autoAnswer } = await ringing;
    const rangAt = Date.now();
    expect(autoAnswer).to.deep.equal({ delay: 2, willAnswer: true });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(call.state, 'still ringing after 1 s').to.equal('incoming');
    await oneEvent(call, 'sip-call-state');
    expect(call.state).to.equal('connected');
    expect(Date.now() - rangAt).to.be.within(1900, 6000);
    expect(await ended(call)).to.equal('remote-hangup');
    passed(await verdict());
  });

  it('auto-answer: an intercom call while another call is up only rings (it must not put that call on hold)', async () => {
    const alice = await makePhone(info, 'alice', { attributes: { 'auto-answer': '' } });
    const first = nextIncoming(alice);
    const ordinary = await sipp.run('auto-answer-ignored.xml', { autoanswer: 'Subject: an ordinary call' });
    const { call: other, autoAnswer: none } = await first;
    expect(none).to.equal(undefined);
    const second = nextIncoming(alice);
    const intercom = await sipp.run('auto-answer-ignored.xml', {
      autoanswer: 'Call-Info: <sip:pbx.example>;answer-after=0',
    });
    const { call, autoAnswer } = await second;
    expect(autoAnswer).to.deep.equal({ delay: 0, willAnswer: false });
    expect(await ended(call)).to.equal('remote-canceled');
    expect(other.state).to.be.oneOf(['incoming', 'ended']);
    passed(await ordinary());
    passed(await intercom());
  });

  it('auto-answer off: Answer-Mode: Auto;require is refused with 403, without a call (RFC 5373 §6)', async () => {
    const alice = await makePhone(info, 'alice');
    const rang: unknown[] = [];
    alice.addEventListener('sip-incoming', (event) => rang.push(event));
    const verdict = await sipp.run('auto-answer-required.xml');
    passed(await verdict());
    expect(rang).to.deep.equal([]);
  });

  it('delivers a MESSAGE inside the call as sip-message on its <sip-call> and the phone, and sends one back in the call', async () => {
    const alice = await makePhone(info, 'alice');
    const ringing = nextIncoming(alice);
    const verdict = await sipp.run('message-in-call.xml');
    const { call } = await ringing;
    const atCall = oneEvent(call, 'sip-message');
    const atPhone = oneEvent(alice, 'sip-message');
    await call.answer();
    const { detail } = await atCall;
    expect(detail.body.trim()).to.equal('This call is recorded');
    expect(detail).to.include({ contentType: 'text/plain', from: 'sip:pbx@pbx.example', displayName: 'PBX', call });
    expect((await atPhone).detail.call, 'bubbled to the phone, naming the call').to.equal(call);
    expect(await call.sendMessage('Thanks, noted')).to.deep.equal({ status: 200, reason: 'OK' });
    await call.hangup();
    passed(await verdict());
  });
});
