// Size benchmark fixture: a SIP.js app doing the same as ours (UserAgent with its default web
// transport and session description handler, Registerer, Inviter).
import { Inviter, Registerer, UserAgent } from 'sip.js';

const userAgent = new UserAgent({
  uri: UserAgent.makeURI('sip:alice@example.com'),
  authorizationPassword: 'secret',
  transportOptions: { server: 'wss://sip.example.com/ws' },
});
await userAgent.start();
await new Registerer(userAgent).register();
await new Inviter(userAgent, UserAgent.makeURI('sip:bob@example.com')).invite({
  sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
});
