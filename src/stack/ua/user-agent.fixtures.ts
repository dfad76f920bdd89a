// Test support: a user agent on one end of an in-memory transport pair, a fake clock, and a
// scripted server on the other end that answers with handlers the test gives.
import { computeDigestResponse, digestAlgorithm } from '../auth';
import { parseAuthHeader } from '../message/auth-header';
import { FakeClock } from '../core/clock.fake';
import { seededRandom } from '../core/seeded-random.fake';
import { settle } from '../core/settle.fixtures';
import { parseMessage } from '../message/parser';
import { isRequest, type SipRequest, type SipResponse } from '../message/message';
import { responseTo } from '../transaction/requests';
import { createMemoryTransportPair } from '../transport/memory-transport.fake';
import { UserAgent, type UserAgentOptions } from './user-agent';

export const REALM = 'example.test';

export function setup(options: Partial<UserAgentOptions> = {}) {
  const clock = new FakeClock();
  const pair = createMemoryTransportPair({ clock, random: seededRandom(7) });
  const ua = new UserAgent({
    aor: 'sip:alice@example.test',
    displayName: 'Alice',
    password: 'secret',
    transport: pair.a,
    clock,
    random: seededRandom(3),
    ...options,
  });
  const received: Array<SipRequest | SipResponse> = [];
  let handler: (request: SipRequest) => SipResponse | undefined = () => undefined;
  pair.b.onMessage((text) => {
    const message = parseMessage(text);
    received.push(message);
    if (!isRequest(message)) return;
    const answer = handler(message);
    if (answer) pair.b.send(answer.toString());
  });
  /** Runs the fake clock's due timers and the promise jobs they start until nothing is due. */
  const flush = () => settle(clock);
  return {
    clock,
    pair,
    ua,
    received,
    serve(next: (request: SipRequest) => SipResponse | undefined) {
      handler = next;
    },
    requests: (method: string) => received.filter((m): m is SipRequest => isRequest(m) && m.method === method),
    responses: () => received.filter((m): m is SipResponse => !isRequest(m)),
    flush,
    /** Sends raw text from the server end to the user agent. */
    inject(text: string) {
      pair.b.send(text);
    },
  };
}

/** A 401 challenge per RFC 7616 with qop=auth. */
export function challenge(request: SipRequest, nonce = 'n0nce'): SipResponse {
  const response = responseTo(request, 401, undefined, 'srv');
  response.setHeader('WWW-Authenticate', `Digest realm="${REALM}", nonce="${nonce}", qop="auth", algorithm=MD5`);
  return response;
}

/** Whether the request's Authorization is right for `password` (server-side check, RFC 7616 §3.4.1). */
export function authorized(request: SipRequest, password: string): boolean {
  const value = request.header('Authorization');
  if (!value) return false;
  const [credentials] = parseAuthHeader(value);
  const p = credentials!.params;
  const expected = computeDigestResponse({
    algorithm: digestAlgorithm('MD5')!,
    username: p.get('username')!,
    realm: p.get('realm')!,
    password,
    method: request.method,
    uri: p.get('uri')!,
    nonce: p.get('nonce')!,
    qop: 'auth',
    nc: p.get('nc')!,
    cnonce: p.get('cnonce')!,
  });
  return expected === p.get('response');
}
