// Browser test support: stack user agents with WebRTC media, on the browser's own WebSocket, at
// the real Kamailio that the test runner's plugin started for this browser.
import { executeServerCommand } from '@web/test-runner-commands';
import { WebSocketTransport } from '../../src/stack/transport/websocket-transport';
import { UserAgent } from '../../src/stack/ua/user-agent';
import type { IncomingCall } from '../../src/stack/ua/calls/incoming-call';
import type { Call } from '../../src/stack/ua/calls/call';
import type { SessionTimerOptions } from '../../src/stack/ua/calls/session-timer';
import { webRtcMediaSessionFactory } from '../../src/media/webrtc-media-session-factory';
import type { WebRtcMediaSession } from '../../src/media/webrtc-media-session';

/** What the Kamailio plugin tells a browser test (one type for every helper). */
export interface KamailioInfo {
  wsUrl: string;
  wssUrl: string;
  domain: string;
  users: Record<'alice' | 'bob' | 'carol' | 'dave', { user: string; password: string }>;
}

export function kamailio(): Promise<KamailioInfo> {
  return executeServerCommand('kamailio', { action: 'info' }) as Promise<KamailioInfo>;
}

export interface TestPhone {
  ua: UserAgent;
  incoming: IncomingCall[];
  nextIncoming(): Promise<IncomingCall>;
}

/**
 * Reconnects as a lone phone may want them: retries within 250 ms and at most 3 s apart, for
 * tests about what survives a server restart rather than how many phones come back when. The
 * default spreads the retries over 25 s (websocket-transport.ts DEFAULT_RECONNECT).
 */
export const QUICK_RECONNECT = {
  initialDelayMs: 250,
  maxDelayMs: 3_000,
  factor: 2,
  jitter: 'full',
  stableAfterMs: 10_000,
} as const;

export async function registeredPhone(
  server: KamailioInfo,
  name: keyof KamailioInfo['users'],
  options: { reconnect?: typeof QUICK_RECONNECT; sessionTimers?: SessionTimerOptions } = {},
): Promise<TestPhone> {
  const account = server.users[name];
  const ua = new UserAgent({
    aor: `sip:${account.user}@${server.domain}`,
    displayName: name[0]!.toUpperCase() + name.slice(1),
    password: account.password,
    transport: new WebSocketTransport({ url: server.wsUrl, webSocket: WebSocket, reconnect: options.reconnect }),
    calls: { mediaSessionFactory: webRtcMediaSessionFactory(), sessionTimers: options.sessionTimers },
  });
  const incoming: IncomingCall[] = [];
  const waiting: Array<(call: IncomingCall) => void> = [];
  ua.events.on('incoming-call', (call) => {
    incoming.push(call);
    waiting.shift()?.(call);
  });
  await ua.start();
  const { response } = await ua.register();
  if (response.status !== 200) throw new Error(`${name} could not register: ${response.status} ${response.reason}`);
  return {
    ua,
    incoming,
    nextIncoming: () => within(10000, `an incoming call at ${name}`, new Promise((resolve) => waiting.push(resolve))),
  };
}

export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms),
    ),
  ]);
}

export function stateOf(call: Call, wanted: Call['state'], ms = 10000): Promise<void> {
  if (call.state === wanted) return Promise.resolve();
  return within(
    ms,
    `call state ${wanted} (it is ${call.state})`,
    new Promise<void>((resolve) => {
      const off = call.events.on('state', (state) => {
        if (state !== wanted) return;
        off();
        resolve();
      });
    }),
  );
}

export function mediaOf(call: Call): WebRtcMediaSession {
  return call.media as WebRtcMediaSession;
}
