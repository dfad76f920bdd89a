// Test support: two user agents back to back on an in-memory transport pair, with fake media
// sessions and one fake clock. Every request one sends reaches the other (no proxy).
import { FakeClock } from '../../core/fake-clock';
import { seededRandom } from '../../core/seeded-random';
import { createMemoryTransportPair } from '../../transport/memory-transport';
import { fakeMediaSessionFactory } from '../fake-media-session';
import { UserAgent } from '../user-agent';
import type { IncomingCall } from './incoming-call';
import type { Call } from './call';

export async function twoPhones() {
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
      calls: { mediaSessionFactory: media },
    });
    const incoming: IncomingCall[] = [];
    ua.events.on('incoming-call', (call) => incoming.push(call));
    return { ua, media, incoming };
  };
  const alice = make('alice', pair.a, 1);
  const bob = make('bob', pair.b, 2);
  await alice.ua.start();
  async function flush(rounds = 12): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      clock.advance(0);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
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
