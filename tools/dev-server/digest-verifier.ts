/**
 * The server side of SIP digest authentication (RFC 3261 §22, RFC 7616, RFC 8760), verifying with
 * the stack's own digest code. Nonces are stateless: a timestamp, a salt and an HMAC of both under
 * a secret drawn at start, so any nonce this process issued can be checked and dated without a
 * table (only the nonce counts of fresh ones are kept, below), and
 * an old one is answered `stale=true` (RFC 7616 §3.3) instead of being taken for a wrong password.
 * Each challenge is offered once per algorithm, by default SHA-256 first, then MD5 for older
 * clients (RFC 8760 §2.4: most preferred first). That order also serves JsSIP and SIP.js, which keep
 * only the last challenge line of a response and answer only MD5.
 *
 * Credentials answer one request: their `uri` must be the Request-URI (RFC 7616 §3.4.6), so that a
 * digest for a MESSAGE to bob does not send one to carol, and each nonce count is taken once (RFC
 * 7616 §3.4: nc lets the server detect replays), so that a digest seen on the way cannot be sent
 * again. A qop-less answer (RFC 2069) has no nonce count and is refused: every challenge offers qop.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { computeDigestResponse, digestAlgorithm } from '../../src/stack/auth/index';
import type { Clock } from '../../src/stack/core/clock';
import { parseAuthHeader, serializeAuthHeader } from '../../src/stack/message/auth-header';
import { parseUri } from '../../src/stack/message/uri';
import type { AuthHeaderValue } from '../../src/stack/message/auth-header';

/** What the credentials of a request amount to. */
export type DigestVerdict =
  | { readonly kind: 'ok'; readonly user: string }
  /** No credentials for this realm (or unreadable ones): challenge. */
  | { readonly kind: 'missing' }
  /** Right password, expired nonce: challenge with stale=true. */
  | { readonly kind: 'stale' }
  /** Wrong password, foreign nonce, unsupported algorithm: challenge again (the client gives up). */
  | { readonly kind: 'wrong'; readonly reason: string }
  /** A user not in the file, or another user's credentials: 403. */
  | { readonly kind: 'forbidden'; readonly reason: string };

export interface DigestVerifierOptions {
  readonly realm: string;
  readonly users: Readonly<Record<string, string>>;
  readonly clock: Clock;
  /** Nonce freshness in ms. */
  readonly nonceLifetimeMs: number;
  /** The algorithms offered, most preferred first (default SHA-256, MD5). */
  readonly algorithms?: readonly DigestAlgorithmChoice[];
}

export type DigestAlgorithmChoice = 'SHA-256' | 'MD5';
/**
 * Nonces whose highest nonce count is remembered, at most: a client needs a correct digest to add
 * one, and each lives only as long as the nonce is fresh; past this the oldest is forgotten (its
 * nonce then answers nothing: see #nonceCountFresh).
 */
const MAX_TRACKED_NONCES = 10_000;
export const DIGEST_ALGORITHMS: readonly DigestAlgorithmChoice[] = ['SHA-256', 'MD5'];

/** Reads a comma-separated preference list (`MD5,SHA-256`). @throws Error on anything else. */
export function parseDigestAlgorithms(text: string): DigestAlgorithmChoice[] {
  const names = text.split(',').map((name) => name.trim().toUpperCase()).filter((name) => name !== '');
  if (names.length === 0 || names.some((name) => !(DIGEST_ALGORITHMS as readonly string[]).includes(name))) {
    throw new Error(`digest algorithms must be SHA-256 and/or MD5, got ${JSON.stringify(text)}`);
  }
  return [...new Set(names)] as DigestAlgorithmChoice[];
}

export class DigestVerifier {
  readonly #secret = randomBytes(32);
  readonly #users: ReadonlyMap<string, string>;
  readonly #algorithms: readonly DigestAlgorithmChoice[];
  /** Nonce => the highest nc accepted with it (insertion order is issue order, near enough). */
  readonly #nonceCounts = new Map<string, number>();
  /** Issue time of the newest nonce forgotten while fresh: older ones are refused from then on. */
  #forgottenBefore: number | undefined;

  constructor(readonly options: DigestVerifierOptions) {
    this.#users = new Map(Object.entries(options.users));
    this.#algorithms = options.algorithms?.length ? options.algorithms : DIGEST_ALGORITHMS;
  }

  get realm(): string {
    return this.options.realm;
  }

  hasUser(user: string): boolean {
    return this.#users.has(user);
  }

