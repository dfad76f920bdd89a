// Size benchmark fixture: a JsSIP app doing the same as ours (UA on a WebSocket, register, call).
import JsSIP from 'jssip';

const ua = new JsSIP.UA({
  sockets: [new JsSIP.WebSocketInterface('wss://sip.example.com/ws')],
  uri: 'sip:alice@example.com',
  password: 'secret',
  register: true,
});
ua.start();
ua.call('sip:bob@example.com', { mediaConstraints: { audio: true, video: false } });
