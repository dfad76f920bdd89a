/**
 * RFC 3261 §8.2 wants a 400 for a request that is malformed, but the parser could not build one.
 * This recovers just enough from the raw text to answer: the start line must look like a request
 * and the fields a response copies (Via, From, To, Call-ID, CSeq, §8.2.6.2) must be present.
 * Anything less cannot be answered and is only reported.
 */

/** The fields a response copies, in the order it writes them; the first four have compact forms (v, f, t, i). */
const COPIED = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];

/**
 * The text of a 400 response to `text`, or undefined when it is not answerable. `toTag` is added
 * to To when the request's has none (§8.2.6.2).
 */
export function badRequestResponse(text: string, reason: string, toTag: string): string | undefined {
  const headEnd = text.indexOf('\r\n\r\n');
  const lines = (headEnd < 0 ? text : text.slice(0, headEnd)).replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  // §17: never answer an ACK.
  if (!/^[A-Za-z]+ \S+ SIP\/\d+\.\d+$/.test(lines[0]!) || lines[0]!.startsWith('ACK ')) return undefined;
  const found = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const raw = line.slice(0, colon).trim().toLowerCase();
    const name = raw.length === 1 ? COPIED['vfti'.indexOf(raw)] : COPIED.find((copied) => copied.toLowerCase() === raw);
    const value = line.slice(colon + 1).trim();
    // A lone CR or LF left in a value would split the answer's header.
    if (!(colon > 0 && name && value) || /[\r\n]/.test(value)) continue;
    // Pushed, not copied: copying the list for each of many Via lines made the answer quadratic.
    const values = found.get(name);
    if (values) values.push(value);
    else found.set(name, [value]);
  }
  let out = `SIP/2.0 400 ${reason.replace(/[^\x20-\x7e]/g, '?').slice(0, 120)}\r\n`;
  for (const name of COPIED) {
    const values = found.get(name);
    if (!values) return undefined;
    for (const value of values) {
      out += `${name}: ${name === 'To' && !/;\s*tag\s*=/i.test(value) ? `${value};tag=${toTag}` : value}\r\n`;
    }
  }
  return `${out}Content-Length: 0\r\n\r\n`;
}
