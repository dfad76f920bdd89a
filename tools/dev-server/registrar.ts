/**
 * The registrar (RFC 3261 §10.3, with RFC 5626 §6 for outbound flows and RFC 5627 §6 for public
 * GRUUs). The steps before binding
 * (the Request-URI domain, step 1, and authentication, steps 3-4) are the router's; this does
 * steps 2 and 5 to 8.
 */
import type { Clock } from '../../src/stack/core/clock';
import { NameAddr, SipUri } from '../../src/stack/message/message';
import type { SipRequest, SipResponse } from '../../src/stack/message/message';
import { responseTo } from '../../src/stack/transaction/requests';
import type { Flow } from './flows';
import type { Binding, LocationService } from './location-service';
import type { ServerIdentity } from './server-identity';

export interface RegistrarOptions {
  readonly identity: ServerIdentity;
  readonly location: LocationService;
  readonly clock: Clock;
  readonly minExpires: number;
  readonly maxExpires: number;
  readonly defaultExpires: number;
  /** Whether an AOR user exists; undefined for open registration (any user). */
  readonly userExists?: (user: string) => boolean;
  /** A fresh To tag for each response (§8.2.6.2). */
  readonly toTag: () => string;
}

/** The option tags this registrar understands in Require (§10.3 step 2). */
const SUPPORTED = ['outbound', 'gruu'];

/**
 * The instance ID of a Contact's `+sip.instance` (RFC 5626 §4.1, a quoted `<urn>`), bare, as a
 * GRUU's `gr` parameter carries it (RFC 5627 §3.2); undefined when there is none.
 */
export function instanceOf(contact: NameAddr): string | undefined {
  const value = contact.params.get('+sip.instance');
  const urn = value ? /^"?<([^<>"]+)>"?$/.exec(value)?.[1] : undefined;
  return urn?.toLowerCase().startsWith('urn:') ? urn : undefined;
}

class Refusal {
  constructor(
    readonly status: number,
    readonly reason?: string,
    readonly headers: ReadonlyArray<readonly [string, string | number]> = [],
  ) {}
}

export class Registrar {
  constructor(readonly options: RegistrarOptions) {}

  /** Answers a REGISTER whose Request-URI is this domain and whose sender is authorized. */
  register(request: SipRequest, flow: Flow): SipResponse {
    const outcome = this.#update(request, flow);
    if (outcome instanceof Refusal) {
      const response = responseTo(request, outcome.status, outcome.reason, this.options.toTag());
      for (const [name, value] of outcome.headers) response.setHeader(name, value);
      return response;
    }
    return this.#ok(request, outcome.aor, outcome.outbound, request.headers('Supported').includes('gruu'));
  }

  #update(request: SipRequest, flow: Flow): Refusal | { aor: string; outbound: boolean } {
    const { identity, location, clock, userExists } = this.options;
    const unsupported = request.unsupportedExtensions(SUPPORTED);
    if (unsupported.length > 0) return new Refusal(420, undefined, [['Unsupported', unsupported.join(', ')]]);
    // Step 5: the address of record is the To URI, and must be a user of this domain.
    const to = request.to.uri;
    if (!(to instanceof SipUri) || to.user === undefined || !identity.isLocalHost(to.host)) {
      return new Refusal(404, 'Not Found (address of record not in this domain)');
    }
    const aor = to.user;
    if (userExists && !userExists(aor)) return new Refusal(404);

    const now = clock.now();
    const current = new Map(location.lookup(aor).map((binding) => [binding.key, binding]));
    const contacts = request.contact;
    if (contacts.length === 0) return { aor, outbound: false }; // a query (§10.2.3)

