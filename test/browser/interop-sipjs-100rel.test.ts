// Reliable provisional responses (RFC 3262) against SIP.js (npm `sip.js`) with
// `sipExtension100rel: 'Required'`, through the test Kamailio: calls both ways connect, with early
// media from a reliable 183 before the 200, every reliable 1xx PRACKed in its early dialog.
// What SIP.js does (lib/api/invitation.js, inviter.js): as callee, an INVITE that supports 100rel
// gets at once a reliable 183 with its answer, and the call is offered to the application only
// once that 183 is PRACKed; as caller, its INVITE requires 100rel, it PRACKs every reliable 1xx,
// and with the Inviter's `earlyMedia` option it plays the answer of a 183 before the 200.
import { expect } from '@open-wc/testing';
import { parseMessage } from '../../src/stack/message/parser';
import { isRequest, type SipMessage, type SipRequest, type SipResponse } from '../../src/stack/message/message';
import { closeAll, waitFor, waitForGrowth, waitForPeerAudio } from './media-test-helpers';
import { kamailio, mediaOf, registeredPhone, stateOf, type TestPhone } from './phone-fixtures';
import { sipjsPhone, type SipJsPhone } from './sipjs-helpers';
import { itNeedingWebRTC } from './webrtc-capability';

/** Every SIP message our phone sends and receives, parsed, in order. */
function recordSignalling(phone: TestPhone): { sent: SipMessage[]; received: SipMessage[] } {
  const transport = phone.ua.core.transport;
  const log = { sent: [] as SipMessage[], received: [] as SipMessage[] };
  const send = transport.send.bind(transport);
  transport.send = (text: string) => {
    log.sent.push(parseMessage(text));
    send(text);
  };
  transport.onMessage((text) => log.received.push(parseMessage(text)));
  return log;
}

const requests = (messages: SipMessage[], method: string) =>
  messages.filter((m): m is SipRequest => isRequest(m) && m.method === method);
const responses = (messages: SipMessage[], status: number) =>
  messages.filter((m): m is SipResponse => !isRequest(m) && (m as SipResponse).status === status);

describe('interop with SIP.js: reliable provisional responses (RFC 3262, 100rel required)', function () {
  this.timeout(60000);
  let ours: TestPhone;
  let carol: SipJsPhone;
  let domain: string;
  let log: ReturnType<typeof recordSignalling>;

  before(async () => {
    const server = await kamailio();
    domain = server.domain;
    ours = await registeredPhone(server, 'alice');
    log = recordSignalling(ours);
    carol = await sipjsPhone(server, 'carol', { rel100: 'Required', answerLater: true, earlyMedia: true });
  });

  afterEach(async () => {
    await Promise.allSettled(ours.ua.calls.map((call) => call.hangup()));
    log.sent.length = 0;
    log.received.length = 0;
    closeAll();
  });

  after(async () => {
    await carol?.stop();
    await ours?.ua.stop();
    closeAll();
  });

  itNeedingWebRTC(
    "we call SIP.js: its reliable 183 is PRACKed, its early media plays before the 200, and the call connects on the 183's answer",
    async () => {
      const call = ours.ua.call('carol');
      await stateOf(call, 'early', 15000);
      const invite = requests(log.sent, 'INVITE').at(-1);
      expect(invite!.headers('Supported')).to.include('100rel');
      const progress = responses(log.received, 183)[0]!;
      expect(progress.headers('Require'), 'SIP.js sent its 183 reliably').to.include('100rel');
      await waitFor('our PRACK and its 200', () => responses(log.received, 200).some((r) => r.cseq.method === 'PRACK'));
      const [prack] = requests(log.sent, 'PRACK');
      expect(prack!.header('RAck')).to.equal(`${progress.header('RSeq')} ${invite!.cseq.seq} INVITE`);
      expect(prack!.to.tag).to.equal(progress.to.tag);

      // Early media: SIP.js's audio reaches us while the call is not answered.
      await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'early media from SIP.js');
      expect(call.state).to.equal('early');
      expect(responses(log.received, 200).filter((r) => r.cseq.method === 'INVITE')).to.have.length(0);

      await carol.answer();
      await stateOf(call, 'connected');
      // SIP.js repeats the 183's answer in its 200 (RFC 6337 §3.1.1 allows the same SDP, not a new one).
      const ok = responses(log.received, 200).find((r) => r.cseq.method === 'INVITE')!;
      expect(ok.body === '' || ok.body === progress.body, 'no new answer in the 200').to.equal(true);
      const session = carol.sessions.at(-1)!;
      await waitFor('SIP.js to establish the session', () => session.state === 'Established');
      await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio from SIP.js after the 200');
      await waitForPeerAudio(session.sessionDescriptionHandler!.peerConnection, 'audio from our phone at SIP.js');
    },
  );

  itNeedingWebRTC(
    'SIP.js calls us requiring 100rel: our 180 and our early-media 183 go reliably, SIP.js PRACKs both and plays our audio before the 200',
    async () => {
      const incoming = ours.nextIncoming();
      const session = await carol.call(`sip:alice@${domain}`);
      const call = await incoming;
      const [invite] = requests(log.received, 'INVITE');
      expect(invite!.headers('Require')).to.include('100rel');
      await call.earlyMedia();
      await waitFor('SIP.js to PRACK our 180 and our 183', () => requests(log.received, 'PRACK').length === 2);
      const reliable = [...responses(log.sent, 180), ...responses(log.sent, 183)];
      for (const response of reliable)
        expect(response.headers('Require'), `our ${response.status}`).to.include('100rel');
      const racks = requests(log.received, 'PRACK').map((prack) => prack.header('RAck'));
      expect(racks).to.deep.equal(reliable.map((r) => `${r.header('RSeq')} ${invite!.cseq.seq} INVITE`));
      expect(Number(reliable[1]!.header('RSeq'))).to.equal(Number(reliable[0]!.header('RSeq')) + 1);

      // Early media: our audio reaches SIP.js before we answer.
      await waitForPeerAudio(session.sessionDescriptionHandler!.peerConnection, 'our early media at SIP.js');
      expect(call.state).to.equal('incoming');
      expect(session.state).to.equal('Establishing');

      await call.answer();
      await waitFor('SIP.js to establish the session', () => session.state === 'Established');
      await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio from SIP.js at our phone');
      const ok = responses(log.sent, 200).find((r) => r.cseq.method === 'INVITE')!;
      expect(ok.body, 'RFC 3262 §5: the answer was in the 183').to.equal('');
    },
  );
});
