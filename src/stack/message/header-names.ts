/**
 * Header field names: case-insensitive, with compact forms (RFC 3261 §7.3.1, §7.3.3, §20), and
 * which fields are comma-separated lists. A field is looked up by its key: the long name in lower
 * case (`v`, `VIA` and `Via` all have the key `via`).
 */
import { TOKEN, isAll } from './chars';

// [canonical name, compact form or '', whether RFC 3261 (or the defining RFC) makes it a `#` list]
const KNOWN: ReadonlyArray<readonly [string, string, boolean]> = [
  ['Accept', '', true],
  ['Accept-Contact', 'a', true], // RFC 3841
  ['Accept-Encoding', '', true],
  ['Accept-Language', '', true],
  ['Alert-Info', '', true],
  ['Allow', '', true],
  ['Allow-Events', 'u', true], // RFC 6665
  ['Authentication-Info', '', false],
  // The four auth fields hold commas but are not lists (RFC 3261 §7.3.1 exception).
  ['Authorization', '', false],
  ['Call-ID', 'i', false],
  ['Call-Info', '', true],
  ['Contact', 'm', true],
  ['Content-Disposition', '', false],
  ['Content-Encoding', 'e', true],
  ['Content-Language', '', true],
  ['Content-Length', 'l', false],
  ['Content-Type', 'c', false],
  ['CSeq', '', false],
  ['Date', '', false],
  ['Error-Info', '', true],
  ['Event', 'o', false], // RFC 6665
  ['Expires', '', false],
  ['From', 'f', false],
  ['History-Info', '', true], // RFC 7044
  ['Identity', 'y', false], // RFC 8224
  ['In-Reply-To', '', true],
  ['Max-Forwards', '', false],
  ['MIME-Version', '', false],
  ['Min-Expires', '', false],
  ['Min-SE', '', false], // RFC 4028
  ['Organization', '', false],
  ['P-Asserted-Identity', '', true], // RFC 3325
  ['P-Preferred-Identity', '', true],
  ['Path', '', true], // RFC 3327
  ['Priority', '', false],
  ['Privacy', '', false],
  ['Proxy-Authenticate', '', false],
  ['Proxy-Authorization', '', false],
  ['Proxy-Require', '', true],
  ['RAck', '', false], // RFC 3262
  ['Reason', '', true], // RFC 3326
  ['Record-Route', '', true],
  ['Refer-To', 'r', false], // RFC 3515
  ['Referred-By', 'b', false], // RFC 3892
  ['Reject-Contact', 'j', true],
  ['Replaces', '', false], // RFC 3891
  ['Reply-To', '', false],
  ['Request-Disposition', 'd', true],
  ['Require', '', true],
  ['Retry-After', '', false],
  ['Route', '', true],
  ['RSeq', '', false],
  ['Security-Client', '', true], // RFC 3329
  ['Security-Server', '', true],
  ['Security-Verify', '', true],
  ['Server', '', false],
  ['Service-Route', '', true], // RFC 3608
  ['Session-Expires', 'x', false], // RFC 4028
  ['SIP-ETag', '', false],
  ['SIP-If-Match', '', false],
  ['Subject', 's', false],
  ['Subscription-State', '', false],
  ['Supported', 'k', true],
  ['Timestamp', '', false],
  ['To', 't', false],
  ['Unsupported', '', true],
  ['User-Agent', '', false],
  ['Via', 'v', true],
  ['Warning', '', true],
  ['WWW-Authenticate', '', false],
];

const BY_SPELLING = new Map<string, string>();
const BY_LOWER = new Map<string, string>();
const CANONICAL = new Map<string, string>();
const LISTS = new Set<string>();

for (const [name, compact, list] of KNOWN) {
  const key = name.toLowerCase();
  BY_SPELLING.set(name, key);
  BY_SPELLING.set(key, key);
  BY_LOWER.set(key, key);
  CANONICAL.set(key, name);
  if (list) LISTS.add(key);
  if (compact !== '') {
    BY_SPELLING.set(compact, key);
    BY_SPELLING.set(compact.toUpperCase(), key);
    BY_LOWER.set(compact, key);
  }
}

const COMPACT: Array<string | undefined> = [];
for (const [name, compact] of KNOWN) if (compact !== '') COMPACT[compact.charCodeAt(0)] = name.toLowerCase();

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
  return BY_SPELLING.get(name) ?? BY_LOWER.get(name.toLowerCase());
}

/** The lookup key of any field name: known names resolve compact forms, others are lower-cased. */
export function headerKey(name: string): string {
  return knownHeaderKey(name) ?? name.toLowerCase();
}

/** The name a built message writes for `name`: the canonical spelling of a known field, else `name`. */
export function canonicalHeaderName(name: string): string {
  const key = knownHeaderKey(name);
  if (key !== undefined) return CANONICAL.get(key) as string;
  if (!isAll(name, TOKEN)) throw new RangeError(`invalid header name ${JSON.stringify(name)}`);
  return name;
}

/** Whether the field with this key is a comma-separated list (RFC 3261 §7.3.1). */
export function isListHeader(key: string): boolean {
  return LISTS.has(key);
}
