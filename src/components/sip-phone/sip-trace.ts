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

// A header line and its folded continuation lines (RFC 3261 §7.3.1); names are case-insensitive.
const CREDENTIAL_HEADER = /^((?:proxy-)?authorization[ \t]*:)[^\r\n]*(?:\r?\n[ \t]+[^\r\n]*)*/gim;

/** Replaces the value of every Authorization and Proxy-Authorization header with `[redacted]`. */
export function redactCredentials(text: string): string {
  return text.replace(CREDENTIAL_HEADER, '$1 [redacted]');
}

/** Adds an entry to `entries` (a new array: Lit sees the change), redacted, truncated, bounded. */
export function appendTrace(entries: readonly TraceEntry[], direction: TraceEntry['direction'], text: string): TraceEntry[] {
  const redacted = redactCredentials(text);
  const clipped = redacted.length > TRACE_ENTRY_LIMIT ? `${redacted.slice(0, TRACE_ENTRY_LIMIT)}\n[… ${redacted.length - TRACE_ENTRY_LIMIT} more characters]` : redacted;
  return [...entries.slice(-(TRACE_LIMIT - 1)), { direction, time: Date.now(), text: clipped }];
}
