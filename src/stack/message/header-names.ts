/**
 * Header field names: case-insensitive, with compact forms (RFC 3261 §7.3.1, §7.3.3, §20), and
 * which fields are comma-separated lists. A field is looked up by its key: the long name in lower
 * case (`v`, `VIA` and `Via` all have the key `via`).
 */
import { TOKEN, isAll, excerpt } from './chars';

// One entry per field: the canonical name, then "/" and the compact form when there is one. A
// leading "#" marks a comma-separated list (RFC 3261 §25.1's `#` rule, or the defining RFC's).
const KNOWN: readonly string[] = [
  '#Accept',
  '#Accept-Contact/a', // RFC 3841
  '#Accept-Encoding',
  '#Accept-Language',
  '#Alert-Info',
  '#Allow',
  '#Allow-Events/u', // RFC 6665
  'Authentication-Info',
  // The four auth fields hold commas but are not lists (RFC 3261 §7.3.1 exception).
  'Authorization',
  'Call-ID/i',
  '#Call-Info',
  '#Contact/m',
  'Content-Disposition',
  '#Content-Encoding/e',
  '#Content-Language',
  'Content-Length/l',
  'Content-Type/c',
  'CSeq',
  'Date',
  '#Error-Info',
  'Event/o', // RFC 6665
  'Expires',
  'From/f',
  '#History-Info', // RFC 7044
  'Identity/y', // RFC 8224
  '#In-Reply-To',
  'Max-Forwards',
  'MIME-Version',
  'Min-Expires',
  'Min-SE', // RFC 4028
  'Organization',
  '#P-Asserted-Identity', // RFC 3325
  '#P-Preferred-Identity',
  '#Path', // RFC 3327
  'Priority',
  'Privacy',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  '#Proxy-Require',
  'RAck', // RFC 3262
  '#Reason', // RFC 3326
  '#Record-Route',
  'Refer-To/r', // RFC 3515
  'Referred-By/b', // RFC 3892
  '#Reject-Contact/j',
  'Replaces', // RFC 3891
  'Reply-To',
  '#Request-Disposition/d',
  '#Require',
  'Retry-After',
  '#Route',
  'RSeq',
  '#Security-Client', // RFC 3329
  '#Security-Server',
  '#Security-Verify',
  'Server',
  '#Service-Route', // RFC 3608
  'Session-Expires/x', // RFC 4028
  'SIP-ETag',
  'SIP-If-Match',
  'Subject/s',
  'Subscription-State',
  '#Supported/k',
  'Timestamp',
  'To/t',
  '#Unsupported',
  'User-Agent',
  '#Via/v',
  '#Warning',
  'WWW-Authenticate',
];

const BY_SPELLING = new Map<string, string>();
const CANONICAL = new Map<string, string>();
const LISTS = new Set<string>();
const COMPACT: Array<string | undefined> = [];
// Canonical spellings by length, as name, key, name, key...: found by a few compares, no hashing.
const BY_LENGTH: string[][] = [];

for (const entry of KNOWN) {
  const list = entry[0] === '#';
  const [name, compact] = (list ? entry.slice(1) : entry).split('/');
  const key = name.toLowerCase();
  BY_SPELLING.set(name, key);
  BY_SPELLING.set(key, key);
  (BY_LENGTH[name.length] ??= []).push(name, key);
  CANONICAL.set(key, name);
  if (list) LISTS.add(key);
  if (compact !== undefined) {
    BY_SPELLING.set(compact, key);
    BY_SPELLING.set(compact.toUpperCase(), key);
    COMPACT[compact.charCodeAt(0)] = key;
  }
}

/** The key of a known field name in any case or compact form, or undefined for another name. */
export function knownHeaderKey(name: string): string | undefined {
  // The fields of nearly every message, as senders spell them, compared without hashing the name.
  switch (name.length) {
    case 1:
      return COMPACT[name.charCodeAt(0) | 0x20];
    case 2:
      if (name === 'To') return 'to';
      break;
    case 3:
      if (name === 'Via') return 'via';
      break;
    case 4:
      if (name === 'From') return 'from';
      if (name === 'CSeq') return 'cseq';
      break;
    case 5:
      if (name === 'Route') return 'route';
      if (name === 'Allow') return 'allow';
      break;
    case 7:
      if (name === 'Call-ID') return 'call-id';
      if (name === 'Contact') return 'contact';
      if (name === 'Expires') return 'expires';
      break;
    case 9:
      if (name === 'Supported') return 'supported';
      break;
    case 10:
      if (name === 'User-Agent') return 'user-agent';
      break;
    case 12:
      if (name === 'Max-Forwards') return 'max-forwards';
      if (name === 'Content-Type') return 'content-type';
      if (name === 'Record-Route') return 'record-route';
      break;
    case 14:
      if (name === 'Content-Length') return 'content-length';
      break;
  }
  const same = BY_LENGTH[name.length];
  if (same !== undefined) for (let i = 0; i < same.length; i += 2) if (same[i] === name) return same[i + 1];
  // Every spelling in lower case is in the map, and no other spelling is all lower case.
  return BY_SPELLING.get(name) ?? BY_SPELLING.get(name.toLowerCase());
}

/** The lookup key of any field name: known names resolve compact forms, others are lower-cased. */
export function headerKey(name: string): string {
  return knownHeaderKey(name) ?? name.toLowerCase();
}

/** The name a built message writes for `name`: the canonical spelling of a known field, else `name`. */
export function canonicalHeaderName(name: string): string {
  const key = knownHeaderKey(name);
  if (key !== undefined) return CANONICAL.get(key) as string;
  if (!isAll(name, TOKEN)) throw new RangeError(`invalid header name ${excerpt(name)}`);
  return name;
}

/** Whether the field with this key is a comma-separated list (RFC 3261 §7.3.1). */
export function isListHeader(key: string): boolean {
  return LISTS.has(key);
}
