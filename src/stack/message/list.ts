/**
 * Comma-separated header field values (RFC 3261 §7.3.1): several values of one field may share a
 * line, separated by commas that are not inside a quoted string or a `<URI>`.
 */
import { excerpt, isWsp } from './chars';
import { Scanner } from './scanner';
import { fail } from './sip-parse-error';

/**
 * Reads a list, calling `read` for each element; `read` stops at the comma that ends its element.
 * An empty element is an error: RFC 3261's `#` lists have none.
 */
export function readList<T>(value: string, start: number, end: number, read: (sc: Scanner) => T): T[] {
  const sc = new Scanner(value, start, end);
  const items: T[] = [];
  for (;;) {
    sc.wsp();
    if (sc.done || sc.peek() === 0x2c) fail(`empty list element in ${excerpt(value, start, end)}`);
    items.push(read(sc));
    if (sc.done) return items;
    sc.i++; // the comma the element's reader stopped at
  }
}

function pushTrimmed(items: string[], value: string, start: number, end: number): void {
  while (start < end && isWsp(value.charCodeAt(start))) start++;
  while (end > start && isWsp(value.charCodeAt(end - 1))) end--;
  if (end > start) items.push(value.slice(start, end));
}

/** Splits a raw list value into its elements as text, skipping empty ones. */
export function splitList(value: string): string[] {
  const items: string[] = [];
  let start = 0;
  let quoted = false;
  let bracketed = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (quoted) {
      if (c === 0x5c) i++;
      else if (c === 0x22) quoted = false;
    } else if (c === 0x22) {
      quoted = true;
    } else if (c === 0x3c) {
      bracketed = true;
    } else if (c === 0x3e) {
      bracketed = false;
    } else if (c === 0x2c && !bracketed) {
      pushTrimmed(items, value, start, i);
      start = i + 1;
    }
  }
  pushTrimmed(items, value, start, value.length);
  return items;
}
