/**
 * Where a request goes (RFC 3261 §16.5): the next hop named by a Route this proxy did not put
 * there, else the Request-URI. A Contact seen on a flow (an in-dialog request's remote target) is
 * reached over that flow; a user of this domain over the flows of its bindings, every one of them
 * (parallel forking), or of one instance's bindings for a GRUU (RFC 5627); anything else is refused.
 */
import { SipUri } from '../../src/stack/message/message';
import type { SipRequest } from '../../src/stack/message/message';
import type { ContactAliases } from './contact-aliases';
import type { LocationService } from './location-service';
import type { ForwardTarget } from './proxy';
import type { ServerIdentity } from './server-identity';

export type Resolution =
  { readonly targets: readonly ForwardTarget[] } | { readonly status: number; readonly reason?: string };

const FLOW_GONE = 'Temporarily Unavailable (connection closed)';

export class TargetResolver {
  constructor(
    readonly identity: ServerIdentity,
    readonly aliases: ContactAliases,
    readonly location: LocationService,
    /** Whether a user exists (users file); undefined: users are known once they have registered. */
    readonly userExists?: (user: string) => boolean,
  ) {}

  /** For a request whose own Route entries (this proxy's) were already removed (§16.4). */
  resolve(request: SipRequest): Resolution {
    const next = request.route[0];
    if (next) {
      // A strict or loose route to a client: only reachable through the flow it came from.
      const flow = this.aliases.flowFor(next.uri);
      if (flow) return { targets: [{ flow, uri: request.uri }] };
      return { status: 403, reason: 'Forbidden (not relaying)' };
    }
    const uri = request.uri;
    if (!(uri instanceof SipUri)) return { status: 404, reason: 'Not Found (no route for this URI scheme)' };
    const flow = this.aliases.flowFor(uri);
    if (flow) return { targets: [{ flow, uri }] };
    if (this.identity.isLocalHost(uri.host)) return this.#user(uri);
    // RFC 7118 §5.2: an `.invalid` host was only ever reachable over its flow, which is gone.
    if (uri.host.toLowerCase().endsWith('.invalid')) return { status: 480, reason: FLOW_GONE };
    // Relaying to other domains would make this an open relay (and it cannot reach them anyway).
    return { status: 403, reason: 'Forbidden (not relaying)' };
  }

  #user(uri: SipUri): Resolution {
    if (uri.user === undefined) return { status: 484, reason: 'Address Incomplete' };
    const bindings = this.location.lookup(uri.user);
    const gr = uri.params.get('gr');
    if (gr) {
      // RFC 5627 §7: a GRUU reaches only the bindings of its instance; it may be valid but
      // unregistered for now (480, it may come back), or name no instance this user ever had.
      // URNs compare case-insensitively (RFC 8141 §3, RFC 4122 §3 for the UUID's hex).
      const own = bindings.filter((binding) => binding.instance?.toLowerCase() === gr.toLowerCase());
      if (own.length > 0) return { targets: own.map((binding) => ({ flow: binding.flow, uri: binding.contact.uri })) };
      return this.location.hadInstance(uri.user, gr)
        ? { status: 480 }
        : { status: 404, reason: 'Not Found (unknown GRUU)' };
    }
    if (bindings.length > 0)
      return { targets: bindings.map((binding) => ({ flow: binding.flow, uri: binding.contact.uri })) };
    const known = this.userExists ? this.userExists(uri.user) : this.location.hasRegistered(uri.user);
    return known ? { status: 480 } : { status: 404 };
  }
}
