// Test support: two user agents back to back on an in-memory transport pair, with fake media
// sessions and one fake clock. Every request one sends reaches the other (no proxy).
import { FakeClock } from '../../core/clock.fake';
import { SipUri, isRequest } from '../../message/message';
import { parseMessage } from '../../message/parser';
import { seededRandom } from '../../core/seeded-random.fake';
import { settle } from '../../core/settle.fixtures';
import { createMemoryTransportPair } from '../../transport/memory-transport.fake';
import { fakeMediaSessionFactory } from '../media-session.fake';
import { UserAgent, type UserAgentOptions } from '../user-agent';
import type { IncomingCall } from './incoming-call';
import type { Call } from './call';
import type { CallManagerOptions } from './call-manager';

/** `options` are given to both phones' call managers (limits, ring timeout), `uaOptions` to both user agents. */
export async function twoPhones(options: Partial<CallManagerOptions> = {}, uaOptions: Partial<UserAgentOptions> = {}) {
  const clock = new FakeClock();
  const pair = createMemoryTransportPair({ clock, random: seededRandom(11) });
  const make = (user: string, transport: typeof pair.a, seed: number) => {
    const media = fakeMediaSessionFactory();
    const ua = new UserAgent({
      aor: `sip:${user}@example.test`,
      displayName: user,
      transport,
      clock,
      random: seededRandom(seed),
      calls: { mediaSessionFactory: media, ...options },
      ...uaOptions,
    });
    const incoming: IncomingCall[] = [];
    ua.events.on('incoming-call', (call) => incoming.push(call));
    return { ua, media, incoming };
  };
  const alice = make('alice', pair.a, 1);
  const bob = make('bob', pair.b, 2);
  await alice.ua.start();
  const flush = () => settle(clock);
  await flush();
  return { clock, pair, alice, bob, flush };
}

/** The states a call went through, recorded from its events. */
export function history(call: Call): string[] {
  const seen: string[] = [call.state];
  call.events.on('state', (state) => seen.push(state));
  return seen;
}

/** Lines sent by one end whose start line begins with `prefix` (e.g. 'INVITE', 'SIP/2.0 180'). */
export function sent(transport: { sent: string[] }, prefix: string): string[] {
  return transport.sent.filter((text) => text.startsWith(prefix));
}

/**
 * Three user agents (alice, bob, carol) behind a stateless in-memory relay: a request goes to the
 * phone its Request-URI names (by Contact host, else by user), a response to the phone of its top Via.
 */
export async function threePhones() {
  const clock = new FakeClock();
  const names = ['alice', 'bob', 'carol'] as const;
  const pairs = names.map((_, i) => createMemoryTransportPair({ clock, random: seededRandom(20 + i) }));
  const phoneOf = (host: string | undefined, user?: string) =>
    pairs.find((pair) => pair.a.viaHost === host) ?? pairs[names.indexOf(user as (typeof names)[number])];
  for (const pair of pairs) {
    pair.b.onMessage((text) => {
      const message = parseMessage(text);
      const uri = isRequest(message) ? message.uri : undefined;
      const to = uri instanceof SipUri ? phoneOf(uri.host, uri.user) : phoneOf(message.via[0]?.host);
      to?.b.send(text);
    });
  }
  const phones = names.map((user, i) => {
    const media = fakeMediaSessionFactory();
    const ua = new UserAgent({
      aor: `sip:${user}@example.test`,
      displayName: user,
      transport: pairs[i]!.a,
      clock,
      random: seededRandom(i + 1),
      calls: { mediaSessionFactory: media },
    });
    const incoming: IncomingCall[] = [];
    ua.events.on('incoming-call', (call) => incoming.push(call));
    return { ua, media, incoming, transport: pairs[i]!.a };
  });
  await Promise.all(phones.map((phone) => phone.ua.start()));
  const flush = () => settle(clock);
  await flush();
  const [alice, bob, carol] = phones as [(typeof phones)[0], (typeof phones)[0], (typeof phones)[0]];
  return { clock, alice, bob, carol, flush };
}
