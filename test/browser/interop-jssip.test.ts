// Interop with a client nobody here wrote: JsSIP (npm `jssip`), in the same browser, through the
// same Kamailio. Our phone calls a JsSIP phone and a JsSIP phone calls ours; media must flow both
// ways (getStats on both peer connections), and either side can hang up.
import { expect } from '@open-wc/testing';
import type { CallEndInfo } from '../../src/stack/ua/calls/call-types';
import { closeAll, waitFor, waitForGrowth, waitForPeerAudio } from './media-test-helpers';
import { kamailio, mediaOf, registeredPhone, stateOf, within, type KamailioInfo, type TestPhone } from './phone-fixtures';

const JSSIP_URL = '/__peers/jssip.js';

/* The slice of JsSIP's API these tests use (JsSIP ships no types for its browser bundle here). */
interface JsSipSession {
  connection: RTCPeerConnection;
  on(event: string, fn: (e: unknown) => void): void;
  answer(options: object): void;
  terminate(): void;
  isEstablished(): boolean;
  isEnded(): boolean;
}
interface JsSipUa {
  start(): void;
  stop(): void;
  on(event: string, fn: (e: { originator: string; session: JsSipSession }) => void): void;
  call(target: string, options: object): JsSipSession;
}

async function jssipPhone(server: KamailioInfo, name: 'dave'): Promise<{ ua: JsSipUa; sessions: JsSipSession[] }> {
  const JsSIP = (await import(/* @vite-ignore */ JSSIP_URL as string)).default;
  const account = server.users[name];
  const ua: JsSipUa = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(server.wsUrl)],
    uri: `sip:${account.user}@${server.domain}`,
    password: account.password,
    register: true,
  });
  const sessions: JsSipSession[] = [];
  const registered = new Promise<void>((resolve, reject) => {
    (ua as unknown as { on(e: string, f: (x: { cause?: string }) => void): void }).on('registered', () => resolve());
    (ua as unknown as { on(e: string, f: (x: { cause?: string }) => void): void }).on('registrationFailed', (e) => reject(new Error(`JsSIP registration failed: ${e.cause}`)));
  });
  ua.on('newRTCSession', ({ originator, session }) => {
    sessions.push(session);
    if (originator === 'remote') session.answer({ mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
  });
  ua.start();
  await within(10000, 'JsSIP to register', registered);
  return { ua, sessions };
}

describe('interop with JsSIP through Kamailio', function () {
  this.timeout(60000);
  let ours: TestPhone;
  let dave: Awaited<ReturnType<typeof jssipPhone>>;

  before(async () => {
    const server = await kamailio();
    ours = await registeredPhone(server, 'alice');
    dave = await jssipPhone(server, 'dave');
  });

  after(async () => {
    dave?.ua.stop();
    await ours?.ua.stop();
    closeAll();
  });

  it('our phone calls JsSIP: answered, media both ways, we hang up', async () => {
    const call = ours.ua.call('dave');
    await stateOf(call, 'connected', 15000);
    const session = dave.sessions.at(-1)!;
    await waitForGrowth(mediaOf(call), 'audio', 'bytesReceived', 'audio from JsSIP at our phone');
    await waitForPeerAudio(session.connection, 'audio from our phone at JsSIP');
    await call.hangup();
    await waitFor('JsSIP to see the BYE', () => session.isEnded());
  });

  it('JsSIP calls our phone: we answer, media both ways, JsSIP hangs up', async () => {
    const session = dave.ua.call('sip:alice@' + (await kamailio()).domain, { mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
    const incoming = await ours.nextIncoming();
    expect(incoming.remote.uri).to.contain('dave');
    const ended = within<CallEndInfo>(15000, 'our call to end', new Promise((resolve) => incoming.events.on('ended', resolve)));
    await incoming.answer();
    await waitFor('JsSIP to confirm the call', () => session.isEstablished());
    await waitForGrowth(mediaOf(incoming), 'audio', 'bytesReceived', 'audio from JsSIP at our phone');
    await waitForPeerAudio(session.connection, 'audio from our phone at JsSIP');
    session.terminate();
    expect((await ended).cause).to.equal('remote-hangup');
  });
});
