// Attended transfer (RFC 5589 §7: REFER whose Refer-To carries Replaces, RFC 3891) between our
// phones and SIP.js 0.21, a UA nobody here wrote, through the real Kamailio, in each of the three
// roles SIP.js can take: transferee (it follows our REFER with Replaces), transferor (it sends the
// REFER with Replaces, from Session.refer(otherSession)) and transfer target (it receives the
// INVITE with Replaces). Each test ends with media proven both ways between the two parties left
// talking, and every old call ended, with the cause our side reports for it.
//
// What SIP.js does differently from the RFCs (written down here, not bent around):
// - As target, SIP.js honours Replaces only when its `sipExtensionReplaces` option is `Supported`
//   (lib/api/user-agent.js, userAgentCoreDelegate.onInvite); its default, `Unsupported`, ignores the
//   header and the INVITE arrives as a new call. It does not check Require either (RFC 3261
//   §8.2.2.3 is a TODO in lib/core/user-agent-core/user-agent-core.js), so no 420 would tell the
//   transferee. The SIP.js phone here is therefore made with `Supported`.
// - With `Supported`, the matched session is handed to the application as `invitation.replacee`
//   with the invitation, which rings (180) like any call; SIP.js sends BYE to the replaced session
//   only when the application accepts (lib/api/invitation.js accept()). RFC 3891 §3 has the UA accept
//   an INVITE that matches a confirmed dialog by itself and shut the old dialog down. The SIP.js
//   application here accepts every INVITE, so the result is the same.
// - As transferee, SIP.js reports each response by a NOTIFY marked `Subscription-State: terminated`
//   (lib/api/inviter.js notifyReferer), the provisional ones too (see interop-sipjs.test.ts).
// - As transferor, SIP.js puts the consulted dialog's remote target (its Contact) in Refer-To
//   (lib/api/session.js referToString). That reaches the target here because our phone's Contact is
//   its GRUU (RFC 5627); a Contact that is not a GRUU is not routable from elsewhere, and RFC 5589 §7
//   asks for a URI that reaches that very UA (a GRUU), else the AOR.
// - Not an RFC matter but a trap: Referral.makeInviter(options) writes its Replaces and Referred-By
//   into `options.extraHeaders`, so options reused for a later call send a stale Replaces (our
//   phone rightly answers that INVITE 481). sipjs-helpers.ts gives SIP.js a new options object
//   each time.
import { expect } from '@open-wc/testing';
import type { Call } from '../../src/stack/ua/calls/call';
import type { CallEndInfo, ReferRequest } from '../../src/stack/ua/calls/call-types';
import type { IncomingCall } from '../../src/stack/ua/calls/incoming-call';
import { closeAll, waitFor, waitForGrowth, waitForPeerAudio } from './media-test-helpers';
import { kamailio, mediaOf, registeredPhone, stateOf, within, type TestPhone } from './phone-fixtures';
import {
  established,
  sipjsPhone,
  terminated,
  type RequestDelegate,
  type SipJsPhone,
  type SipJsReferral,
  type SipJsResponse,
  type SipJsSession,
} from './sipjs-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

function ended(call: Call): Promise<CallEndInfo> {
  return within(15000, `call ${call.id} to end`, new Promise((resolve) => call.events.on('ended', resolve)));
}

/**
 * The Replaces value that names `call`'s dialog to the party at `end` of it: RFC 3891 §3 gives the
 * tags as the RECIPIENT sees them (to-tag: its own tag). A transferee sends the peer's view.
 */
function replacesFor(call: Call, end: 'peer' | 'us'): string {
  const { callId, localTag, remoteTag } = call.dialog!;
  const [toTag, fromTag] = end === 'peer' ? [remoteTag, localTag] : [localTag, remoteTag];
  return `${callId};to-tag=${toTag};from-tag=${fromTag}`;
}

/** Audio arriving both ways between our call and a SIP.js session. */
async function audioBothWays(call: Call, session: SipJsSession, who: string): Promise<void> {
  await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', `audio from SIP.js at ${who}`);
  await waitForPeerAudio(session.sessionDescriptionHandler!.peerConnection, `audio from ${who} at SIP.js`);
}

