/**
 * The location service (RFC 3261 §10.3): bindings of an address of record (here its user name,
 * as Kamailio keys usrloc without `use_domain`) to Contacts, each with an expiry and the flow it
 * was registered on. In memory only: a restart forgets every registration, as in the seed project.
 */
import type { Clock, TimerHandle } from '../../src/stack/core/clock';
import type { NameAddr } from '../../src/stack/message/message';
import type { Flow } from './flows';

export interface Binding {
  /** RFC 5626 §6 instance and reg-id when the binding is an outbound flow, else the Contact URI. */
  readonly key: string;
  /** The Contact as registered, without an `expires` parameter. */
  readonly contact: NameAddr;
  readonly callId: string;
  readonly cseq: number;
  /** Clock time (ms) when the binding lapses. */
  readonly expiresAt: number;
  /** The connection the REGISTER came in on: the only way to reach a WebSocket client. */
  readonly flow: Flow;
  /** RFC 3261 §20.10 q, 0 to 1 (1 when absent). */
  readonly q: number;
  /** Clock time (ms) of the REGISTER that created or refreshed it. */
  readonly updatedAt: number;
  /** Whether the REGISTER used RFC 5626 outbound for it (instance and reg-id). */
  readonly outbound: boolean;
  /** The RFC 5627 instance ID (`urn:uuid:…`, no quotes or brackets) when the Contact had one. */
  readonly instance?: string;
}

export class LocationService {
  readonly #bindings = new Map<string, ReadonlyMap<string, Binding>>();
  /** Users that have registered since the start: without a users file, the only users known. */
  readonly #known = new Set<string>();
  /** `aor instance` pairs ever bound since the start: their GRUUs stay valid (RFC 5627 §3.2). */
  readonly #instances = new Set<string>();
  /** Per AOR, a timer at its first binding's expiry: a lapsed registration is a change too. */
  readonly #lapse = new Map<string, TimerHandle>();

  constructor(readonly clock: Clock) {}

  /** Told after every change of an AOR's bindings (the presence the server serves follows them). */
  changed: (aor: string) => void = () => undefined;

  /**
   * The live bindings of an AOR, best first: higher q, then the most recently refreshed (the
   * device last used is the likeliest to answer). Expired ones are dropped on the way.
   */
  lookup(aor: string): Binding[] {
    const bindings = this.#bindings.get(aor);
    if (!bindings) return [];
    const now = this.clock.now();
    const live = [...bindings.values()].filter((binding) => binding.expiresAt > now && binding.flow.open);
    if (live.length !== bindings.size) this.commit(aor, live);
    return live.sort((a, b) => b.q - a.q || b.updatedAt - a.updatedAt);
  }

  /** Replaces the whole binding set of an AOR: a REGISTER is applied all or nothing (§10.3 step 7). */
  commit(aor: string, bindings: readonly Binding[]): void {
    this.#known.add(aor);
    for (const binding of bindings)
      if (binding.instance) this.#instances.add(`${aor} ${binding.instance.toLowerCase()}`);
    if (bindings.length === 0) this.#bindings.delete(aor);
    else this.#bindings.set(aor, new Map(bindings.map((binding) => [binding.key, binding])));
    this.clock.clearTimeout(this.#lapse.get(aor));
    this.#lapse.delete(aor);
    if (bindings.length > 0) {
      const first = Math.min(...bindings.map((binding) => binding.expiresAt));
      // lookup() drops what has expired, and commits (so tells) the change.
      this.#lapse.set(
        aor,
        this.clock.setTimeout(() => this.lookup(aor), Math.max(0, first - this.clock.now()) + 1),
      );
    }
    this.changed(aor);
  }

  /** Drops every binding registered over a flow that has gone (as Kamailio's handle_lost_tcp). */
  removeFlow(flow: Flow): string[] {
    const affected: string[] = [];
    for (const [aor, bindings] of this.#bindings) {
      const kept = [...bindings.values()].filter((binding) => binding.flow !== flow);
      if (kept.length === bindings.size) continue;
      affected.push(aor);
      this.commit(aor, kept);
    }
    return affected;
  }

  /** Whether an instance of the AOR has registered since the start (its GRUU exists). */
  hadInstance(aor: string, instance: string): boolean {
    return this.#instances.has(`${aor} ${instance.toLowerCase()}`);
  }

  hasRegistered(aor: string): boolean {
    return this.#known.has(aor);
  }

  clear(): void {
    for (const timer of this.#lapse.values()) this.clock.clearTimeout(timer);
    this.#lapse.clear();
    this.#bindings.clear();
    this.#known.clear();
    this.#instances.clear();
  }
}
