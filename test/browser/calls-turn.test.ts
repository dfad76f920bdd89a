// Two <sip-phone> elements call each other through coturn with ice-transport-policy="relay", over
// TURN/UDP, TURN/TCP and TURNS (RFC 8656, RFC 6062 is not needed: the browser's allocation is UDP
// whatever carries it to the server), in Chromium and Firefox. getStats proves the selected
// candidate pair of each end relayed, with the transport to the TURN server asked for, and media
// flowing both ways. coturn and Kamailio are started by the runner's plugins (tools/).
import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { SipCall, SipPhone } from '../../src/index';
import type { CoturnInfo } from '../../tools/coturn/wtr-plugin.mjs';
import { kamailio, makePhone, removePhones, waitFor, waitForMedia, type KamailioInfo } from './elements-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

type Via = 'turnUdp' | 'turnTcp' | 'turns';

/** The local candidate of the candidate pair ICE selected for a call (RFC 8445 §8.1.1). */
async function selectedLocalCandidate(call: SipCall): Promise<{ candidateType?: string; relayProtocol?: string }> {
  const reports = new Map<string, Record<string, unknown>>();
  (await call.getStats()).forEach((report: Record<string, unknown>) => reports.set(report.id as string, report));
  const all = [...reports.values()];
  // Chromium (and the spec) name it from the transport; Firefox marks the pair `selected`.
  const pairId = all.find(
    (report) => report.type === 'transport' && report.selectedCandidatePairId,
  )?.selectedCandidatePairId;
  const pair = pairId
    ? reports.get(pairId as string)
    : all.find((report) => report.type === 'candidate-pair' && report.selected);
  expect(pair, 'a selected candidate pair').not.to.equal(undefined);
  return reports.get(pair!.localCandidateId as string) ?? {};
}

describeNeedingWebRTC('<sip-phone ice-transport-policy="relay"> through coturn', () => {
  let info: KamailioInfo;
  let turn: CoturnInfo;

  before(async () => {
    [info, turn] = await Promise.all([
      kamailio(),
      executeServerCommand('coturn', { action: 'info' }) as Promise<CoturnInfo>,
    ]);
  });
  afterEach(removePhones);

  async function relayedCall(via: Via): Promise<SipCall[]> {
    const iceServers = [{ urls: [turn.urls[via]], username: turn.username, credential: turn.credential }];
    const attributes = { 'ice-servers': JSON.stringify(iceServers), 'ice-transport-policy': 'relay' };
    const alice: SipPhone = await makePhone(info, 'alice', { attributes });
    const bob: SipPhone = await makePhone(info, 'bob', { attributes });
    const ringing = oneEvent(bob, 'sip-incoming');
    const outgoing = await alice.call('bob');
    const incoming: SipCall = (await ringing).detail.call;
    await incoming.answer();
    await waitFor('both ends connected', () => outgoing.state === 'connected' && incoming.state === 'connected');
    await Promise.all([
      waitForMedia(outgoing, 'audio', 'audio at Alice'),
      waitForMedia(incoming, 'audio', 'audio at Bob'),
    ]);
    return [outgoing, incoming];
  }

  const cases: Array<[Via, string]> = [
    ['turnUdp', 'udp'],
    ['turnTcp', 'tcp'],
    ['turns', 'tls'],
  ];
  for (const [via, relayProtocol] of cases) {
    it(`relays the call over TURN/${relayProtocol.toUpperCase()}`, async () => {
      for (const call of await relayedCall(via)) {
        const local = await selectedLocalCandidate(call);
        expect(local.candidateType).to.equal('relay');
        expect(local.relayProtocol).to.equal(relayProtocol);
      }
    });
  }
});
