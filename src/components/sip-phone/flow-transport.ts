/**
 * The phone's connection: one WebSocket (RFC 7118) for one server URL, or, for several, a flow
 * to each of the first `flows` of them (RFC 5626 §4.2, §5), each with its own keep-alive and
 * reconnect backoff, presented to the user agent as one Transport.
 */
import { cryptoRandom } from '../../stack/core/random';
import { FlowSet } from '../../stack/transport/flow-set';
import type { Transport } from '../../stack/transport/transport';
import { WebSocketTransport } from '../../stack/transport/websocket-transport';

/** How many flows a phone keeps when `flows` is not set. */
export const DEFAULT_FLOWS = 2;

/** The server URLs a phone connects to: the first `flows` (at least one) of the space-separated list. */
export function serverUrls(server: string, flows: number): string[] {
  const count = Number.isInteger(flows) && flows > 0 ? flows : DEFAULT_FLOWS;
  return server.split(/\s+/).filter(Boolean).slice(0, count);
}

/** Throws a TransportError ('invalid-url') for a URL that is not ws:// or wss://. */
export function flowTransport(urls: readonly string[]): Transport {
  const transports = urls.map((url) => new WebSocketTransport({ url, webSocket: WebSocket }));
  return transports.length === 1 ? transports[0]! : new FlowSet(transports, cryptoRandom);
}
