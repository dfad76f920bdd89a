// <sip-phone auth-realm refuse-md5 require-qop> at a real Kamailio (MD5, qop=auth), in Chromium and
// Firefox (issue 15 item 2): which digest challenges the password answers.
import { expect, oneEvent } from '@open-wc/testing';
import type { SipPhone } from '../../src/components/sip-phone/sip-phone.component';
import { digestPolicy } from '../../src/components/sip-phone/digest-policy';
import { kamailio, makePhone, removePhones, waitFor, type KamailioInfo, type UserName } from './elements-helpers';

describe('<sip-phone> digest policy at Kamailio', () => {
  let info: KamailioInfo;
  const mine: SipPhone[] = [];

  /** A connected phone of `name` with `attributes` set before it joins the page (so its first user agent has them). */
  async function phoneWith(name: UserName, attributes: Record<string, string>, register: boolean): Promise<SipPhone> {
    const phone = document.createElement('sip-phone');
    phone.setAttribute('server', info.wsUrl);
    phone.setAttribute('user', info.users[name].user);
    phone.setAttribute('domain', info.domain);
    phone.toggleAttribute('register', register);
    for (const [attribute, value] of Object.entries(attributes)) phone.setAttribute(attribute, value);
    phone.password = info.users[name].password;
    document.body.append(phone);
    mine.push(phone);
    await phone.updateComplete;
    await waitFor('the connection', () => phone.connectionState === 'connected');
    return phone;
  }

  before(async () => {
    info = await kamailio();
  });
  afterEach(async () => {
    for (const phone of mine.splice(0)) phone.remove();
    await removePhones();
  });

  it('reads auth-realm as a space-separated list', () => {
    expect(
      digestPolicy({ authRealm: '  edge.example core.example\tedge.example ', refuseMd5: false, requireQop: true }),
    ).to.deep.equal({
      authRealms: ['edge.example', 'core.example'],
      refuseMd5: false,
      requireQop: true,
    });
    expect(digestPolicy({ authRealm: null, refuseMd5: true, requireQop: false }).authRealms).to.deep.equal([]);
  });

  it("refuse-md5: leaves Kamailio's MD5 challenge unanswered and says why", async () => {
    const phone = await phoneWith('alice', { 'refuse-md5': '' }, false);
    const failed = oneEvent(phone, 'sip-registration-failed');
    phone.setAttribute('register', '');
    const { detail } = await failed;
    expect(detail.status).to.equal(401);
    expect(detail.reason).to.match(/MD5 is refused/);
    expect(phone.registered).to.equal(false);
  });

  it('require-qop: still registers at Kamailio, whose challenges carry qop=auth', async () => {
    const phone = await phoneWith('alice', { 'require-qop': '' }, false);
    const registered = oneEvent(phone, 'sip-registered');
    phone.setAttribute('register', '');
    await registered;
    expect(phone.registered).to.equal(true);
  });

  it("auth-realm: a phone that has not registered answers the proxy's 407 only for a realm it names", async () => {
    await makePhone(info, 'bob');
    const stranger = await phoneWith('alice', {}, false);
    const refused = await stranger.sendMessage('bob', 'hi').then(
      () => undefined,
      (error: { status: number; message: string }) => error,
    );
    expect(refused?.status, 'no registrar has vouched for the realm yet').to.equal(407);
    expect(refused?.message).to.match(/not trusted/);

    const trusting = await phoneWith('alice', { 'auth-realm': `other.example ${info.domain}` }, false);
    expect(await trusting.sendMessage('bob', 'hi')).to.deep.equal({ status: 200, reason: 'OK' });
  });
});
