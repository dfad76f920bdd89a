/**
 * The optional users file that turns digest authentication on:
 *
 *   { "realm": "sip-elements.test", "users": { "alice": "alice-secret", "bob": "bob-secret" } }
 *
 * `realm` defaults to the server's domain. Passwords are kept in clear because the digest needs
 * them (or H(A1) per algorithm): this is a development server, never a password store.
 */
import { readFileSync } from 'node:fs';

export interface UserDirectory {
  readonly realm?: string;
  /** Digest user name to password. */
  readonly users: Readonly<Record<string, string>>;
}

/** Checks the shape of a parsed users file. @throws Error naming what is wrong. */
export function checkUserDirectory(value: unknown, source = 'users file'): UserDirectory {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${source}: expected an object like {"users": {"alice": "password"}}`);
  }
  const { realm, users } = value as Record<string, unknown>;
  if (realm !== undefined && (typeof realm !== 'string' || realm === '' || /["\\\r\n]/.test(realm))) {
    throw new Error(`${source}: "realm" must be a non-empty string without quotes, backslashes or line breaks`);
  }
  if (typeof users !== 'object' || users === null || Array.isArray(users)) {
    throw new Error(`${source}: "users" must be an object mapping user names to passwords`);
  }
  for (const [name, password] of Object.entries(users)) {
    // A user name goes into URIs and quoted digest parameters: keep it to RFC 3261 unreserved-ish text.
    if (!/^[A-Za-z0-9._~!$&'()*+,;=-]+$/.test(name))
      throw new Error(`${source}: invalid user name ${JSON.stringify(name)}`);
    if (typeof password !== 'string') throw new Error(`${source}: the password of "${name}" must be a string`);
  }
  return {
    ...(realm === undefined ? {} : { realm: realm as string }),
    users: { ...(users as Record<string, string>) },
  };
}

/** Reads and checks a users file. @throws Error with the path and the problem. */
export function readUsersFile(path: string): UserDirectory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read users file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`users file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return checkUserDirectory(parsed, `users file ${path}`);
}
