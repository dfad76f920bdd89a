/**
 * The client side of SIP Digest authentication (RFC 3261 §22, RFC 7616, RFC 8760): answers the
 * challenges of a 401 or 407, remembers each realm's nonce so that later requests can carry
 * credentials up front, and tells a wrong password from a merely stale nonce.
 *
 * Whom the password answers: trusted realms only (./challenge-policy). Where credentials go
 * unasked: only where they belong, as whoever receives them could replay them (preauthorize()).
 *
 * It works on header values, not on message objects, so the user agent decides how headers get in
 * and out of messages. Credentials never leave this object except as digests: no method logs, and
 * no message or result holds the username or the password.
 */
import { toHex } from '../core/hex';
import { cryptoRandom } from '../core/random';
import { parseAuthHeader, serializeAuthHeader } from '../message/auth-header';
import { SipParseError } from '../message/sip-parse-error';
import { ChallengePolicy, type ChallengePolicyOptions } from './challenge-policy';
import { readDigestChallenge } from './digest-challenge';
import type { DigestChallenge } from './digest-challenge';
import { computeDigestResponse } from './digest-response';

/** Which header pair a challenge came in: WWW-Authenticate or Proxy-Authenticate (RFC 3261 §22.3). */
export type DigestAuthKind = 'www' | 'proxy';

export interface DigestAuthenticatorOptions extends ChallengePolicyOptions {
  /** The user of the address of record; also the digest username unless `authUser` is set. */
  readonly username: string;
  readonly password: string;
  /** The authentication name when it differs from the user (the phone's `auth-user`). */
  readonly authUser?: string;
  /**
   * Returns a fresh unpredictable string for each cnonce (RFC 7616 §3.4), printable ASCII without
   * `"` or `\`. Injected so tests are repeatable; the default is 128 bits from
   * `globalThis.crypto.getRandomValues` (the stack's cryptoRandom), as hex.
   */
  readonly random?: () => string;
}

/** What the digest covers of the request being (re)sent. */
export interface DigestRequest {
  readonly method: string;
  /** The Request-URI exactly as it will be sent: it is the digest-uri (RFC 3261 §22.4). */
  readonly uri: string;
  /** The message body, for qop=auth-int; absent means empty. */
  readonly body?: string | Uint8Array;
}

/** The challenge header values of one 401 or 407 response, one entry per header field line. */
export interface DigestChallenges {
  readonly wwwAuthenticate?: readonly string[];
  /**
   * A 401 may carry these too, merged by a forking proxy (RFC 3261 §16.7 step 6); a response of
   * either code is answered for every realm it challenges (RFC 3261 §22.3, RFC 8760 §2.5).
   */
  readonly proxyAuthenticate?: readonly string[];
}

export interface AuthorizationHeader {
  readonly name: 'Authorization' | 'Proxy-Authorization';
  readonly value: string;
}

/** One realm answered in a request; no secrets, so the UA may keep it with the request. */
export interface DigestAnswer {
  readonly kind: DigestAuthKind;
  readonly realm: string;
  readonly nonce: string;
  /** True when answering a challenge in the response to this very request chain. */
  readonly fresh: boolean;
  /** How many fresh answers this realm has had in the request chain. */
  readonly round: number;
}

/** What a request carried; pass it back to `authorize()` when that request is challenged again. */
export interface DigestAttempt {
  readonly answers: readonly DigestAnswer[];
}

/**
 * - `no-challenge`: the response had no challenge header at all (RFC 3261 §20.27/§20.44 require one).
 * - `malformed`: every challenge was unparseable or lacked realm or nonce.
 * - `unsupported`: only other schemes, algorithms or qop values than this client speaks.
 * - `untrusted`: the only usable challenges were for realms this client does not answer.
 * - `rejected`: credentials answered to a fresh challenge were refused: a wrong username or password.
 */
export type DigestFailureReason = 'no-challenge' | 'malformed' | 'unsupported' | 'untrusted' | 'rejected';

