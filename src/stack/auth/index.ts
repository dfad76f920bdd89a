/** Digest authentication for the SIP stack (RFC 7616, RFC 8760): the public surface of `auth/`. */
export { DigestAuthenticator } from './digest-authenticator';
export type { ChallengePolicyOptions } from './challenge-policy';
export type {
  AuthorizationHeader,
  DigestAnswer,
  DigestAttempt,
  DigestAuthKind,
  DigestAuthenticatorOptions,
  DigestChallenges,
  DigestFailureReason,
  DigestOutcome,
  DigestPreauthorization,
  DigestRequest,
} from './digest-authenticator';
export { computeDigestResponse } from './digest-response';
export type { DigestQop, DigestResponseInput } from './digest-response';
export { digestAlgorithm } from './digest-algorithm';
export type { DigestAlgorithm, DigestAlgorithmName } from './digest-algorithm';
export { readDigestChallenge } from './digest-challenge';
export type { DigestChallenge, DigestChallengeProblem, DigestChallengeReading } from './digest-challenge';
