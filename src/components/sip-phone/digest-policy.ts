/**
 * Which digest challenges the phone's password answers, from its `auth-realm`, `refuse-md5` and
 * `require-qop` attributes (issue 15). Without `auth-realm`, only the realm that challenges the
 * phone's REGISTER (its registrar's) is answered; a far end's 401/407 for any other realm is not,
 * so it cannot have the password hashed for a nonce of its choosing.
 */
import type { UserAgentOptions } from '../../stack/ua/user-agent';

export type DigestPolicy = Required<Pick<UserAgentOptions, 'authRealms' | 'refuseMd5' | 'requireQop'>>;

/** The attributes as the phone holds them: `auth-realm` is text (null once removed). */
export interface DigestPolicySettings {
  readonly authRealm: unknown;
  readonly refuseMd5: boolean;
  readonly requireQop: boolean;
}

/**
 * `auth-realm` is a space-separated list, as HTML writes token lists (`class`, `rel`): a realm
 * with a space in it cannot be named here (use the UserAgent's `authRealms` option for one).
 */
export function digestPolicy(settings: DigestPolicySettings): DigestPolicy {
  const realms = String(settings.authRealm ?? '')
    .split(/\s+/)
    .filter((realm) => realm !== '');
  return {
    authRealms: [...new Set(realms)],
    refuseMd5: Boolean(settings.refuseMd5),
    requireQop: Boolean(settings.requireQop),
  };
}