export type DigestOutcome =
  | {
      readonly ok: true;
      /** Every authorization header the resent request must carry; drop the old ones first. */
      readonly headers: readonly AuthorizationHeader[];
      readonly attempt: DigestAttempt;
      /** Why some challenges were passed over (unparseable, unknown algorithm, other scheme). */
      readonly ignored: readonly string[];
    }
  | {
      readonly ok: false;
      readonly reason: DigestFailureReason;
      /** Readable, safe to log: it names realms and reasons, never credentials. */
      readonly message: string;
      readonly realm?: string;
    };

/** Preemptive credentials for a new request. */
export interface DigestPreauthorization {
  readonly headers: readonly AuthorizationHeader[];
  readonly attempt: DigestAttempt;
}

/**
 * A nonce refused as stale is retried, but not forever: past this many fresh answers to one realm
 * within one request chain the server is looping, and the request fails as rejected.
 */
const MAX_FRESH_ROUNDS = 3;

const HEADER_NAMES: Record<DigestAuthKind, AuthorizationHeader['name']> = {
  www: 'Authorization',
  proxy: 'Proxy-Authorization',
};

const CHALLENGE_HEADER_NAMES: Record<DigestAuthKind, string> = {
  www: 'WWW-Authenticate',
  proxy: 'Proxy-Authenticate',
};

/** What made challenges unusable, by kind; the worst decides the failure reason. */
interface Problems {
  malformed: number;
  unsupported: number;
  untrusted: number;
}

/** A realm's latest challenge and how often its nonce has been used (RFC 7616 §3.4 nc). */
interface RealmState {
  readonly kind: DigestAuthKind;
  readonly challenge: DigestChallenge;
  nonceCount: number;
}

interface Candidate {
  readonly kind: DigestAuthKind;
  readonly challenge: DigestChallenge;
}

/**
 * One account's digest client. Typical use by the user agent:
 *
 * ```ts
 * const auth = new DigestAuthenticator({ username, password, authUser, random });
 * // a 401/407 arrived for `request`, whose previous attempt (if any) is `attempt`:
 * const outcome = auth.authorize({ wwwAuthenticate, proxyAuthenticate }, { method, uri, body }, attempt);
 * if (outcome.ok) resend with outcome.headers and CSeq + 1 (RFC 3261 §22.2), keeping outcome.attempt;
 * else report outcome.reason (`rejected` = wrong credentials) and stop.
 * // a refresh or a new request to the same server:
 * const { headers, attempt } = auth.preauthorize({ method, uri });
 * ```
 *
 * The ACK of a 2xx and a CANCEL are not challenged; they copy the INVITE's credentials (RFC 3261
 * §22.1). Credentials are fixed for the object's life: for new ones, make a new authenticator.
 */
export class DigestAuthenticator {
  readonly #username: string;
  readonly #password: string;
  readonly #random: () => string;
  readonly #realms = new Map<string, RealmState>();
  readonly #policy: ChallengePolicy;

  constructor(options: DigestAuthenticatorOptions) {
    const username = options.authUser || options.username;
    if (!username) throw new TypeError('A digest username is required');
    // It is written into a header: a line break would split the message.
    if (/[\r\n]/.test(username)) throw new TypeError('The digest username must not contain CR or LF');
    this.#username = username;
    this.#password = options.password;
    this.#random = options.random ?? randomCnonce;
    this.#policy = new ChallengePolicy(options);
  }

