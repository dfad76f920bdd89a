// Test support: one of our phones calling a far end that the test scripts by hand on the other end
// of an in-memory pair (requests it receives are collected; responses and requests are written).
import { FakeClock } from '../../core/clock.fake';
import { seededRandom } from '../../core/seeded-random.fake';
import { settle } from '../../core/settle.fixtures';
import { parseMessage } from '../../message/parser';
import type { SipRequest, SipResponse } from '../../message/message';
import { responseTo } from '../../transaction/requests';
import { createMemoryTransportPair } from '../../transport/memory-transport.fake';
import { FakeMediaSession, fakeMediaSessionFactory } from '../media-session.fake';
import { UserAgent } from '../user-agent';

export const FAR_TAG = 'far-tag';

/** Our phone calls a far end we script by hand on the other end of the pair. */
export async function callFarEnd() {
  const clock = new FakeClock();
  const pair = createMemoryTransportPair({ clock, random: seededRandom(5) });
  const ua = new UserAgent({
    aor: 'sip:alice@example.test',
    transport: pair.a,
    clock,
    random: seededRandom(1),
    calls: { mediaSessionFactory: fakeMediaSessionFactory() },
  });
  const far: SipRequest[] = [];
  const responses: SipResponse[] = [];
  pair.b.onMessage((text) => {
    const message = parseMessage(text);
    if (message.kind === 'request') far.push(message);
    else responses.push(message);
  });
  await ua.start();
  const flush = () => settle(clock);
  const call = ua.call('bob');
  await flush();
  const answer = async (invite: SipRequest, status: number, headers: Array<[string, string]>) => {
    const response: SipResponse = responseTo(invite, status, undefined, FAR_TAG);
    response.setHeader('Contact', '<sip:bob@far.example.test>');
    for (const [name, value] of headers) response.addHeader(name, value);
    if (status === 200) {
      response.setHeader('Content-Type', 'application/sdp');
      response.body = await new FakeMediaSession({}).applyOffer(invite.body);
    }
    pair.b.send(response.toString());
    await flush();
  };
  let seq = 100;
  /** A request from the far end in the call's dialog; resolves with our final response to it. */
  const request = async (
    method: string,
    headers: Array<[string, string]> = [],
    sdp?: string,
    contentType = 'application/sdp',
  ): Promise<SipResponse | undefined> => {
    const invite = far.find((r) => r.method === 'INVITE')!;
    const branch = `z9hG4bKfar${seq}`;
    const lines = [
      `${method} ${invite.contact[0] === '*' ? '' : invite.contact[0]!.uri} SIP/2.0`,
      `Via: SIP/2.0/WSS far.example.test;branch=${branch}`,
      `From: <sip:bob@example.test>;tag=${FAR_TAG}`,
      `To: ${invite.from}`,
      `Call-ID: ${invite.callId}`,
      `CSeq: ${++seq} ${method}`,
      'Contact: <sip:bob@far.example.test>',
      ...headers.map(([name, value]) => `${name}: ${value}`),
      ...(sdp ? [`Content-Type: ${contentType}`] : []),
      `Content-Length: ${new TextEncoder().encode(sdp ?? '').length}`,
    ];
    pair.b.send(`${lines.join('\r\n')}\r\n\r\n${sdp ?? ''}`);
    await flush();
    return responses.filter((r) => r.topVia?.branch === branch && r.status >= 200).at(-1);
  };
  return {
    clock,
    pair,
    ua,
    call,
    far,
    flush,
    answer,
    request,
    invites: () => far.filter((r) => r.method === 'INVITE'),
  };
}
