/**
 * The SIP trace panel's data: what went over the WebSocket, both ways, with credentials removed and
 * a bounded size (a long-lived phone must not grow without end).
 */
export interface TraceEntry {
  readonly direction: 'sent' | 'received';
  /** ms since the epoch. */
  readonly time: number;
  /** The message text with Authorization and Proxy-Authorization values replaced by [redacted]. */
  readonly text: string;
}

/** Entries kept; older ones are dropped first. */
export const TRACE_LIMIT = 200;
/** Characters kept of one message. */
export const TRACE_ENTRY_LIMIT = 8000;

/**
 * Replaces the value of every Authorization and Proxy-Authorization header with `[redacted]`: the
 * header line and its folded continuation lines (RFC 3261 §7.3.1); names are case-insensitive.
 */
export function redactCredentials(text: string): string {
  return text.replace(/^((?:proxy-)?authorization[ \t]*:)[^\r\n]*(?:\r?\n[ \t]+[^\r\n]*)*/gim, '$1 [redacted]');
}

/** Adds an entry to `entries` (a new array: Lit sees the change), redacted, truncated, bounded. */
export function appendTrace(
  entries: readonly TraceEntry[],
  direction: TraceEntry['direction'],
  text: string,
): TraceEntry[] {
  text = redactCredentials(text);
  const over = text.length - TRACE_ENTRY_LIMIT;
  if (over > 0) text = `${text.slice(0, TRACE_ENTRY_LIMIT)}\n[… ${over} more characters]`;
  return [...entries.slice(1 - TRACE_LIMIT), { direction, time: Date.now(), text }];
}