  /**
   * Answers the challenges of a 401 or 407 to `request`. Per realm it picks the strongest supported
   * challenge; a realm challenged again after a fresh answer means wrong credentials unless the
   * challenge says `stale=true` (RFC 7616 §3.3), in which case it is answered with the new nonce.
   *
   * @param previous What the challenged request carried (`attempt` of the outcome or of
   *   `preauthorize()` that produced it); omit for a request sent without credentials.
   */
  authorize(challenges: DigestChallenges, request: DigestRequest, previous?: DigestAttempt): DigestOutcome {
    const ignored: string[] = [];
    const problems: Problems = { malformed: 0, unsupported: 0, untrusted: 0 };
    const candidates: Candidate[] = [];
    // A REGISTER goes to the registrar of our own domain (§10.2): whatever realm it challenges
    // with is our server's. Any other request may be answered by whoever it reaches.
    const toRegistrar = request.method === 'REGISTER';
    for (const kind of ['proxy', 'www'] as const) {
      const values = (kind === 'www' ? challenges.wwwAuthenticate : challenges.proxyAuthenticate) ?? [];
      for (const challenge of this.#readChallenges(kind, values, ignored, problems)) {
        if (!toRegistrar && !this.#policy.trusts(challenge.realm)) {
          problems.untrusted += 1;
          ignored.push(
            `${CHALLENGE_HEADER_NAMES[kind]}: realm "${challenge.realm}" is not trusted (not our registrar's, not in auth-realm)`,
          );
          continue;
        }
        candidates.push({ kind, challenge });
      }
    }
    if (toRegistrar) for (const { challenge } of candidates) this.#policy.trust(challenge.realm);
    const chosen = strongestPerRealm(candidates);
    if (chosen.length === 0) return noUsableChallenge(ignored, problems);

    const answeredBefore = ({ kind, challenge }: Candidate) =>
      previous?.answers.find((a) => a.kind === kind && a.realm === challenge.realm);
    // Check every realm before touching any state: one refusal fails the whole retry.
    for (const candidate of chosen) {
      const refusal = refusalOf(candidate.challenge, answeredBefore(candidate));
      if (refusal === undefined) continue;
      const { realm } = candidate.challenge;
      this.#realms.delete(realmKey(candidate.kind, realm));
      return { ok: false, reason: 'rejected', message: refusal, realm };
    }

    const headers: AuthorizationHeader[] = [];
    const answers: DigestAnswer[] = [];
    for (const candidate of chosen) {
      const { kind, challenge } = candidate;
      const state: RealmState = { kind, challenge, nonceCount: 0 };
      this.#realms.set(realmKey(kind, challenge.realm), state);
      headers.push(this.#answer(state, request));
      const round = (answeredBefore(candidate)?.round ?? 0) + 1;
      answers.push({ kind, realm: challenge.realm, nonce: challenge.nonce, fresh: true, round });
    }
    // Realms the request answered and this response did not challenge were accepted upstream; the
    // resent request must carry them again or they would challenge in turn (RFC 3261 §22.3).
    for (const carried of previous?.answers ?? []) {
      if (answers.some((a) => a.kind === carried.kind && a.realm === carried.realm)) continue;
      const state = this.#realms.get(realmKey(carried.kind, carried.realm));
      if (state === undefined) continue;
      headers.push(this.#answer(state, request));
      answers.push({ ...carried, nonce: state.challenge.nonce, fresh: false });
    }
    return { ok: true, headers, attempt: { answers }, ignored };
  }

  /**
   * Credentials answered before, with the next nonce count, so that a REGISTER refresh or a new
   * request through the same proxy need not be challenged first (RFC 7616 §3.4, RFC 3261 §22.3
   * caching), but only where they belong: Authorization (a 401's realm) on REGISTER alone, which
   * goes to the registrar, never on a request that reaches another user, who could replay it;
   * Proxy-Authorization (a 407's realm) on any request, as the proxy that asked for it takes it
   * off. Empty before any challenge was answered.
   */
  preauthorize(request: DigestRequest): DigestPreauthorization {
    const headers: AuthorizationHeader[] = [];
    const answers: DigestAnswer[] = [];
    const toRegistrar = request.method === 'REGISTER';
    for (const state of this.#realms.values()) {
      if (state.kind === 'www' && !toRegistrar) continue;
      headers.push(this.#answer(state, request));
      const { realm, nonce } = state.challenge;
      answers.push({ kind: state.kind, realm, nonce, fresh: false, round: 0 });
    }
    return { headers, attempt: { answers } };
  }

  /** Drops every remembered realm and nonce (after unregistering, or when the server changes). */
  forget(): void {
    this.#realms.clear();
  }

  #readChallenges(
    kind: DigestAuthKind,
    values: readonly string[],
    ignored: string[],
    problems: Problems,
  ): DigestChallenge[] {
    const header = CHALLENGE_HEADER_NAMES[kind];
    const found: DigestChallenge[] = [];
    for (const value of values) {
      let parsed;
      try {
        parsed = parseAuthHeader(value);
      } catch (error) {
        if (!(error instanceof SipParseError)) throw error;
        problems.malformed += 1;
        ignored.push(`${header}: ${error.message}`);
        continue;
      }
      for (const entry of parsed) {
        const reading = readDigestChallenge(entry);
        const refusal = reading.ok ? this.#policy.refusal(reading.challenge) : reading.problem.reason;
        if (reading.ok && refusal === undefined) {
          found.push(reading.challenge);
        } else {
          problems[reading.ok ? 'unsupported' : reading.problem.kind] += 1;
          ignored.push(`${header}: ${refusal}`);
        }
      }
    }
    return found;
  }

  #answer(state: RealmState, request: DigestRequest): AuthorizationHeader {
    const { challenge } = state;
    const { algorithm, qop, realm, nonce } = challenge;
    state.nonceCount += 1;
    // RFC 7616 §3.4: nc counts the requests sent with this nonce, as 8 hex digits.
    const nc = qop === undefined ? undefined : state.nonceCount.toString(16).padStart(8, '0');
    // A "-sess" A1 needs a cnonce even in the qop-less form (RFC 7616 §3.4.2).
    const cnonce = qop !== undefined || algorithm.session ? this.#nextCnonce() : undefined;
    const response = computeDigestResponse({
      algorithm,
      username: this.#username,
      realm,
      password: this.#password,
      nonce,
      method: request.method,
      uri: request.uri,
      qop,
      nc,
      cnonce,
      body: request.body,
    });
    // RFC 7616 §3.4.4: the username travels as H(username ":" realm) when the server asks.
    const username = challenge.userhash ? algorithm.hex(`${this.#username}:${realm}`) : this.#username;
    const params = new Map(
      Object.entries({
        username,
        realm,
        nonce,
        uri: request.uri,
        response,
        algorithm: challenge.algorithmToken,
        cnonce,
        opaque: challenge.opaque,
        qop,
        nc,
        userhash: challenge.userhash ? 'true' : undefined,
      }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    return { name: HEADER_NAMES[state.kind], value: serializeAuthHeader({ scheme: 'Digest', params }, 'credentials') };
  }

  #nextCnonce(): string {
    const cnonce = this.#random();
    if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(cnonce)) {
      throw new Error('random() must return printable ASCII without quotes or backslashes');
    }
    return cnonce;
  }
}

function randomCnonce(): string {
  return toHex(cryptoRandom.bytes(16));
}

function realmKey(kind: DigestAuthKind, realm: string): string {
  return `${kind} ${realm}`;
}

/**
 * Local policy, which RFC 8760 §2.4 allows in place of "the topmost supported": per realm the
 * strongest algorithm wins (SHA-512-256 > SHA-256 > MD5), the topmost among equals. One answer per
 * realm and kind (RFC 8760 §2.5).
 */
function strongestPerRealm(candidates: readonly Candidate[]): Candidate[] {
  const best = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const key = realmKey(candidate.kind, candidate.challenge.realm);
    const current = best.get(key);
    if (current === undefined || candidate.challenge.algorithm.strength > current.challenge.algorithm.strength) {
      best.set(key, candidate);
    }
  }
  return [...best.values()];
}

