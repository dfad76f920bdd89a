/**
 * The phone's call history as data: the entries (newest first, at most HISTORY_LIMIT), the count
 * of missed calls not yet seen, and their storage as JSON. No element and no timer here, so it is
 * tested apart from the phone (call-history.test.ts); history-controller.ts feeds it from calls.
 *
 * What is stored comes back from the page's storage, which the page's other scripts (or the user)
 * can change: it is parsed like remote input. Every field of every entry is checked, an entry that
 * fails is dropped alone, and the sizes are bounded, so a tampered store can neither break the
 * phone nor make it hold more than a fresh one would.
 */
import type { CallEndCause } from '../../stack/ua/calls/call-types';

/** One call in the history. Remote text (`uri`, `displayName`) is rendered as text only. */
export interface HistoryEntry {
  readonly id: string;
  readonly direction: 'incoming' | 'outgoing';
  /** The other party's address, as From (incoming) or To (outgoing) named it. */
  readonly uri: string;
  /** The other party's display name, '' when none. */
  readonly displayName: string;
  /** When the call began (rang here, or was placed), ms since the epoch. */
  readonly start: number;
  /** How long it was connected (held included), in ms; 0 for a call never answered. */
  readonly duration: number;
  /** How it ended (the call's `sip-call-ended` cause). */
  readonly cause: CallEndCause;
  /** The SIP status behind the end, when there was one (487, 486, 480...). */
  readonly status: number | undefined;
  /**
   * An incoming call not answered here, not declined by the user or the page, and not answered on
   * another device of the user (`answered-elsewhere`): the caller gave up (CANCEL), it rang out
   * (480), it failed while ringing, or the phone declined it by itself (do-not-disturb's 486, or
   * 488 where calls cannot work).
   */
  readonly missed: boolean;
  /** Declined with 486 because do-not-disturb was on (then also `missed`). */
  readonly dnd: boolean;
}

/** How many entries the history keeps: the oldest goes when a new one comes. */
export const HISTORY_LIMIT = 100;
/** Remote text is cut to these lengths before it is kept (a peer chooses it, up to a 64 KiB message). */
export const MAX_URI_LENGTH = 1024;
export const MAX_NAME_LENGTH = 256;
/** Stored text longer than this is not parsed at all: more than HISTORY_LIMIT full entries could need. */
export const MAX_STORED_LENGTH = 256 * 1024;

const CAUSES: readonly CallEndCause[] = [
  'hangup',
  'remote-hangup',
  'canceled',
  'remote-canceled',
  'answered-elsewhere',
  'declined',
  'busy',
  'rejected',
  'no-answer',
  'transferred',
  'replaced',
  'failed',
];
/** An address the call-back button may dial: a SIP, SIPS or tel URI (RFC 3261 §19.1, RFC 3966). */
const DIALABLE = /^(sips?|tel):[^\s]+$/i;
/** Latest plausible time (year 2200) and longest duration (a year), in ms: anything past is not a call. */
const MAX_TIME = 7_258_118_400_000;
const MAX_DURATION = 366 * 24 * 3_600_000;

/** The storage key of an address of record's history: one per AOR, so two accounts never mix. */
export const storageKey = (aor: string): string => `sip-elements.history:${aor}`;

/** The stored form: the entries and the missed count the user has not seen yet. */
interface Stored {
  version: 1;
  unseen: number;
  entries: HistoryEntry[];
}

export class CallHistory {
  #entries: readonly HistoryEntry[] = [];
  #unseen = 0;

  constructor(readonly limit = HISTORY_LIMIT) {}

  /** Newest first. */
  get entries(): readonly HistoryEntry[] {
    return this.#entries;
  }

  /** Missed calls since the user last looked (markSeen), at most the missed entries still kept. */
  get unseen(): number {
    return this.#unseen;
  }