describeNeedingWebRTC('attended transfer with SIP.js through Kamailio', function () {
  this.timeout(60000);
  let alice: TestPhone;
  let bob: TestPhone;
  /** SIP.js, in whichever role the test gives it. */
  let dave: SipJsPhone;
  let domain: string;

  before(async () => {
    const server = await kamailio();
    domain = server.domain;
    alice = await registeredPhone(server, 'alice');
    bob = await registeredPhone(server, 'bob');
    dave = await sipjsPhone(server, 'dave', { replaces: 'Supported' });
  });

  afterEach(async () => {
    dave.onRefer = undefined;
    // Our side hangs up what is left; a SIP.js session with no call of ours left gets SIP.js's BYE.
    await Promise.allSettled([...alice.ua.calls, ...bob.ua.calls].map((call) => call.hangup()));
    const sessions = dave.sessions.splice(0);
    await waitFor(
      "SIP.js's sessions to end",
      () => sessions.every((session) => session.state !== 'Established'),
      3000,
    ).catch(() =>
      Promise.allSettled(sessions.filter((session) => session.state === 'Established').map((session) => session.bye())),
    );
    closeAll();
  });

  after(async () => {
    await dave?.stop();
    await alice?.ua.stop();
    await bob?.ua.stop();
    closeAll();
  });

  /** Our `phone` calls SIP.js; both ends established. */
  async function weCallSipJs(phone: TestPhone): Promise<{ call: Call; session: SipJsSession }> {
    const call = phone.ua.call('dave');
    await stateOf(call, 'connected', 15000);
    const session = dave.sessions.at(-1)!;
    await established(session, 'session with our caller');
    return { call, session };
  }

  /** SIP.js calls our `phone` (`name`), which answers; both ends established. */
  async function sipJsCalls(phone: TestPhone, name: string): Promise<{ call: IncomingCall; session: SipJsSession }> {
    const incoming = phone.nextIncoming();
    const session = await dave.call(`sip:${name}@${domain}`);
    const call = await incoming;
    await call.answer();
    await established(session, `call to ${name}`);
    return { call, session };
  }

  /** Our phone calls our other phone, which answers. */
  async function weCallUs(
    from: TestPhone,
    to: TestPhone,
    name: string,
  ): Promise<{ call: Call; incoming: IncomingCall }> {
    const call = from.ua.call(name);
    const incoming = await to.nextIncoming();
    await incoming.answer();
    await stateOf(call, 'connected');
    return { call, incoming };
  }

  it("SIP.js as transferee: our alice consults our bob and transfers SIP.js to him; SIP.js replaces alice's call at bob", async () => {
    const { call: x, session: xAtDave } = await weCallSipJs(alice);
    const { call: y, incoming: yAtBob } = await weCallUs(alice, bob, 'bob');
    const replaces = replacesFor(y, 'peer');
    let referral: SipJsReferral | undefined;
    let referred: Promise<SipJsSession> | undefined;
    dave.onRefer = (request) => {
      referral = request;
      referred = dave.follow(request);
    };
    const progress: number[] = [];
    x.events.on('transfer-progress', ({ status }) => progress.push(status));
    const replacing = within(
      10000,
      'the replacing call at bob',
      new Promise<IncomingCall>((resolve) => yAtBob.events.on('replaced', resolve)),
    );
    const [xEnd, yEnd, yAtBobEnd] = [ended(x), ended(y), ended(yAtBob)];

    await x.transfer(y);
    // Our Refer-To names bob's GRUU (his Contact) with the Replaces SIP.js is to send.
    expect(referral!.request.getHeader('Refer-To')).to.match(new RegExp(`<sip:bob@${domain};gr=`));
    expect(decodeURIComponent(referral!.replaces!)).to.equal(replaces);
    expect((await xEnd).cause).to.equal('transferred');
    expect((await yEnd).cause).to.equal('remote-hangup');
    expect((await yAtBobEnd).cause).to.equal('replaced');
    // SIP.js ran the REFER's INVITE; its last NOTIFY (the 200) is what ended our call as transferred.
    expect(progress.at(-1)).to.equal(200);
    const daveToBob = await referred!;
    expect(daveToBob.request!.getHeader('Replaces')).to.equal(replaces);
    await established(daveToBob, 'referred call to bob');
    const bobWithDave = await replacing;
    expect(bobWithDave.state).to.equal('connected');
    expect(bobWithDave.remote.uri).to.contain('dave');
    // Alice left with BYE once the transfer succeeded.
    await terminated(xAtDave, 'call with alice');
    await audioBothWays(bobWithDave, daveToBob, 'bob');
  });

  it("SIP.js as transferor: SIP.js consults our bob and transfers our alice to him; alice replaces SIP.js's call at bob", async () => {
    const { call: xAtAlice, session: x } = await sipJsCalls(alice, 'alice');
    const { call: yAtBob, session: y } = await sipJsCalls(bob, 'bob');
    let refer: ReferRequest | undefined;
    xAtAlice.events.on('refer', (request) => {
      refer = request;
      request.accept();
    });
    const referred = within(
      10000,
      "alice's referred call",
      new Promise<Call>((resolve) => xAtAlice.events.on('referred-call', resolve)),
    );
    const replacing = within(
      10000,
      'the replacing call at bob',
      new Promise<IncomingCall>((resolve) => yAtBob.events.on('replaced', resolve)),
    );
    const [xAtAliceEnd, yAtBobEnd] = [ended(xAtAlice), ended(yAtBob)];
    const notifies: string[] = [];

    const status = await within(
      10000,
      "the final response to SIP.js's REFER",
      new Promise<number>((resolve, reject) => {
        const done = (response: SipJsResponse) => resolve(response.message.statusCode);
        const requestDelegate: RequestDelegate = { onAccept: done, onReject: done };
        x.refer(y, {
          requestDelegate,
          onNotify(notification) {
            notifies.push(notification.request.body);
            void notification.accept();
          },
        }).catch(reject);
      }),
    );
    expect(status).to.equal(202);
    // SIP.js names bob's dialog with the tags as bob sees them (RFC 3891 §3) and his Contact, a GRUU.
    expect(refer!.replaces).to.equal(replacesFor(yAtBob, 'us'));
    expect(refer!.target).to.match(new RegExp(`^sip:bob@${domain};gr=`));
    const aliceToBob = await referred;
    const bobWithAlice = await replacing;
    expect((await yAtBobEnd).cause).to.equal('replaced');
    // Bob ended SIP.js's consultation call with BYE (RFC 3891 §3).
    await terminated(y, 'consultation call with bob');
    await stateOf(aliceToBob, 'connected');
    expect(bobWithAlice.state).to.equal('connected');
    expect(bobWithAlice.remote.uri).to.contain('alice');
    await waitFor('our NOTIFY with 200 at SIP.js', () => notifies.some((body) => body.startsWith('SIP/2.0 200')));
    expect(notifies[0], 'the first NOTIFY').to.match(/^SIP\/2\.0 100/);
    // SIP.js, the transferor, leaves once the transfer succeeded (its application's job: SIP.js does not).
    await x.bye();
    expect((await xAtAliceEnd).cause).to.equal('remote-hangup');
    await waitForGrowth(mediaOf(bobWithAlice), 'audio', 'bytesReceived', 'audio from alice at bob');
    await waitForGrowth(mediaOf(aliceToBob), 'audio', 'bytesReceived', 'audio from bob at alice');
  });

  it("SIP.js as target: our alice consults SIP.js and transfers our bob to it; SIP.js replaces alice's call and sends her BYE", async () => {
    const { call: x, incoming: xAtBob } = await weCallUs(alice, bob, 'bob');
    const { call: y, session: yAtDave } = await weCallSipJs(alice);
    xAtBob.events.on('refer', (request) => request.accept());
    const referred = within(
      10000,
      "bob's referred call",
      new Promise<Call>((resolve) => xAtBob.events.on('referred-call', resolve)),
    );
    const [xEnd, yEnd, xAtBobEnd] = [ended(x), ended(y), ended(xAtBob)];

    await x.transfer(y);
    expect((await xEnd).cause).to.equal('transferred');
    // SIP.js's BYE to the session it replaced.
    expect((await yEnd).cause).to.equal('remote-hangup');
    expect((await xAtBobEnd).cause).to.equal('remote-hangup');
    const bobToDave = await referred;
    await stateOf(bobToDave, 'connected');
    await terminated(yAtDave, 'call with alice');
    const daveWithBob = dave.sessions.at(-1)!;
    expect(daveWithBob.replacee, 'the session SIP.js matched to our Replaces').to.equal(yAtDave);
    expect(daveWithBob.request!.getHeader('Replaces')).to.equal(replacesFor(y, 'peer'));
    expect(daveWithBob.request!.getHeader('From')).to.contain('bob');
    await established(daveWithBob, 'call from bob');
    await audioBothWays(bobToDave, daveWithBob, 'bob');
  });
});