/** Why a realm's new challenge ends the request chain, or undefined to answer it. */
function refusalOf(challenge: DigestChallenge, before: DigestAnswer | undefined): string | undefined {
  if (before === undefined) return undefined;
  const realm = `realm "${challenge.realm}"`;
  // A fresh answer challenged again without stale=true: the digest was checked and was wrong.
  if (before.fresh && !challenge.stale) return `The server rejected the credentials for ${realm}`;
  if (challenge.stale && challenge.nonce === before.nonce) {
    return `The server called its own current nonce stale for ${realm}`;
  }
  if (before.round >= MAX_FRESH_ROUNDS) {
    return `The server challenged ${realm} ${before.round} times in a row`;
  }
  return undefined;
}

function noUsableChallenge(ignored: readonly string[], problems: Problems): DigestOutcome {
  if (ignored.length === 0) {
    return { ok: false, reason: 'no-challenge', message: 'The response carried no authentication challenge' };
  }
  // A broken Digest challenge might have been answerable, so it outranks a scheme we do not speak.
  // An untrusted realm comes next: it says why a challenge we could answer was not.
  const reason = problems.malformed > 0 ? 'malformed' : problems.untrusted > 0 ? 'untrusted' : 'unsupported';
  return { ok: false, reason, message: `No usable Digest challenge (${ignored.join('; ')})` };
}
