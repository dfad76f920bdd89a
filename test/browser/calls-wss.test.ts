// Two <sip-phone> elements over wss:// (SIP over secure WebSocket, RFC 7118 §1: the transport a
// page served over https must use) to Kamailio's WSS listener, in Chromium and Firefox: register,
// call with audio both ways, MESSAGE, hang up. The listener's throwaway certificate is accepted by
// the test browsers only (tools/test-certificate.mjs).
import { expect, oneEvent } from '@open-wc/testing';
import type { SipCall } from '../../src/index';
import {
  kamailio,
  makePhone,
  removePhones,
  socketOf,
  waitFor,
  waitForMedia,
  type KamailioInfo,
} from './elements-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

describeNeedingWebRTC('<sip-phone> over wss://', () => {
  let info: KamailioInfo;

  before(async () => {
    info = await kamailio();
  });
  afterEach(removePhones);

  it('registers, calls with media both ways, exchanges a MESSAGE and hangs up', async () => {
    expect(info.wssUrl).to.match(/^wss:\/\/127\.0\.0\.1:\d+$/);
    const alice = await makePhone(info, 'alice', { server: info.wssUrl });
    const bob = await makePhone(info, 'bob', { server: info.wssUrl });
    for (const phone of [alice, bob]) {
      expect(phone.registered).to.equal(true);
      expect(socketOf.get(phone)!.url).to.match(/^wss:\/\/127\.0\.0\.1:\d+\/?$/);
    }
    const ringing = oneEvent(bob, 'sip-incoming');
    const outgoing = await alice.call('bob');
    const incoming: SipCall = (await ringing).detail.call;
    await incoming.answer();
    await waitFor('both ends connected', () => outgoing.state === 'connected' && incoming.state === 'connected');
    await Promise.all([
      waitForMedia(outgoing, 'audio', 'audio at Alice'),
      waitForMedia(incoming, 'audio', 'audio at Bob'),
    ]);
    const message = oneEvent(alice, 'sip-message');
    expect(await bob.sendMessage('alice', 'over TLS')).to.deep.equal({ status: 200, reason: 'OK' });
    expect((await message).detail.body).to.equal('over TLS');
    const ended = oneEvent(incoming, 'sip-call-ended');
    await outgoing.hangup();
    expect((await ended).detail.cause).to.equal('remote-hangup');
    expect(incoming.state).to.equal('ended');
  });
});
