// Do-not-disturb and missed calls with a caller nobody here wrote: JsSIP (npm `jssip`) calls a
// <sip-phone> through Kamailio. With `dnd`, JsSIP's call fails with 486 Busy Here (RFC 3261
// §21.4.7), JsSIP's own cause "Busy", and it never hears a ring; without it, JsSIP calling and then
// hanging up before the answer (CANCEL, §9.1) leaves a missed call in the phone's history and badge.
import { expect, oneEvent } from '@open-wc/testing';
import type { SipPhone } from '../../src/index';
import { makePhone, removePhones, waitFor } from './elements-helpers';
import { MEDIA, jssipPhone, nextEvent, type JsSipPhone } from './interop-jssip-peer';
import { kamailio, type KamailioInfo } from './phone-fixtures';
import { describeNeedingWebRTC } from './webrtc-capability';

/** JsSIP's 'failed' event: who ended it, JsSIP's cause, and the response that did. */
interface JsSipFailed {
  originator: string;
  cause: string;
  message?: { status_code?: number };
}

describeNeedingWebRTC('do-not-disturb and missed calls with JsSIP calling through Kamailio', function () {
  this.timeout(60000);
  let server: KamailioInfo;
  let dave: JsSipPhone;
  let alice: SipPhone;

  // JsSIP's socket is one removePhones() waits for too: each test has its own JsSIP user agent.
  before(async () => {
    server = await kamailio();
  });
  beforeEach(async () => {
    dave = await jssipPhone(server, 'dave');
    alice = await makePhone(server, 'alice');
  });
  afterEach(async () => {
    for (const session of dave.sessions) if (!session.isEnded()) session.terminate();
    dave.ua.stop();
    await removePhones();
  });

  const aliceUri = () => `sip:${server.users.alice.user}@${server.domain}`;

  it('JsSIP calls a phone in do-not-disturb: 486 Busy Here, no ring, and a missed call marked dnd', async () => {
    alice.dnd = true;
    await alice.updateComplete;
    const incoming = oneEvent(alice, 'sip-incoming');
    const session = dave.ua.call(aliceUri(), MEDIA);
    const rang: string[] = [];
    session.on('progress', () => rang.push('progress'));
    const failed = await nextEvent<JsSipFailed>(session, 'failed', 'JsSIP to see its call fail', 20000);
    expect(failed.originator).to.equal('remote');
    expect(failed.message?.status_code).to.equal(486);
    expect(failed.cause).to.equal('Busy');
    expect(rang, 'no 180 Ringing before the 486').to.deep.equal([]);
    const event = await incoming;
    expect(event.detail.declined).to.equal('dnd');
    expect(event.detail.from).to.contain(server.users.dave.user);
    await waitFor('the missed call in the history', () => alice.history.length === 1);
    expect(alice.history[0]).to.include({
      direction: 'incoming',
      cause: 'declined',
      status: 486,
      missed: true,
      dnd: true,
    });
    expect(alice.history[0]!.uri).to.contain(server.users.dave.user);
    expect(alice.getAttribute('missed-calls')).to.equal('1');
    expect(alice.calls).to.deep.equal([]);
  });

  it('JsSIP calls and hangs up before the answer: a missed call in the history, and the badge', async () => {
    const ringing = oneEvent(alice, 'sip-incoming');
    const session = dave.ua.call(aliceUri(), MEDIA);
    const progress = nextEvent(session, 'progress', 'JsSIP to hear the phone ring');
    expect((await ringing).detail.declined).to.equal(undefined);
    await progress;
    expect(alice.tone).to.equal('ringtone');
    const added = oneEvent(alice, 'sip-history');
    session.terminate(); // CANCEL
    const { kind, entry } = (await added).detail;
    expect(kind).to.equal('added');
    expect(entry).to.include({
      direction: 'incoming',
      cause: 'remote-canceled',
      status: 487,
      missed: true,
      dnd: false,
      duration: 0,
    });
    expect(entry!.uri).to.contain(server.users.dave.user);
    expect(alice.history).to.deep.equal([entry]);
    await alice.updateComplete;
    expect(alice.getAttribute('missed-calls')).to.equal('1');
    expect(alice.shadowRoot!.querySelector('[part~="missed-badge"]')!.textContent).to.equal('1');
    expect(alice.tone).to.equal(undefined);
  });
});