    // Step 6: "*" removes every binding, only with Expires: 0 and alone.
    if (contacts.includes('*')) {
      if (contacts.length > 1 || request.expires !== 0)
        return new Refusal(400, 'Bad Request (Contact "*" needs Expires: 0 and no other Contact)');
      for (const binding of current.values()) {
        if (!this.#inOrder(binding, request)) return new Refusal(400, 'Invalid CSeq Number');
      }
      location.commit(aor, []);
      return { aor, outbound: false };
    }

    const supportsOutbound = request.headers('Supported').includes('outbound');
    let outbound = false;
    const next = new Map(current);
    for (const contact of contacts as readonly NameAddr[]) {
      // Step 7: the Contact's expires parameter, else the Expires header, else the default.
      let expires = contact.expires ?? request.expires ?? this.options.defaultExpires;
      if (expires > 0 && expires < this.options.minExpires) {
        return new Refusal(423, undefined, [['Min-Expires', this.options.minExpires]]);
      }
      expires = Math.min(expires, this.options.maxExpires);
      const instance = contact.params.get('+sip.instance') ?? undefined;
      const regId = contact.params.get('reg-id');
      const usesOutbound =
        instance !== undefined &&
        regId != null &&
        /^\d{1,10}$/.test(regId) &&
        (supportsOutbound || (contact.uri instanceof SipUri && contact.uri.params.has('ob')));
      outbound ||= usesOutbound;
      // RFC 5626 §6: an outbound binding is the instance's flow, whatever its Contact URI says.
      const key = usesOutbound ? `instance ${instance} reg-id ${Number(regId)}` : `uri ${contact.uri}`;
      const existing = next.get(key);
      if (existing && !this.#inOrder(existing, request)) return new Refusal(400, 'Invalid CSeq Number');
      if (expires === 0) {
        next.delete(key);
        continue;
      }
      const binding: Binding = {
        key,
        contact: contact.withParam('expires', undefined),
        callId: request.callId,
        cseq: request.cseq.seq,
        expiresAt: now + expires * 1000,
        flow,
        q: contact.q ?? 1,
        updatedAt: now,
        outbound: usesOutbound,
        instance: instanceOf(contact),
      };
      next.set(key, binding);
    }
    location.commit(aor, [...next.values()]);
    return { aor, outbound };
  }

  /** RFC 5627 §3.2: the public GRUU of an instance of an AOR of this domain. */
  publicGruu(aor: string, instance: string): SipUri {
    return new SipUri({ user: aor, host: this.options.identity.domain, params: { gr: instance } });
  }

  /** Step 7: the same Call-ID with a CSeq not above the stored one is an old or reordered REGISTER. */
  #inOrder(binding: Binding, request: SipRequest): boolean {
    return binding.callId !== request.callId || request.cseq.seq > binding.cseq;
  }

  /**
   * Step 8: 200 listing every current binding with its remaining time. RFC 5627 §6: when the
   * REGISTER said `Supported: gruu`, each binding with an instance ID also carries its public
   * GRUU, the AOR with `gr=<instance>`, the same for every registration of that instance. (No
   * temporary GRUUs: the phone uses the public one, and this server forgets everything on restart.)
   */
  #ok(request: SipRequest, aor: string, outbound: boolean, gruu: boolean): SipResponse {
    const now = this.options.clock.now();
    const response = responseTo(request, 200, undefined, this.options.toTag());
    const bindings = this.options.location.lookup(aor);
    if (bindings.length > 0) {
      response.setHeader(
        'Contact',
        bindings.map((binding) => {
          const contact = binding.contact.withParam(
            'expires',
            String(Math.max(0, Math.ceil((binding.expiresAt - now) / 1000))),
          );
          return gruu && binding.instance
            ? contact.withParam('pub-gruu', `"${this.publicGruu(aor, binding.instance)}"`)
            : contact;
        }),
      );
    }
    // RFC 5626 §6: a registrar that used outbound says so, and the UA then relies on its flow.
    if (outbound) response.setHeader('Require', 'outbound');
    response.setHeader('Supported', 'outbound, gruu');
    response.setHeader('Date', new Date().toUTCString());
    return response;
  }
}
