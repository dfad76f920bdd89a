// REFER consent (issue 15 item 3) end to end, with JsSIP as the referrer through Kamailio: a
// <sip-phone> with the default transfer-policy ("ask") answers JsSIP's REFER 202 at once (Kamailio
// would answer 408 for it after its 10 s fr_timer), shows the question in its <sip-call>, and
// calls no one until the user clicks. Accept makes an audio-only call even from a video call (no
// camera to the stranger the referrer named); Decline reaches JsSIP as a NOTIFY with 603.
import { expect, oneEvent } from '@open-wc/testing';
import type { SipCall, SipPhone } from '../../src/index';
import { makePhone, recordEvents, removePhones, waitFor, waitForMedia } from './elements-helpers';
import { MEDIA, jssipPhone, type JsSipPhone, type JsSipSession } from './interop-jssip-peer';
import { kamailio, within, type KamailioInfo } from './phone-fixtures';
import { describeNeedingWebRTC } from './webrtc-capability';

const VIDEO = { ...MEDIA, mediaConstraints: { audio: true, video: true } };

const button = (call: SipCall, name: string) => call.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="${name}"]`);

describeNeedingWebRTC('REFER consent with JsSIP through Kamailio (RFC 3515 §2.4.2, issue 15 item 3)', function () {
  this.timeout(60000);
  let server: KamailioInfo;
  let dave: JsSipPhone;
  let alice: SipPhone;
  let bob: SipPhone;

  // JsSIP's socket is one removePhones() waits for too (elements-helpers tracks every WebSocket of
  // the page), so each test has its own JsSIP user agent, stopped before the phones are removed.
  before(async () => {
    server = await kamailio();
  });
  beforeEach(async () => {
    dave = await jssipPhone(server, 'dave');
    alice = await makePhone(server, 'alice');
    bob = await makePhone(server, 'bob');
  });
  afterEach(async () => {
    for (const session of dave.sessions) if (!session.isEnded()) session.terminate();
    dave.ua.stop();
    await removePhones();
  });

  /** JsSIP calls alice's <sip-phone>, which answers (with video when JsSIP offers it). */
  async function jssipCallsAlice(media: typeof MEDIA): Promise<{ call: SipCall; session: JsSipSession }> {
    const ringing = oneEvent(alice, 'sip-incoming');
    const session = dave.ua.call(`sip:${server.users.alice.user}@${server.domain}`, media);
    const call = (await ringing).detail.call;
    await call.answer({ video: media === VIDEO });
    await waitFor('JsSIP to confirm the call', () => session.isEstablished());
    return { call, session };
  }

  /** JsSIP REFERs its session to bob; the progress JsSIP reports, as it comes. */
  function referToBob(session: JsSipSession): string[] {
    const progress: string[] = [];
    session.refer(`sip:${server.users.bob.user}@${server.domain}`, {
      eventHandlers: {
        requestSucceeded: () => progress.push('202'),
        accepted: () => progress.push('accepted'),
        failed: (e) =>
          progress.push(`failed ${(e as { status_line?: { status_code: number } }).status_line?.status_code}`),
      },
    });
    return progress;
  }

  it('asks in the <sip-call>; nothing is dialled until Accept, which makes an audio-only call from a video call, and JsSIP hears success', async () => {
    const { call, session } = await jssipCallsAlice(VIDEO);
    expect(call.call!.media!.video, 'a video call').to.equal(true);
    const ringsAtBob = recordEvents(bob, ['sip-incoming']);
    const asked = oneEvent(call, 'sip-transfer-request');
    const progress = referToBob(session);
    expect((await asked).detail.target).to.equal(`sip:${server.users.bob.user}@${server.domain}`);
    await call.updateComplete;
    expect(call.shadowRoot!.querySelector('[part="transfer-target"]')!.textContent).to.equal(
      `sip:${server.users.bob.user}@${server.domain}`,
    );
    await waitFor('JsSIP to get the 202 while the user decides', () => progress.includes('202'));
    await expect(call).to.be.accessible();
    expect(ringsAtBob, 'no call before the user says so').to.deep.equal([]);

    const atBob = oneEvent(bob, 'sip-incoming');
    button(call, 'accept-transfer-button')!.click();
    const incoming = (await atBob).detail.call;
    expect(incoming.call!.offersVideo, 'the referred call offers no video').to.equal(false);
    await incoming.answer();
    await waitFor(`JsSIP to hear that the transfer succeeded (${progress.join(', ')})`, () =>
      progress.includes('accepted'),
    );
    const referred = alice.calls.find((element) => element !== call)!;
    expect(referred.remote!.uri).to.contain(server.users.bob.user);
    expect(referred.call!.media!.video).to.equal(false);
    await waitForMedia(referred, 'audio', 'audio from bob on the referred call');
    expect(progress).to.not.include.members(['failed 603']);
  });

  it('Decline reaches JsSIP as a NOTIFY with 603, and the call goes on', async () => {
    const { call, session } = await jssipCallsAlice(MEDIA);
    const asked = oneEvent(call, 'sip-transfer-request');
    const ringsAtBob = recordEvents(bob, ['sip-incoming']);
    const progress = referToBob(session);
    await asked;
    await call.updateComplete;
    button(call, 'decline-transfer-button')!.click();
    await within(
      10000,
      `JsSIP to hear 603 (${progress.join(', ')})`,
      waitFor('the failure', () => progress.includes('failed 603')),
    );
    await call.updateComplete;
    expect(button(call, 'accept-transfer-button'), 'the question is gone').to.equal(null);
    expect(ringsAtBob).to.deep.equal([]);
    expect(call.state).to.equal('connected');
    expect(session.isEstablished()).to.equal(true);
  });

  it('<sip-phone transfer-policy="accept"> passes the policy to its calls: followed at once, with no question', async () => {
    alice.setAttribute('transfer-policy', 'accept');
    await alice.updateComplete;
    const { call, session } = await jssipCallsAlice(MEDIA);
    expect(call.transferPolicy).to.equal('accept');
    const atBob = oneEvent(bob, 'sip-incoming');
    const progress = referToBob(session);
    const incoming = (await atBob).detail.call;
    await call.updateComplete;
    expect(button(call, 'accept-transfer-button'), 'no question').to.equal(null);
    await incoming.answer();
    await waitFor(`JsSIP to hear that the transfer succeeded (${progress.join(', ')})`, () =>
      progress.includes('accepted'),
    );
  });
});
