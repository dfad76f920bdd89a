// Session timers (RFC 4028) and UPDATE (RFC 3311) with a client nobody here wrote: JsSIP, in the
// same browser, through the same Kamailio, with `sessionTimersExpires: 90` (its smallest) on both
// of its calls. Both directions run at once (the test waits past three refresh intervals, 135 s,
// so once rather than twice): our phone calls JsSIP and refreshes the session itself
// (refresher=uac in our INVITE) every 45 s, by re-INVITE since JsSIP's 200 lists no Allow (RFC
// 4028 §7.4 asks for UPDATE only when the peer is known to allow it); JsSIP calls our phone, which
// names JsSIP the refresher (it said Supported: timer), and JsSIP's UPDATEs keep that call up. A
// refresh missed by either side would end a call (JsSIP's after 99 s, ours after 60 s).
import { expect } from '@open-wc/testing';
import type { Call } from '../../src/stack/ua/calls/call';
import { parseMessage } from '../../src/stack/message/parser';
import type { SipRequest } from '../../src/stack/message/message';
import { waitFor } from './media-test-helpers';
import { MEDIA, jssipPhone, type JsSipPhone } from './interop-jssip-peer';
import { kamailio, registeredPhone, stateOf, type TestPhone } from './phone-fixtures';
import { describeNeedingWebRTC } from './webrtc-capability';

const EXPIRES = 90;
const TIMERS = { ...MEDIA, sessionTimersExpires: EXPIRES };

/** Every request our phone sent and received, as start line, Call-ID and Session-Expires. */
function tap(phone: TestPhone) {
  const seen: Array<{ way: 'out' | 'in'; method: string; callId: string; inDialog: boolean; se: string | undefined }> =
    [];
  const record = (way: 'out' | 'in', text: string) => {
    if (/^SIP\//.test(text)) return;
    const request = parseMessage(text) as SipRequest;
    seen.push({
      way,
      method: request.method,
      callId: request.callId,
      inDialog: request.to.tag !== undefined,
      se: request.header('Session-Expires'),
    });
  };
  const transport = phone.ua.core.transport;
  const send = transport.send.bind(transport);
  transport.send = (text: string) => {
    record('out', text);
    send(text);
  };
  transport.onMessage((text) => record('in', text));
  const of = (call: Call) => seen.filter((r) => r.callId === call.dialog?.callId);
  return Object.assign(
    (way: 'out' | 'in', method: string, call: Call) => of(call).filter((r) => r.way === way && r.method === method),
    { all: of },
  );
}

describeNeedingWebRTC('session timers with JsSIP (RFC 4028, RFC 3311)', function () {
  this.timeout(240_000);
  let ours: TestPhone;
  let dave: JsSipPhone;

  before(async () => {
    const server = await kamailio();
    ours = await registeredPhone(server, 'alice', { sessionTimers: { expires: EXPIRES } });
    dave = await jssipPhone(server, 'dave', TIMERS);
  });

  after(async () => {
    for (const session of dave?.sessions ?? []) if (!session.isEnded()) session.terminate();
    dave?.ua.stop();
    await ours?.ua.stop();
  });

  it('calls both ways stay up past three refresh intervals, refreshed by us on our call (re-INVITE) and by JsSIP on its call (UPDATE)', async () => {
    const requests = tap(ours);
    // JsSIP's call to us, then ours to JsSIP (answering second would put the first on hold:
    // call waiting), both running at once from then on.
    const jssipCalls = dave.ua.call(`sip:alice@${(await kamailio()).domain}`, TIMERS);
    const incoming = await ours.nextIncoming();
    await incoming.answer();
    const theirs = dave.nextSession();
    const outgoing = ours.ua.call('dave');
    const session = await theirs;
    await Promise.all([
      stateOf(outgoing, 'connected', 15000),
      waitFor('JsSIP to confirm both calls', () => session.isEstablished() && jssipCalls.isEstablished()),
    ]);
    const reinvitesAtJssip: number[] = [];
    session.on('reinvite', () => reinvitesAtJssip.push(Date.now()));
    // Re-INVITEs: in the dialog (the INVITE sent again with credentials after a 407 is not).
    const reinvites = () => requests('out', 'INVITE', outgoing).filter((r) => r.inDialog);
    const refreshesOfOurs = () => reinvites().length;
    const ended: string[] = [];
    for (const call of [outgoing, incoming])
      call.events.on('ended', ({ cause }) => ended.push(`${call.direction}: ${cause}`));

    expect(requests('out', 'INVITE', outgoing)[0]?.se).to.equal(`${EXPIRES};refresher=uac`);
    expect(requests('in', 'INVITE', incoming)[0]?.se, "JsSIP's INVITE").to.equal(String(EXPIRES));
    const started = Date.now();
    const seen = () =>
      [outgoing, incoming]
        .map(
          (call) =>
            `${call.direction} (${call.state}): ${requests
              .all(call)
              .map((r) => `${r.way} ${r.method}${r.inDialog ? ' (in dialog)' : ''} ${r.se ?? ''}`)
              .join(', ')}`,
        )
        .join('; ');
    await waitFor(
      'three refreshes on each call',
      () => refreshesOfOurs() >= 3 && requests('in', 'UPDATE', incoming).length >= 3,
      3 * (EXPIRES / 2) * 1000 + 20_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; seen: ${seen()}`);
    });
    expect(Date.now() - started, 'past three refresh intervals').to.be.greaterThan(3 * (EXPIRES / 2) * 1000 - 5000);
    expect(ended, 'no call ended').to.deep.equal([]);
    expect(outgoing.state).to.equal('connected');
    expect(incoming.state).to.equal('connected');
    expect(session.isEstablished() && jssipCalls.isEstablished(), 'JsSIP still has both calls').to.equal(true);
    // Each side refreshed its own call and only that.
    expect(reinvitesAtJssip.length, 'our re-INVITEs reached JsSIP').to.be.at.least(3);
    expect(reinvites()[0]?.se, 'a refresh keeps us the refresher').to.equal(`${EXPIRES};refresher=uac`);
    expect(requests('out', 'UPDATE', outgoing), 'no UPDATE to a peer not known to allow it').to.deep.equal([]);
    expect(requests('in', 'UPDATE', incoming)[0]?.se).to.equal(`${EXPIRES};refresher=uac`);
    expect(
      requests('out', 'UPDATE', incoming).length + requests('out', 'INVITE', incoming).length,
      'we do not refresh the call JsSIP refreshes',
    ).to.equal(0);
    expect(
      requests('in', 'INVITE', incoming).filter((r) => r.inDialog),
      'JsSIP refreshes by UPDATE, not re-INVITE',
    ).to.deep.equal([]);
    expect(
      requests('in', 'UPDATE', outgoing).length + requests('in', 'INVITE', outgoing).length,
      'JsSIP does not refresh the call we refresh',
    ).to.equal(0);
    await outgoing.hangup();
    await incoming.hangup();
  });
});
