/**
 * The server side of SIP digest authentication (RFC 3261 §22, RFC 7616, RFC 8760), verifying with
 * the stack's own digest code. Nonces are stateless: a timestamp, a serial number and an HMAC of
 * both under a secret drawn at start, so any nonce this process issued can be checked and dated
 * without a table (only the nonce counts of recent ones are kept, below), and
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
  /** How many of the latest nonces keep their nonce counts (default 10,000; small in tests). */
  readonly nonceWindow?: number;
}

export type DigestAlgorithmChoice = 'SHA-256' | 'MD5';
/**
 * How many of the latest nonces have their nonce counts remembered (as Kamailio's auth module keeps
 * an nc array over a window of nonce ids). Credentials on an older nonce, still fresh by the clock,
 * are answered `stale` (RFC 7616 §3.3): the client retries with a new nonce, and the table stays
 * bounded however many challenges anyone asks for.
 */
const DEFAULT_NONCE_WINDOW = 10_000;
export const DIGEST_ALGORITHMS: readonly DigestAlgorithmChoice[] = ['SHA-256', 'MD5'];

/** Reads a comma-separated preference list (`MD5,SHA-256`). @throws Error on anything else. */
export function parseDigestAlgorithms(text: string): DigestAlgorithmChoice[] {
  const names = text
    .split(',')
    .map((name) => name.trim().toUpperCase())
    .filter((name) => name !== '');
  if (names.length === 0 || names.some((name) => !(DIGEST_ALGORITHMS as readonly string[]).includes(name))) {
    throw new Error(`digest algorithms must be SHA-256 and/or MD5, got ${JSON.stringify(text)}`);
  }
  return [...new Set(names)] as DigestAlgorithmChoice[];
}

export class DigestVerifier {
  readonly #secret = randomBytes(32);
  readonly #users: ReadonlyMap<string, string>;
  readonly #algorithms: readonly DigestAlgorithmChoice[];
  /** Serial number of a used nonce in the window => the highest nc accepted with it. */
  readonly #nonceCounts = new Map<number, number>();
  /** Serial number of the latest nonce issued. */
  #issued = 0;

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
    const issue = this.#readNonce(nonce);
    if (issue === undefined) return { kind: 'wrong', reason: 'not a nonce of this server' };
    if (!sameUri(uri, requestUri)) return { kind: 'wrong', reason: 'credentials for another Request-URI' };
    const qop = params.get('qop');
    if (qop !== 'auth')
      return {
        kind: 'wrong',
        reason: qop === undefined ? 'an answer without qop (no nonce count)' : `qop ${qop} not offered`,
      };
    const nc = params.get('nc');
    const cnonce = params.get('cnonce');
    if (nc === undefined || cnonce === undefined || !/^[0-9a-f]{8}$/i.test(nc))
      return { kind: 'wrong', reason: 'qop without a valid nc or cnonce' };
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
    if (this.options.clock.now() - issue.time > this.options.nonceLifetimeMs || !this.#inWindow(issue.serial))
      return { kind: 'stale' };
    if (username !== expectedUser)
      return { kind: 'forbidden', reason: `credentials of "${username}" used for "${expectedUser}"` };
    if (!this.#nonceCountFresh(issue.serial, parseInt(nc, 16)))
      return { kind: 'wrong', reason: `nonce count ${nc} used before (a replay)` };
    return { kind: 'ok', user: username };
  }

  /** How many nonces have their counts remembered now (bounded by about 1.1 × nonceWindow). */
  get trackedNonces(): number {
    return this.#nonceCounts.size;
  }

  #inWindow(serial: number): boolean {
    return serial > this.#issued - (this.options.nonceWindow ?? DEFAULT_NONCE_WINDOW);
  }

  /** Records nc for a nonce in the window; false when it is not above every nc taken with it before. */
  #nonceCountFresh(serial: number, nc: number): boolean {
    const counts = this.#nonceCounts;
    const last = counts.get(serial);
    if (last !== undefined && nc <= last) return false;
    counts.set(serial, nc);
    // Out-of-window entries are dropped in one sweep once they make up a tenth of the table, so the
    // sweep's cost is spread over the insertions before it.
    const window = this.options.nonceWindow ?? DEFAULT_NONCE_WINDOW;
    if (counts.size > window * 1.1) for (const old of counts.keys()) if (!this.#inWindow(old)) counts.delete(old);
    return true;
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
      const mine = parsed.find(
        (entry) => entry.scheme.toLowerCase() === 'digest' && entry.params.get('realm') === this.options.realm,
      );
      if (mine) return mine;
    }
    return undefined;
  }

  /** `<time>.<serial>.<mac>`: the time dates it, the serial names it in the nonce-count window. */
  #nonce(time: number): string {
    const stamp = `${Math.max(0, Math.floor(time)).toString(36)}.${(++this.#issued).toString(36)}`;
    return `${stamp}.${this.#mac(stamp)}`;
  }

  /** When and as which serial this process made a nonce, or undefined for any other text. */
  #readNonce(nonce: string): { readonly time: number; readonly serial: number } | undefined {
    const match = /^([0-9a-z]{1,12})\.([0-9a-z]{1,12})\.([\w-]+)$/.exec(nonce);
    if (!match || !sameText(this.#mac(`${match[1]}.${match[2]}`), match[3]!)) return undefined;
    return { time: parseInt(match[1]!, 36), serial: parseInt(match[2]!, 36) };
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
