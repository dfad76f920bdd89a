// The call-setup benchmark's page (tools/bench/call-setup.bench.ts drives it through
// `window.bench`): two of our stack phones (the UserAgent, WebSocket transport and WebRTC media the
// elements use) and two JsSIP phones, all registered at the bench's Kamailio. Each measured call
// runs from call() to connected at the caller, is answered at once by the callee, and is hung up
// (both ends ended) before the next one starts, so calls never overlap unless asked to.
import { webRtcMediaSessionFactory } from '../../../src/media/webrtc-media-session-factory';
import { WebSocketTransport } from '../../../src/stack/transport/websocket-transport';
import type { Call } from '../../../src/stack/ua/calls/call';
import { UserAgent } from '../../../src/stack/ua/user-agent';

export interface Account {
  user: string;
  password: string;
}

export interface BenchSetup {
  wsUrl: string;
  domain: string;
  ours: [caller: Account, callee: Account];
  jssip: [caller: Account, callee: Account];
}

/* The slice of JsSIP's API used here (its browser bundle comes without types). */
interface JsSipSession {
  on(event: string, listener: (event: { cause?: string }) => void): void;
  answer(options: object): void;
  terminate(): void;
  isEnded(): boolean;
}
interface JsSipUa {
  on(event: string, listener: (event: { originator: string; session: JsSipSession; cause?: string }) => void): void;
  start(): void;
  stop(): void;
  call(target: string, options: object): JsSipSession;
}
interface JsSipModule {
  UA: new (config: object) => JsSipUa;
  WebSocketInterface: new (url: string) => object;
}

const AUDIO_ONLY = { audio: true, video: false };
const CALL_TIMEOUT_MS = 60000;

/** One call's timings from call(), ms: the INVITE on the wire, and connected at the caller. */
export interface CallTiming {
  invite: number;
  connected: number;
}

let setup: BenchSetup;
/** When the caller last put an INVITE (not a re-INVITE: a new Call-ID) on the wire. */
let inviteSentAt = NaN;
let iceServers: RTCIceServer[] = [];
let ours: { caller: UserAgent; callee: UserAgent; incoming: Call[] } | undefined;
let jssip: { caller: JsSipUa; callee: JsSipUa; incoming: JsSipSession[] } | undefined;

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function until(what: string, check: () => boolean, ms = 10000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const aor = (account: Account) => `sip:${account.user}@${setup.domain}`;

// ---- ours ----

/** Our WebSocket transport, noting when the first INVITE of a call leaves. */
function timedTransport(): WebSocketTransport {
  const transport = new WebSocketTransport({ url: setup.wsUrl, webSocket: WebSocket });
  const send = transport.send.bind(transport);
  transport.send = (text: string) => {
    if (Number.isNaN(inviteSentAt) && text.startsWith('INVITE ')) inviteSentAt = performance.now();
    send(text);
  };
  return transport;
}

async function ourPhone(account: Account, incoming?: Call[]): Promise<UserAgent> {
  const ua = new UserAgent({
    aor: aor(account),
    password: account.password,
    transport: incoming ? new WebSocketTransport({ url: setup.wsUrl, webSocket: WebSocket }) : timedTransport(),
    calls: { mediaSessionFactory: webRtcMediaSessionFactory(), iceServers },
  });
  if (incoming) {
    ua.events.on('incoming-call', (call) => {
      incoming.push(call);
      call.answer(AUDIO_ONLY).catch((error: Error) => console.error(`our callee could not answer: ${error.message}`));
    });
  }
  await ua.start();
  const { response } = await ua.register();
  if (response.status !== 200) throw new Error(`${account.user} (ours) registered with ${response.status}`);
  return ua;
}

/** Resolves when the call reaches `state`; rejects if it ends first. */
function reached(call: Call, state: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (call.state === state) resolve();
    call.events.on('state', (now) => {
      if (now === state) resolve();
    });
    call.events.on('ended', (info) =>
      reject(new Error(`our call ended before ${state}: ${info.cause} ${info.status ?? ''}`)),
    );
  });
}

