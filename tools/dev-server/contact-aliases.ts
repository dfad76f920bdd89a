/**
 * Which flow reaches a Contact. In-dialog requests carry the peer's Contact as Request-URI
 * (RFC 3261 §12.2.1.1), and a WebSocket client's Contact host is `.invalid` (RFC 7118 §5.2), so the
 * proxy remembers, for each Contact host and port it saw arrive on a flow (in REGISTER, in
 * dialog-creating requests, in their responses), that flow. The newest sighting wins, so a client
 * that reconnects with the same Contact is reached on its new connection.
 */
import { SipUri } from '../../src/stack/message/message';
import type { SipMessage, Uri } from '../../src/stack/message/message';
import type { Flow } from './flows';
import type { ServerIdentity } from './server-identity';

/** A misbehaving client cannot grow the table without bound: older entries of a flow go first. */
const MAX_ALIASES_PER_FLOW = 32;

function keyOf(uri: SipUri): string {
  return `${uri.host.toLowerCase()}:${uri.port ?? ''}`;
}

export class ContactAliases {
  readonly #flowByKey = new Map<string, Flow>();
  readonly #keysByFlow = new Map<Flow, string[]>();

  constructor(readonly identity: ServerIdentity) {}

  /** Records the Contact URIs of a message that arrived on `flow`. */
  learn(message: SipMessage, flow: Flow): void {
    for (const contact of message.contact) {
      if (contact === '*' || !(contact.uri instanceof SipUri)) continue;
      // Never let a client claim this server's own names.
      if (this.identity.isMe(contact.uri) || this.identity.isLocalHost(contact.uri.host)) continue;
      this.#set(keyOf(contact.uri), flow);
    }
  }

  /** The live flow that reaches this URI's host and port, if one was seen. */
  flowFor(uri: Uri): Flow | undefined {
    if (!(uri instanceof SipUri)) return undefined;
    const flow = this.#flowByKey.get(keyOf(uri));
    return flow?.open ? flow : undefined;
  }

  forget(flow: Flow): void {
    for (const key of this.#keysByFlow.get(flow) ?? []) {
      if (this.#flowByKey.get(key) === flow) this.#flowByKey.delete(key);
    }
    this.#keysByFlow.delete(flow);
  }

  #set(key: string, flow: Flow): void {
    const previous = this.#flowByKey.get(key);
    if (previous === flow) return;
    if (previous) {
      const keys = this.#keysByFlow.get(previous);
      keys?.splice(keys.indexOf(key), 1);
    }
    this.#flowByKey.set(key, flow);
    const keys = this.#keysByFlow.get(flow) ?? [];
    keys.push(key);
    if (keys.length > MAX_ALIASES_PER_FLOW) {
      const oldest = keys.shift()!;
      if (this.#flowByKey.get(oldest) === flow) this.#flowByKey.delete(oldest);
    }
    this.#keysByFlow.set(flow, keys);
  }
}
