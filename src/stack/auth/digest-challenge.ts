/**
 * One Digest challenge from WWW-Authenticate or Proxy-Authenticate, checked and reduced to what the
 * client needs to answer it (RFC 7616 §3.3, RFC 3261 §20.27/§20.44 and §25.1).
 */
import type { AuthHeaderValue } from '../message/auth-header';
import { digestAlgorithm } from './digest-algorithm';
import type { DigestAlgorithm } from './digest-algorithm';
import type { DigestQop } from './digest-response';

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  /** Echoed unchanged when present (RFC 7616 §3.3). */
  readonly opaque?: string;
  readonly algorithm: DigestAlgorithm;
  /** The algorithm parameter as the server wrote it, echoed as is; absent when it sent none. */
  readonly algorithmToken?: string;
  /** The qop the answer uses; undefined when the server offered none (RFC 2069 form). */
  readonly qop?: DigestQop;
  /** The previous nonce was refused as too old, not the credentials (RFC 7616 §3.3). */
  readonly stale: boolean;
  /** The server wants the username hashed (RFC 7616 §3.4.4). */
  readonly userhash: boolean;
}

/** Why a challenge cannot be answered: a broken one, or one this client does not speak. */
export interface DigestChallengeProblem {
  readonly kind: 'malformed' | 'unsupported';
  readonly reason: string;
}

export type DigestChallengeReading =
  | { readonly ok: true; readonly challenge: DigestChallenge }
  | { readonly ok: false; readonly problem: DigestChallengeProblem };

/** Checks one parsed challenge; never throws. */
export function readDigestChallenge(value: AuthHeaderValue): DigestChallengeReading {
  if (value.scheme.toLowerCase() !== 'digest') {
    return unsupported(`scheme "${value.scheme}" is not Digest`);
  }
  const { params } = value;
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  // RFC 3261 §25.1 digest-cln and RFC 7616 §3.3: realm and nonce are required.
  if (realm === undefined) return malformed('Digest challenge without realm');
  if (nonce === undefined) return malformed('Digest challenge without nonce');

  const algorithmToken = params.get('algorithm');
  const algorithm = digestAlgorithm(algorithmToken);
  if (algorithm === undefined) return unsupported(`algorithm "${algorithmToken}" is not supported`);

  const offered = params.get('qop');
  const qop = offered === undefined ? undefined : chooseQop(offered);
  if (offered !== undefined && qop === undefined) return unsupported(`qop "${offered}" is not supported`);

  const challenge: DigestChallenge = {
    realm,
    nonce,
    algorithm,
    stale: isTrue(params.get('stale')),
    userhash: isTrue(params.get('userhash')),
    opaque: params.get('opaque'),
    algorithmToken,
    qop,
  };
  return { ok: true, challenge };
}

/**
 * qop-options is a comma-separated list (RFC 7616 §3.3); unknown values are ignored. "auth" wins
 * over "auth-int" when both are offered: proxies commonly rewrite SDP bodies (media relays), which
 * would break an auth-int digest checked downstream, and auth-int alone is still answered.
 */
function chooseQop(offered: string): DigestQop | undefined {
  const values = offered.split(',').map((entry) => entry.trim().toLowerCase());
  if (values.includes('auth')) return 'auth';
  if (values.includes('auth-int')) return 'auth-int';
  return undefined;
}

/** stale and userhash are case-insensitive flags (RFC 7616 §3.3). */
function isTrue(value: string | undefined): boolean {
  return value?.toLowerCase() === 'true';
}

function malformed(reason: string): DigestChallengeReading {
  return { ok: false, problem: { kind: 'malformed', reason } };
}

function unsupported(reason: string): DigestChallengeReading {
  return { ok: false, problem: { kind: 'unsupported', reason } };
}