async function callOurs(): Promise<CallTiming> {
  const phones = ours!;
  inviteSentAt = NaN;
  const started = performance.now();
  const call = phones.caller.call(aor(setup.ours[1]), AUDIO_ONLY);
  await within(CALL_TIMEOUT_MS, 'our call to connect', reached(call, 'connected'));
  const timing = { invite: inviteSentAt - started, connected: performance.now() - started };
  await call.hangup();
  await until('our callee to end the call', () => phones.incoming.every((c) => c.state === 'ended'));
  phones.incoming.length = 0;
  return timing;
}

// ---- JsSIP ----

async function jssipPhone(JsSIP: JsSipModule, account: Account, incoming?: JsSipSession[]): Promise<JsSipUa> {
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(setup.wsUrl)],
    uri: aor(account),
    password: account.password,
    register: true,
  });
  if (incoming) {
    ua.on('newRTCSession', ({ originator, session }) => {
      if (originator !== 'remote') return;
      incoming.push(session);
      session.answer({ mediaConstraints: AUDIO_ONLY, pcConfig: { iceServers } });
    });
  }
  const registered = new Promise<void>((resolve, reject) => {
    ua.on('registered', () => resolve());
    ua.on('registrationFailed', (event) =>
      reject(new Error(`${account.user} (JsSIP) registration failed: ${event.cause}`)),
    );
  });
  ua.start();
  await within(10000, `${account.user} (JsSIP) to register`, registered);
  return ua;
}

/**
 * One JsSIP call from call() to 'confirmed' at the caller (its 2xx arrived and the ACK left);
 * JsSIP's 'sending' event comes as the INVITE is handed to the socket.
 */
async function jssipCallSetup(): Promise<{ timing: CallTiming; session: JsSipSession }> {
  const started = performance.now();
  let invite = NaN;
  const session = jssip!.caller.call(aor(setup.jssip[1]), {
    mediaConstraints: AUDIO_ONLY,
    pcConfig: { iceServers },
    eventHandlers: { sending: () => (invite = performance.now() - started) },
  });
  const confirmed = new Promise<void>((resolve, reject) => {
    session.on('confirmed', () => resolve());
    session.on('failed', (event) => reject(new Error(`JsSIP call failed: ${event.cause}`)));
  });
  await within(CALL_TIMEOUT_MS, 'the JsSIP call to be confirmed', confirmed);
  return { timing: { invite, connected: performance.now() - started }, session };
}

/** `count` JsSIP calls placed at once (for the slow case only); each one's own timings. */
async function callJsSip(count = 1): Promise<CallTiming[]> {
  const phones = jssip!;
  const calls = await Promise.all(Array.from({ length: count }, () => jssipCallSetup()));
  for (const { session } of calls) session.terminate();
  await until('the JsSIP callee to end every call', () => phones.incoming.every((s) => s.isEnded()));
  phones.incoming.length = 0;
  return calls.map((call) => call.timing);
}

// ---- lifecycle ----

async function stopOurs(): Promise<void> {
  const phones = ours;
  ours = undefined;
  if (phones) await Promise.allSettled([phones.caller.stop(), phones.callee.stop()]);
}

const bench = {
  /** Registers all four phones. */
  async start(config: BenchSetup): Promise<void> {
    setup = config;
    const JsSIP = (await import(/* @vite-ignore */ '/__peers/jssip.js' as string)).default as JsSipModule;
    const incoming: JsSipSession[] = [];
    jssip = {
      caller: await jssipPhone(JsSIP, config.jssip[0]),
      callee: await jssipPhone(JsSIP, config.jssip[1], incoming),
      incoming,
    };
    await bench.useIceServers([]);
  },
  /**
   * The ICE servers of later calls: JsSIP takes them per call and answer; ours per user agent, so
   * our two phones are made anew with them.
   */
  async useIceServers(servers: RTCIceServer[]): Promise<void> {
    iceServers = servers;
    await stopOurs();
    const incoming: Call[] = [];
    ours = { caller: await ourPhone(setup.ours[0]), callee: await ourPhone(setup.ours[1], incoming), incoming };
  },
  callOurs,
  callJsSip,
  async stop(): Promise<void> {
    await stopOurs();
    jssip?.caller.stop();
    jssip?.callee.stop();
    jssip = undefined;
  },
};

declare global {
  interface Window {
    bench: typeof bench;
  }
}
window.bench = bench;
document.getElementById('status')!.textContent = 'ready';
