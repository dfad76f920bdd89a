// Interop with SIP.js (npm `sip.js`), the other established client nobody here wrote: in the same
// browser, through the same Kamailio, our phone calls a SIP.js phone and a SIP.js phone calls ours,
// with media proven both ways and a hang-up from either side.
import { expect } from '@open-wc/testing';
import type { CallEndInfo } from '../../src/stack/ua/calls/call-types';
import { closeAll, waitFor, waitForGrowth, waitForPeerAudio } from './media-test-helpers';
import { kamailio, mediaOf, registeredPhone, stateOf, within, type KamailioInfo, type TestPhone } from './phone-fixtures';

const SIPJS_URL = '/__peers/sip.js';

/* The slice of SIP.js's API these tests use. */
interface SipJsSession {
  state: string;
  sessionDescriptionHandler?: { peerConnection: RTCPeerConnection };
  stateChange: { addListener(fn: (state: string) => void): void };
  bye(): Promise<unknown>;
}
interface SipJsPhone {
  sessions: SipJsSession[];
  call(target: string): Promise<SipJsSession>;
  stop(): Promise<void>;
}

const media = { sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } };

async function sipjsPhone(server: KamailioInfo, name: 'carol'): Promise<SipJsPhone> {
  const SIP = await import(/* @vite-ignore */ SIPJS_URL as string);
  const account = server.users[name];
  const sessions: SipJsSession[] = [];
  const ua = new SIP.UserAgent({
    uri: SIP.UserAgent.makeURI(`sip:${account.user}@${server.domain}`),
    transportOptions: { server: server.wsUrl },
    authorizationUsername: account.user,
    authorizationPassword: account.password,
    logLevel: 'error',
    sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] } },
    delegate: {
      onInvite(invitation: SipJsSession & { accept(options: object): Promise<void> }) {
        sessions.push(invitation);
        void invitation.accept(media);
      },
    },
  });
  await ua.start();
  const registerer = new SIP.Registerer(ua);
  const registered = new Promise<void>((resolve) =>
    registerer.stateChange.addListener((state: string) => state === SIP.RegistererState.Registered && resolve()),
  );
  await registerer.register();
  await within(10000, 'SIP.js to register', registered);
  return {
    sessions,
    async call(target) {
      const inviter = new SIP.Inviter(ua, SIP.UserAgent.makeURI(target), media);
      sessions.push(inviter);
      await inviter.invite();
      return inviter;
    },
    async stop() {
      await registerer.unregister().catch(() => undefined);
      await ua.stop();
    },
  };
}

describe('interop with SIP.js through Kamailio', function () {
  this.timeout(60000);
  let ours: TestPhone;
  let carol: SipJsPhone;
  let domain: string;

  before(async () => {
    const server = await kamailio();
    domain = server.domain;
    ours = await registeredPhone(server, 'alice');
    carol = await sipjsPhone(server, 'carol');
  });

  after(async () => {
    await carol?.stop();
    await ours?.ua.stop();
    closeAll();
  });

  it('our phone calls SIP.js: answered, media both ways, we hang up', async () => {
    const call = ours.ua.call('carol');
    await stateOf(call, 'connected', 15000);
    const session = carol.sessions.at(-1)!;
    await waitFor('SIP.js to establish the session', () => session.state === 'Established');
    await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio from SIP.js at our phone');
    await waitForPeerAudio(session.sessionDescriptionHandler!.peerConnection, 'audio from our phone at SIP.js');
    await call.hangup();
    await waitFor('SIP.js to see the BYE', () => session.state === 'Terminated');
  });

  it('SIP.js calls our phone: we answer, media both ways, SIP.js hangs up', async () => {
    const incoming = ours.nextIncoming();
    const session = await carol.call(`sip:alice@${domain}`);
    const call = await incoming;
    expect(call.remote.uri).to.contain('carol');
    const ended = within<CallEndInfo>(15000, 'our call to end', new Promise((resolve) => call.events.on('ended', resolve)));
    await call.answer();
    await waitFor('SIP.js to establish the session', () => session.state === 'Established');
    await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio from SIP.js at our phone');
    await waitForPeerAudio(session.sessionDescriptionHandler!.peerConnection, 'audio from our phone at SIP.js');
    await session.bye();
    expect((await ended).cause).to.equal('remote-hangup');
  });
});
