/**
 * Which digest challenges the password answers (issue 15). A digest is an offline-guessable
 * function of the password, so it is computed only for realms the user's own servers use: the
 * realm that challenges a REGISTER (which goes to our registrar, RFC 3261 §10.2) and the realms the
 * page names; a far end's 401/407 for a realm of its own choosing gets nothing. The page may also
 * refuse MD5 and qop-less challenges.
 */
import type { DigestChallenge } from './digest-challenge';

export interface ChallengePolicyOptions {
  /**
   * Realms whose challenges are answered besides those that challenge a REGISTER (the page's
   * `auth-realm`): e.g. an edge proxy that challenges only calls. Compared exactly (RFC 7616 §3.3:
   * realm is an opaque string).
   */
  readonly realms?: readonly string[];
  /** Leave MD5 and MD5-sess challenges unanswered (RFC 8760 §3: MD5 is kept only for compatibility). */
  readonly refuseMd5?: boolean;
  /**
   * Leave challenges without qop unanswered (the RFC 2069 form: no cnonce, no nonce count, so the
   * server cannot tell a replay and the far end picks everything the digest covers).
   */
  readonly requireQop?: boolean;
}

export class ChallengePolicy {
  readonly #trusted: Set<string>;
  readonly #refuseMd5: boolean;
  readonly #requireQop: boolean;

  constructor(options: ChallengePolicyOptions) {
    this.#trusted = new Set(options.realms ?? []);
    this.#refuseMd5 = options.refuseMd5 ?? false;
    this.#requireQop = options.requireQop ?? false;
  }

  /** Whether a realm's challenges to requests other than REGISTER are answered. */
  trusts(realm: string): boolean {
    return this.#trusted.has(realm);
  }

  /** A realm that challenged our REGISTER: our registrar's (or its edge proxy's) from now on. */
  trust(realm: string): void {
    this.#trusted.add(realm);
  }

  /** Why the page's settings leave a challenge unanswered, or undefined. */
  refusal(challenge: DigestChallenge): string | undefined {
    // strength 1 is MD5 and MD5-sess (./digest-algorithm).
    if (this.#refuseMd5 && challenge.algorithm.strength === 1)
      return `${challenge.algorithm.name} is refused (refuse-md5)`;
    if (this.#requireQop && challenge.qop === undefined) return 'a challenge without qop is refused (require-qop)';
    return undefined;
  }
}
