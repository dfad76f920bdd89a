/**
 * RFC 3261 §8.2 wants a 400 for a request that is malformed, but the parser could not build one.
 * This recovers just enough from the raw text to answer: the start line must look like a request
 * and the fields a response copies (Via, From, To, Call-ID, CSeq, §8.2.6.2) must be present.
 * Anything less cannot be answered and is only reported.
 */

const COMPACT: Readonly<Record<string, string>> = { v: 'via', f: 'from', t: 'to', i: 'call-id' };
const COPIED = ['via', 'from', 'to', 'call-id', 'cseq'] as const;
const NAMES: Readonly<Record<(typeof COPIED)[number], string>> = {
  via: 'Via',
  from: 'From',
  to: 'To',
  'call-id': 'Call-ID',
  cseq: 'CSeq',
};
const REQUEST_LINE = /^[A-Za-z]+ \S+ SIP\/\d+\.\d+$/;

/**
 * The text of a 400 response to `text`, or undefined when it is not answerable. `toTag` is added
 * to To when the request's has none (§8.2.6.2).
 */
export function badRequestResponse(text: string, reason: string, toTag: string): string | undefined {
  const headEnd = text.indexOf('\r\n\r\n');
  const head = (headEnd >= 0 ? text.slice(0, headEnd) : text).replace(/\r\n[ \t]+/g, ' ');
  const lines = head.split('\r\n');
  if (!REQUEST_LINE.test(lines[0] ?? '') || lines[0]!.startsWith('ACK ')) return undefined; // §17: never answer an ACK
  const found = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const raw = line.slice(0, colon).trim().toLowerCase();
    const name = COMPACT[raw] ?? raw;
    if (!(COPIED as readonly string[]).includes(name)) continue;
    const value = line.slice(colon + 1).trim();
    if (value === '' || /[\r\n]/.test(value)) continue;
    found.set(name, [...(found.get(name) ?? []), value]);
  }
  if (!COPIED.every((name) => found.has(name))) return undefined;
  const safeReason = reason.replace(/[^\x20-\x7e]/g, '?').slice(0, 120);
  let out = `SIP/2.0 400 ${safeReason}\r\n`;
  for (const name of COPIED) {
    for (const value of found.get(name)!) {
      const tagged = name === 'to' && !/;\s*tag\s*=/i.test(value) ? `${value};tag=${toTag}` : value;
      out += `${NAMES[name]}: ${tagged}\r\n`;
    }
  }
  return `${out}Content-Length: 0\r\n\r\n`;
}
