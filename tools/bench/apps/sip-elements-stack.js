// Size benchmark fixture: our stack without the elements, doing what the peer apps do (a user
// agent on a WebSocket, register, one call with WebRTC media), to compare stack with stack.
import { UserAgent } from '../../../src/stack/ua/user-agent.ts';
import { WebSocketTransport } from '../../../src/stack/transport/websocket-transport.ts';
import { webRtcMediaSessionFactory } from '../../../src/media/webrtc-media-session-factory.ts';

const ua = new UserAgent({
  aor: 'sip:alice@example.com',
  password: 'secret',
  transport: new WebSocketTransport({ url: 'wss://sip.example.com/ws', webSocket: WebSocket }),
  calls: { mediaSessionFactory: webRtcMediaSessionFactory() },
});
await ua.start();
await ua.register();
ua.call('sip:bob@example.com', { audio: true, video: false });
