// Attended transfer (RFC 5589 §7: REFER whose Refer-To carries Replaces, RFC 3891) with JsSIP in
// each of the three roles, through Kamailio: JsSIP as transferee (its 'refer' event's accept()
// sends the INVITE with Replaces), as transferor (RTCSession.refer(target, { replaces })), and as
// transfer target (its 'replaces' event). Each ends with media proven both ways on the new call
// and every old call ended with the cause its side should see.
//
// What JsSIP 3.13 does differently from the RFCs, written down here rather than bent around:
// - As transferor, refer() writes the Replaces tags from the session's From and To tags (from-tag =
//   From), not as the target sees the dialog (RFC 3891 §3: to-tag = the target's own tag). That is
//   right only when JsSIP placed the consultation call; for a call JsSIP received the tags come out
//   swapped and a target that matches as §3 says answers 481. The last test pins this.
// - As target, it matches Replaces with the tags either way round (UA._findDialog), and it does not
//   look at Require at all (no 420 ever; it does know Replaces, so nothing is lost here).
// - As transferee, its INVITE carries Replaces without Require: replaces (RFC 3891 §6.2 makes that
//   optional: only explicit failure is lost), and it answers 202 before its application decides.
//   Its accept(callback, options) writes that Replaces into options.extraHeaders, changing the
//   caller's object.
import { expect } from '@open-wc/testing';
import type { Call } from '../../src/stack/ua/calls/call';
import type { CallEndInfo, ReferRequest } from '../../src/stack/ua/calls/call-types';
import type { IncomingCall } from '../../src/stack/ua/calls/incoming-call';
import type { OutgoingCall } from '../../src/stack/ua/calls/outgoing-call';
import { parseReplaces } from '../../src/stack/message/replaces';
import { closeAll, waitFor, waitForGrowth, waitForPeerAudio } from './media-test-helpers';
import {
  MEDIA,
  jssipPhone,
  type JsSipEndEvent,
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

function ended(call: Call, ms = 15000): Promise<CallEndInfo> {
  if (call.ended) return Promise.resolve(call.ended);
  return within(ms, `call ${call.id} to end`, new Promise((resolve) => call.events.on('ended', resolve)));
}

/** How a JsSIP session ended: who ended it, and JsSIP's cause. */
function jssipEnded(session: JsSipSession, what: string): Promise<Pick<JsSipEndEvent, 'originator' | 'cause'>> {
  return within(
    15000,
    what,
    new Promise((resolve) =>
      session.once<JsSipEndEvent>('ended', ({ originator, cause }) => resolve({ originator, cause })),
    ),
  );
}

/** The call that replaced `call` (RFC 3891: an INVITE with Replaces reached us). */
function replacedBy(call: Call): Promise<IncomingCall> {
  return within(15000, `call ${call.id} to be replaced`, new Promise((resolve) => call.events.on('replaced', resolve)));
}

/** The call our phone placed on accepting a REFER on `call`. */
function referredFrom(call: Call): Promise<OutgoingCall> {
  return within(
    15000,
    `a call on a REFER on call ${call.id}`,
    new Promise((resolve) => call.events.on('referred-call', resolve)),
  );
}

describeNeedingWebRTC('attended transfer with JsSIP through Kamailio (RFC 5589 §7, RFC 3891)', function () {
  this.timeout(60000);
  let server: KamailioInfo;
  let alice: TestPhone;
  let bob: TestPhone;
  let carol: TestPhone;
  let dave: JsSipPhone;

  before(async () => {
    server = await kamailio();
    [alice, bob, carol] = await Promise.all([
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
      [alice, bob, carol].flatMap((phone) => phone.ua.calls.map((call) => call.hangup().catch(() => undefined))),
    );
  });

  after(async () => {
    dave?.ua.stop();
    await Promise.all([alice, bob, carol].map((phone) => phone?.ua.stop()));
    closeAll();
  });

  /** One of our phones calls another, which answers. */
  async function ourCall(from: TestPhone, to: TestPhone, name: string): Promise<[OutgoingCall, IncomingCall]> {
    const call = from.ua.call(name);
    const incoming = await to.nextIncoming();
    await incoming.answer();
    await stateOf(call, 'connected', 15000);
    return [call, incoming];
  }

  /** One of our phones calls JsSIP (dave), which answers. */
  async function weCallJssip(from: TestPhone): Promise<[OutgoingCall, JsSipSession]> {
    const next = dave.nextSession();
    const call = from.ua.call('dave');
    const session = await next;
    await stateOf(call, 'connected', 15000);
    await waitFor('JsSIP to confirm the call', () => session.isEstablished());
    return [call, session];
  }

  /** JsSIP (dave) calls one of our phones, which answers. */
  async function jssipCalls(to: TestPhone, name: 'bob' | 'carol'): Promise<[JsSipSession, IncomingCall]> {
    const session = dave.ua.call(`sip:${server.users[name].user}@${server.domain}`, MEDIA);
    const incoming = await to.nextIncoming();
    await incoming.answer();
    await waitFor('JsSIP to confirm the call', () => session.isEstablished());
    return [session, incoming];
  }

  it('our alice consults our carol, then transfers JsSIP to carol: JsSIP INVITEs carol with Replaces, carol replaces her call with alice', async () => {
    const [x, xAtDave] = await weCallJssip(alice);
    const [y, yAtCarol] = await ourCall(alice, carol, 'carol');
    const referTo: string[] = [];
    xAtDave.on<JsSipReferEvent>('refer', (e) => {
      referTo.push(e.request.getHeader('Refer-To'));
      // A copy: accept() adds the Replaces header to the extraHeaders of the options it is given,
      // so a shared object would carry this Replaces into every later call.
      e.accept(undefined, { ...MEDIA });
    });
    const davesNew = dave.nextSession();
    const carolsNew = replacedBy(yAtCarol);
    const ends = {
      x: ended(x),
      y: ended(y),
      yAtCarol: ended(yAtCarol),
      xAtDave: jssipEnded(xAtDave, "JsSIP's transferred call to end"),
    };

    await x.transfer(y);
    // RFC 5589 §7: the Refer-To names carol, with the dialog as carol sees it (RFC 3891 §3).
    expect(referTo).to.have.length(1);
    const uri = referTo[0]!.slice(referTo[0]!.indexOf('<') + 1, referTo[0]!.lastIndexOf('>'));
    expect(uri).to.match(new RegExp(`^sip:${server.users.carol.user}@`));
    const replaces = parseReplaces(decodeURIComponent(uri.slice(uri.indexOf('?Replaces=') + '?Replaces='.length)));
    expect(replaces).to.deep.include({
      callId: yAtCarol.dialog!.callId,
      toTag: yAtCarol.dialog!.localTag,
      fromTag: yAtCarol.dialog!.remoteTag,
    });

    const [session, withDave] = await Promise.all([davesNew, carolsNew]);
    expect(withDave.remote.uri).to.contain(server.users.dave.user);
    await stateOf(withDave, 'connected');
    await waitFor('JsSIP to confirm the call to carol', () => session.isEstablished());
    // Carol: her call with alice was replaced, and she sent alice the BYE. Alice: the final NOTIFY
    // ended the transferred call, whose BYE reached JsSIP.
    expect((await ends.yAtCarol).cause).to.equal('replaced');
    expect((await ends.y).cause).to.equal('remote-hangup');
    expect((await ends.x).cause).to.equal('transferred');
    expect(await ends.xAtDave).to.deep.equal({ originator: 'remote', cause: 'Terminated' });
    expect(carol.incoming).to.not.include(withDave, 'the replacing call did not ring as a new one');

    await waitForGrowth(mediaOf(withDave), 'audio', 'bytesReceived', 'audio from JsSIP at carol');
    await waitForPeerAudio(session.connection, 'audio from carol at JsSIP');
  });

  it('JsSIP consults our carol, then transfers our bob to carol: bob INVITEs carol with Replaces (and Require), carol replaces her call with JsSIP', async () => {
    const [x, xAtBob] = await jssipCalls(bob, 'bob');
    const [y, yAtCarol] = await jssipCalls(carol, 'carol');
    const refers: ReferRequest[] = [];
    xAtBob.events.on('refer', (refer) => {
      refers.push(refer);
      refer.accept();
    });
    const bobsNew = referredFrom(xAtBob);
    const carolsNew = replacedBy(yAtCarol);
    const ends = {
      xAtBob: ended(xAtBob),
      yAtCarol: ended(yAtCarol),
      x: jssipEnded(x, "JsSIP's call with bob to end"),
      y: jssipEnded(y, "JsSIP's call with carol to end"),
    };
    const accepted = within(
      15000,
      'JsSIP to hear that the transfer succeeded',
      new Promise<void>((resolve) => {
        x.refer(`sip:${server.users.carol.user}@${server.domain}`, {
          replaces: y,
          eventHandlers: { accepted: () => resolve() },
        });
      }),
    );

    const [toCarol, withBob] = await Promise.all([bobsNew, carolsNew]);
    expect(refers.map((r) => r.target)).to.deep.equal([`sip:${server.users.carol.user}@${server.domain}`]);
    expect(parseReplaces(refers[0]!.replaces!)).to.deep.include({
      callId: yAtCarol.dialog!.callId,
      toTag: yAtCarol.dialog!.localTag,
      fromTag: yAtCarol.dialog!.remoteTag,
    });
    expect(withBob.remote.uri).to.contain(server.users.bob.user);
    await stateOf(toCarol, 'connected');
    await accepted;
    // RFC 5589 §7: the transferor leaves once the transfer has succeeded; JsSIP leaves that to its application.
    x.terminate();
    expect((await ends.yAtCarol).cause).to.equal('replaced');
    expect(await ends.y).to.deep.equal({ originator: 'remote', cause: 'Terminated' });
    expect((await ends.xAtBob).cause).to.equal('remote-hangup');
    expect((await ends.x).originator).to.equal('local');
    expect(withBob.state).to.equal('connected');

    await waitForGrowth(mediaOf(withBob), 'audio', 'bytesReceived', 'audio from bob at carol');
    await waitForGrowth(mediaOf(toCarol), 'audio', 'bytesReceived', 'audio from carol at bob');
  });

  it('our alice consults JsSIP, then transfers our bob to JsSIP: bob INVITEs JsSIP with Replaces, JsSIP replaces its call with alice', async () => {
    const [x, xAtBob] = await ourCall(alice, bob, 'bob');
    const [y, yAtDave] = await weCallJssip(alice);
    xAtBob.events.on('refer', (refer) => refer.accept());
    const replacing: JsSipReferEvent[] = [];
    yAtDave.on<JsSipReferEvent>('replaces', (e) => {
      replacing.push(e);
      e.accept();
    });
    const bobsNew = referredFrom(xAtBob);
    const davesNew = dave.nextSession();
    const ends = {
      x: ended(x),
      y: ended(y),
      xAtBob: ended(xAtBob),
      yAtDave: jssipEnded(yAtDave, "JsSIP's call with alice to end"),
    };

    await x.transfer(y);
    const [toDave, session] = await Promise.all([bobsNew, davesNew]);
    await stateOf(toDave, 'connected', 15000);
    await waitFor('JsSIP to confirm the call from bob', () => session.isEstablished());
    expect(replacing).to.have.length(1);
    const invite = replacing[0]!.request;
    expect(parseReplaces(invite.getHeader('Replaces'))).to.deep.include({
      callId: y.dialog!.callId,
      toTag: y.dialog!.remoteTag,
      fromTag: y.dialog!.localTag,
    });
    expect(invite.getHeader('Require')).to.equal('replaces');
    // JsSIP ends the replaced call itself once the new one is confirmed (a BYE to alice).
    expect(await ends.yAtDave).to.deep.equal({ originator: 'local', cause: 'Terminated' });
    expect((await ends.y).cause).to.equal('remote-hangup');
    expect((await ends.x).cause).to.equal('transferred');
    expect((await ends.xAtBob).cause).to.equal('remote-hangup');

    await waitForGrowth(mediaOf(toDave), 'audio', 'bytesReceived', 'audio from JsSIP at bob');
    await waitForPeerAudio(session.connection, 'audio from bob at JsSIP');
  });

  it('JsSIP transfers bob to carol over a consultation call carol placed: its Replaces tags come out swapped, carol answers 481, and all calls stay', async () => {
    const [x, xAtBob] = await jssipCalls(bob, 'bob');
    const ringing = carol.incoming.length;
    // Carol places the consultation call this time, so JsSIP's From tag is carol's.
    const next = dave.nextSession();
    const yAtCarol = carol.ua.call('dave');
    const y = await next;
    await stateOf(yAtCarol, 'connected', 15000);
    xAtBob.events.on('refer', (refer) => refer.accept());
    const bobsNew = referredFrom(xAtBob);
    const failed = within(
      15000,
      'JsSIP to hear that the transfer failed',
      new Promise<number>((resolve) => {
        x.refer(`sip:${server.users.carol.user}@${server.domain}`, {
          replaces: y,
          eventHandlers: {
            failed: (e) => resolve(Number((e as { status_line: { status_code: number } }).status_line.status_code)),
          },
        });
      }),
    );

    const toCarol = await bobsNew;
    expect(await failed).to.equal(481);
    expect((await ended(toCarol)).status).to.equal(481);
    expect(xAtBob.state).to.equal('connected');
    expect(yAtCarol.state).to.equal('connected');
    expect(carol.incoming).to.have.length(ringing, 'nothing rang at carol');
    await waitForGrowth(mediaOf(xAtBob), 'audio', 'bytesReceived', 'audio from JsSIP at bob, still');
    await waitForGrowth(mediaOf(yAtCarol), 'audio', 'bytesReceived', 'audio from JsSIP at carol, still');
  });
});