  /** Adds a call (remote text cut to its bounds); the oldest entry goes beyond the limit. */
  add(entry: HistoryEntry): HistoryEntry {
    const kept = Object.freeze({
      ...entry,
      uri: entry.uri.slice(0, MAX_URI_LENGTH),
      displayName: entry.displayName.slice(0, MAX_NAME_LENGTH),
    });
    this.#entries = Object.freeze([kept, ...this.#entries].slice(0, this.limit));
    if (kept.missed) this.#unseen++;
    this.#unseen = Math.min(this.#unseen, this.#missedKept());
    return kept;
  }

  clear(): void {
    this.#entries = Object.freeze([]);
    this.#unseen = 0;
  }

  /** The user looked at the history: no missed call is new any more. */
  markSeen(): void {
    this.#unseen = 0;
  }

  /** The JSON to store. */
  serialize(): string {
    const stored: Stored = { version: 1, unseen: this.#unseen, entries: [...this.#entries] };
    return JSON.stringify(stored);
  }

  /** Replaces the entries with those of stored text (see parseStoredHistory); nothing usable: empty. */
  load(text: string | null): void {
    const { entries, unseen } = parseStoredHistory(text, this.limit);
    this.#entries = Object.freeze(entries.map((entry) => Object.freeze(entry)));
    this.#unseen = Math.min(unseen, this.#missedKept());
  }

  #missedKept(): number {
    return this.#entries.filter((entry) => entry.missed).length;
  }
}

/**
 * Reads stored history text: the entries that pass every check, newest first, at most `limit`,
 * and the unseen count. Anything else (not JSON, too long, the wrong shape) reads as empty; it
 * never throws.
 */
export function parseStoredHistory(
  text: string | null,
  limit = HISTORY_LIMIT,
): { entries: HistoryEntry[]; unseen: number } {
  const empty = { entries: [], unseen: 0 };
  if (typeof text !== 'string' || text.length > MAX_STORED_LENGTH) return empty;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return empty;
  }
  if (!isRecord(value) || value.version !== 1 || !Array.isArray(value.entries)) return empty;
  const entries: HistoryEntry[] = [];
  const ids = new Set<string>();
  // At most `limit` candidates are even looked at (the stored list is newest first already).
  for (const candidate of value.entries.slice(0, limit)) {
    const entry = readEntry(candidate);
    if (!entry || ids.has(entry.id)) continue;
    ids.add(entry.id);
    entries.push(entry);
  }
  entries.sort((a, b) => b.start - a.start);
  const unseen = Number.isSafeInteger(value.unseen) && (value.unseen as number) > 0 ? (value.unseen as number) : 0;
  return { entries, unseen };
}

/** One stored entry, rebuilt field by field from what passed its check (no other key survives), else undefined. */
function readEntry(value: unknown): HistoryEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { id, direction, uri, displayName, start, duration, cause, status, missed, dnd } = value;
  if (!(typeof id === 'string' && id.length > 0 && id.length <= 64)) return undefined;
  if (direction !== 'incoming' && direction !== 'outgoing') return undefined;
  if (!(typeof uri === 'string' && uri.length <= MAX_URI_LENGTH && DIALABLE.test(uri))) return undefined;
  if (!(typeof displayName === 'string' && displayName.length <= MAX_NAME_LENGTH)) return undefined;
  if (!(typeof start === 'number' && Number.isFinite(start) && start >= 0 && start <= MAX_TIME)) return undefined;
  if (!(typeof duration === 'number' && Number.isFinite(duration) && duration >= 0 && duration <= MAX_DURATION))
    return undefined;
  if (!CAUSES.includes(cause as CallEndCause)) return undefined;
  if (!(status === undefined || (Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 699)))
    return undefined;
  if (typeof missed !== 'boolean' || typeof dnd !== 'boolean') return undefined;
  // An outgoing call is never missed, nor declined by our do-not-disturb.
  if (direction === 'outgoing' && (missed || dnd)) return undefined;
  return {
    id,
    direction,
    uri,
    displayName,
    start,
    duration,
    cause: cause as CallEndCause,
    status: status as number | undefined,
    missed,
    dnd,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
