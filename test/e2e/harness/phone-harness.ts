// A page with one stack phone (no elements), driven by end-to-end tests through `window.harness`:
// the same UserAgent, WebSocket transport and WebRTC media the elements use, in whichever browser
// loads it. Served by the demo server, under its strict Content-Security-Policy.
import { WebSocketTransport } from '../../../src/stack/transport/websocket-transport';
import { UserAgent } from '../../../src/stack/ua/user-agent';
import type { Call } from '../../../src/stack/ua/calls/call';
import { webRtcMediaSessionFactory } from '../../../src/media/webrtc-media-session-factory';
import type { WebRtcMediaSession } from '../../../src/media/webrtc-media-session';

let ua: UserAgent | undefined;
let current: Call | undefined;
const log: string[] = [];
const badMessages: Array<{ message: string; answered: boolean }> = [];
const messages: string[] = [];

function follow(call: Call): void {
  current = call;
  call.events.on('state', (state) => log.push(`state ${state}`));
  call.events.on('ended', ({ cause, status }) => log.push(`ended ${cause} ${status ?? ''}`));
}

async function inbound(kind: 'audio' | 'video'): Promise<{ packets: number; bytes: number; frames: number }> {
  const totals = { packets: 0, bytes: 0, frames: 0 };
  const media = current?.media as WebRtcMediaSession | undefined;
  if (!media) return totals;
  (await media.getStats()).forEach((report) => {
    if (report.type !== 'inbound-rtp' || report.kind !== kind) return;
    totals.packets += report.packetsReceived ?? 0;
    totals.bytes += report.bytesReceived ?? 0;
    totals.frames += report.framesDecoded ?? 0;
  });
  return totals;
}

const harness = {
  log,
  badMessages,
  messages,
  async start(config: { server: string; aor: string; password?: string }): Promise<number> {
    ua = new UserAgent({
      aor: config.aor,
      password: config.password,
      transport: new WebSocketTransport({ url: config.server, webSocket: WebSocket }),
      calls: { mediaSessionFactory: webRtcMediaSessionFactory() },
    });
    ua.events.on('bad-message', ({ error, answered }) => badMessages.push({ message: error.message, answered }));
    ua.events.on('message', ({ body }) => messages.push(body));
    ua.events.on('incoming-call', (call) => {
      log.push(`incoming ${call.remote.uri}`);
      follow(call);
    });
    await ua.start();
    const { response } = await ua.register();
    document.getElementById('status')!.textContent = `registered ${response.status}`;
    return response.status;
  },
  call(target: string, video = false): void {
    follow(ua!.call(target, { audio: true, video }));
  },
  async answer(video = false): Promise<void> {
    const call = current as Call & { answer?: (o: object) => Promise<void> };
    await call.answer!({ audio: true, video });
  },
  state: () => current?.state ?? 'none',
  ended: () => current?.ended,
  register: async () => (await ua!.register()).response.status,
  message: async (target: string, text: string) => (await ua!.sendMessage(target, text)).status,
  hold: () => current!.hold(),
  unhold: () => current!.unhold(),
  hangup: () => current!.hangup(),
  setVideo: (enabled: boolean) => current!.setVideo(enabled),
  inbound,
  async stop(): Promise<void> {
    await ua?.stop();
  },
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}
window.harness = harness;
document.getElementById('status')!.textContent = 'ready';
