/**
 * The server side of SIP digest authentication (RFC 3261 §22, RFC 7616, RFC 8760), verifying with
 * the stack's own digest code. Nonces are stateless: a timestamp and an HMAC of it under a secret
 * drawn at start, so any nonce this process issued can be checked and dated without a table, and
 * an old one is answered `stale=true` (RFC 7616 §3.3) instead of being taken for a wrong password.
 * Each challenge is offered once per algorithm, by default SHA-256 first, then MD5 for older
 * clients (RFC 8760 §2.4: most preferred first). That order also serves JsSIP and SIP.js, which keep
 * only the last challenge line of a response and answer only MD5.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { computeDigestResponse, digestAlgorithm } from '../../src/stack/auth/index';
import type { Clock } from '../../src/stack/core/clock';
import { parseAuthHeader, serializeAuthHeader } from '../../src/stack/message/auth-header';
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
   * `expectedUser` is the user the request speaks for (To of a REGISTER, From otherwise).
   */
  verify(values: readonly string[], method: string, expectedUser: string): DigestVerdict {
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
    const qop = params.get('qop');
    if (qop !== undefined && qop !== 'auth') return { kind: 'wrong', reason: `qop ${qop} not offered` };
    const nc = params.get('nc');
    const cnonce = params.get('cnonce');
    if (qop === 'auth' && (nc === undefined || cnonce === undefined)) return { kind: 'wrong', reason: 'qop without nc or cnonce' };
    const expected = computeDigestResponse({
      algorithm,
      username,
      realm: this.options.realm,
      password,
      nonce,
      method,
      uri,
      ...(qop === 'auth' ? { qop, nc, cnonce } : {}),
    });
    if (!sameText(expected, response.toLowerCase())) return { kind: 'wrong', reason: 'wrong password' };
    // RFC 7616 §3.3: the password was right; only the nonce is too old to accept.
    if (this.options.clock.now() - issued > this.options.nonceLifetimeMs) return { kind: 'stale' };
    if (username !== expectedUser) return { kind: 'forbidden', reason: `credentials of "${username}" used for "${expectedUser}"` };
    return { kind: 'ok', user: username };
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

  #nonce(time: number): string {
    const stamp = Math.max(0, Math.floor(time)).toString(36);
    return `${stamp}.${this.#mac(stamp)}`;
  }

  /** The issue time of a nonce this process made, or undefined. */
  #nonceTime(nonce: string): number | undefined {
    const dot = nonce.indexOf('.');
    if (dot <= 0) return undefined;
    const stamp = nonce.slice(0, dot);
    if (!/^[0-9a-z]{1,12}$/.test(stamp) || !sameText(this.#mac(stamp), nonce.slice(dot + 1))) return undefined;
    return parseInt(stamp, 36);
  }

  #mac(stamp: string): string {
    return createHmac('sha256', this.#secret).update(stamp).digest('base64url');
  }
}

/** Constant-time comparison, so a digest cannot be guessed byte by byte from response times. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