  /** WWW-Authenticate or Proxy-Authenticate values, one per algorithm, strongest first. */
  challenges(stale = false): string[] {
    const nonce = this.#nonce(this.options.clock.now());
    return this.#algorithms.map((algorithm) => {
      const params = new Map([
        ['realm', this.options.realm],
        ['nonce', nonce],
        ['algorithm', algorithm],
        ['qop', 'auth'],
      ]);
      if (stale) params.set('stale', 'true');
      return serializeAuthHeader({ scheme: 'Digest', params }, 'challenge');
    });
  }

  /**
   * Checks the Authorization or Proxy-Authorization values of a request against this realm.
   * `expectedUser` is the user the request speaks for (To of a REGISTER, From otherwise);
   * `requestUri` the Request-URI as received, which the credentials' `uri` must name.
   */
  verify(values: readonly string[], method: string, expectedUser: string, requestUri: string): DigestVerdict {
    const credentials = this.#credentialsFor(values);
    if (!credentials) return { kind: 'missing' };
    const { params } = credentials;
    const username = params.get('username');
    const nonce = params.get('nonce');
    const uri = params.get('uri');
    const response = params.get('response');
    if (username === undefined || nonce === undefined || uri === undefined || response === undefined) {
      return { kind: 'wrong', reason: 'incomplete credentials' };
    }
    const password = this.#users.get(username);
    if (password === undefined) return { kind: 'forbidden', reason: 'unknown user' };
    const algorithm = digestAlgorithm(params.get('algorithm'));
    if (algorithm === undefined || !(this.#algorithms as readonly string[]).includes(algorithm.name)) {
      return { kind: 'wrong', reason: 'algorithm not offered' };
    }
    const issued = this.#nonceTime(nonce);
    if (issued === undefined) return { kind: 'wrong', reason: 'not a nonce of this server' };
    if (!sameUri(uri, requestUri)) return { kind: 'wrong', reason: 'credentials for another Request-URI' };
    const qop = params.get('qop');
    if (qop !== 'auth') return { kind: 'wrong', reason: qop === undefined ? 'an answer without qop (no nonce count)' : `qop ${qop} not offered` };
    const nc = params.get('nc');
    const cnonce = params.get('cnonce');
    if (nc === undefined || cnonce === undefined || !/^[0-9a-f]{8}$/i.test(nc)) return { kind: 'wrong', reason: 'qop without a valid nc or cnonce' };
    const expected = computeDigestResponse({
      algorithm,
      username,
      realm: this.options.realm,
      password,
      nonce,
      method,
      uri,
      qop,
      nc,
      cnonce,
    });
    if (!sameText(expected, response.toLowerCase())) return { kind: 'wrong', reason: 'wrong password' };
    // RFC 7616 §3.3: the password was right; only the nonce is too old to accept.
    if (this.options.clock.now() - issued > this.options.nonceLifetimeMs) return { kind: 'stale' };
    if (username !== expectedUser) return { kind: 'forbidden', reason: `credentials of "${username}" used for "${expectedUser}"` };
    if (!this.#nonceCountFresh(nonce, parseInt(nc, 16), issued)) return { kind: 'wrong', reason: `nonce count ${nc} used before (a replay)` };
    return { kind: 'ok', user: username };
  }

  /** Records nc for a fresh nonce; false when it is not above every nc taken with it before. */
  #nonceCountFresh(nonce: string, nc: number, issued: number): boolean {
    const counts = this.#nonceCounts;
    const last = counts.get(nonce);
    if (last !== undefined && nc <= last) return false;
    // A nonce first seen after it was forgotten (the table was full) might have been used: refused,
    // and the client gets a new one with the challenge that follows.
    if (last === undefined && counts.size >= MAX_TRACKED_NONCES) this.#forgetStale();
    if (last === undefined && this.#forgottenBefore !== undefined && issued <= this.#forgottenBefore) return false;
    counts.set(nonce, nc);
    return true;
  }

  /**
   * Drops stale nonces (they are answered `stale` before nc matters), then the oldest down to 90%
   * of the table, so that the scan runs once per thousand new nonces, not for each.
   */
  #forgetStale(): void {
    const now = this.options.clock.now();
    for (const nonce of this.#nonceCounts.keys()) {
      const issued = this.#nonceTime(nonce) ?? 0;
      if (now - issued > this.options.nonceLifetimeMs) this.#nonceCounts.delete(nonce);
    }
    while (this.#nonceCounts.size >= MAX_TRACKED_NONCES * 0.9) {
      const [oldest] = this.#nonceCounts.keys();
      this.#nonceCounts.delete(oldest!);
      this.#forgottenBefore = Math.max(this.#forgottenBefore ?? 0, this.#nonceTime(oldest!) ?? 0);
    }
  }

  /** Whether a credentials value is for this realm (the ones a proxy consumes, RFC 3261 §22.3). */
  isForThisRealm(value: string): boolean {
    return this.#credentialsFor([value]) !== undefined;
  }

  #credentialsFor(values: readonly string[]): AuthHeaderValue | undefined {
    for (const value of values) {
      let parsed: AuthHeaderValue[];
      try {
        parsed = parseAuthHeader(value);
      } catch {
        continue;
      }
      const mine = parsed.find((entry) => entry.scheme.toLowerCase() === 'digest' && entry.params.get('realm') === this.options.realm);
      if (mine) return mine;
    }
    return undefined;
  }

  /**
   * `<time>.<salt>.<mac>`: the time dates it; the random salt makes each challenge's nonce its own,
   * so that two clients challenged in the same millisecond do not share nonce counts.
   */
  #nonce(time: number): string {
    const stamp = `${Math.max(0, Math.floor(time)).toString(36)}.${randomBytes(6).toString('base64url')}`;
    return `${stamp}.${this.#mac(stamp)}`;
  }

  /** The issue time of a nonce this process made, or undefined. */
  #nonceTime(nonce: string): number | undefined {
    const match = /^([0-9a-z]{1,12})\.([\w-]{8})\.([\w-]+)$/.exec(nonce);
    if (!match || !sameText(this.#mac(`${match[1]}.${match[2]}`), match[3]!)) return undefined;
    return parseInt(match[1]!, 36);
  }

  #mac(stamp: string): string {
    return createHmac('sha256', this.#secret).update(stamp).digest('base64url');
  }
}

/** Whether the credentials' uri names the Request-URI: the same text, or the same URI as this stack writes it. */
function sameUri(uri: string, requestUri: string): boolean {
  if (uri === requestUri) return true;
  try {
    return String(parseUri(uri)) === String(parseUri(requestUri));
  } catch {
    return false;
  }
}

/** Constant-time comparison, so a digest cannot be guessed byte by byte from response times. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
