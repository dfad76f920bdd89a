import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CallsUnavailableError, mediaCapabilities } from '../../media/capabilities';
import type { CallHandle, CallState } from '../shared/call-handle';
import { emit, emitError } from '../shared/events';
import { CallHistory, storageKey, type HistoryEntry } from './call-history';
import type { CallStrings } from '../sip-call/call-strings';
import type { Localize } from '../i18n/localize';
import { historyPanel } from './history-panel';
import type { phoneStrings } from './phone-strings';

/** sip-error contexts: English, for the page's developers (the UI shows none of them). */
const CALL_BACK_FAILED = 'Cannot call back';
const STORAGE_FAILED = 'Cannot store the call history';

interface Host extends ReactiveControllerHost, HTMLElement {
  readonly aor: string;
  readonly historyStorage: string;
  readonly dnd: boolean;
  /** The page's replacements for the calls' texts: the history names end causes with them too. */
  readonly callStrings: Partial<CallStrings> | undefined;
  call(target: string): Promise<unknown>;
}

const live = (state: CallState) => state === 'connected' || state === 'held';

/**
 * The phone's call history: each call the phone sees becomes an entry when it ends (a
 * `sip-history` event, `kind: 'added'`), the missed ones counted until the user opens the panel
 * (the reflected `missed-calls` attribute and the badge). Kept in memory for the address of
 * record in use (another AOR starts another history), and in localStorage, under a key per AOR,
 * only while the page asks with `history-storage="local"`: then read when the phone takes that
 * AOR and written after each change. Nothing is written otherwise.
 */
export class HistoryController implements ReactiveController {
  readonly #host: Host;
  readonly #store = new CallHistory();
  readonly #watched = new WeakSet<CallHandle>();
  #aor = '';
  #local = false;

  constructor(host: Host) {
    (this.#host = host).addController(this);
  }

  get entries(): readonly HistoryEntry[] {
    return this.#store.entries;
  }

  get unseen(): number {
    return this.#store.unseen;
  }

  /** Before each render: another AOR, or storage turned on, (re)loads the history. */
  hostUpdate(): void {
    const aor = this.#host.aor;
    const local = this.#host.historyStorage === 'local';
    if (aor === this.#aor && local === this.#local) return;
    if (aor !== this.#aor) this.#store.clear();
    this.#aor = aor;
    this.#local = local;
    const stored = this.#read();
    // Storage just turned on with nothing stored yet: what is in memory is stored from now on.
    if (stored === null) this.#save();
    else this.#store.load(stored);
    this.#reflect();
  }

  /**
   * Follows a call until it ends, then records it (once per call, whoever calls this first). An
   * incoming call is watched before anything declines it, so the phone's own declines (486 for
   * do-not-disturb, 488 where calls cannot work) are told apart from the user's and the page's.
   */
  watch(call: CallHandle): void {
    if (this.#watched.has(call) || call.state === 'ended') return;
    this.#watched.add(call);
    const start = Date.now();
    let connectedAt = live(call.state) ? start : 0;
    const ringing = call.direction === 'incoming' && call.state === 'incoming';
    const unavailable = ringing && !!mediaCapabilities().callsUnavailable;
    const dnd = ringing && !unavailable && this.#host.dnd;
    const offState = call.events.on('state', (state) => {
      if (!connectedAt && live(state)) connectedAt = Date.now();
    });
    const offEnded = call.events.on('ended', ({ cause, status }) => {
      offState();
      offEnded();
      const incoming = call.direction === 'incoming';
      this.#add({
        id: `${start.toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
        direction: call.direction,
        uri: call.remote.uri,
        displayName: call.remote.displayName ?? '',
        start,
        duration: connectedAt ? Date.now() - connectedAt : 0,
        cause,
        status,
        // The user's or the page's decline (603, or 486 by choice) is a decision, not a missed call;
        // nor is a call another device of the user answered (RFC 3326 Reason in the CANCEL).
        missed:
          incoming && !connectedAt && cause !== 'answered-elsewhere' && (cause !== 'declined' || unavailable || dnd),
        dnd,
      });
    });
  }

  clear(): void {
    this.#store.clear();
    this.#changed();
    emit(this.#host, 'sip-history', { kind: 'cleared', entry: undefined });
  }

  /** The user saw the history: the missed count starts again from 0. */
  markSeen(): void {
    if (!this.#store.unseen) return;
    this.#store.markSeen();
    this.#changed();
  }

  /** The panel, in the phone's language `t`. */
  render(t: Localize<typeof phoneStrings>) {
    const actions = {
      opened: () => this.markSeen(),
      callBack: (entry: HistoryEntry) => this.#callBack(entry),
      clear: () => this.clear(),
    };
    return historyPanel(this.#store.entries, this.#store.unseen, actions, t, this.#host.callStrings);
  }

  #add(entry: HistoryEntry): void {
    const kept = this.#store.add(entry);
    this.#changed();
    emit(this.#host, 'sip-history', { kind: 'added', entry: kept });
  }

  #callBack(entry: HistoryEntry): void {
    // A CallsUnavailableError was reported by call() already.
    this.#host
      .call(entry.uri)
      .catch(
        (error: unknown) => error instanceof CallsUnavailableError || emitError(this.#host, error, CALL_BACK_FAILED),
      );
  }

  #changed(): void {
    this.#save();
    this.#reflect();
    this.#host.requestUpdate();
  }

  #reflect(): void {
    const unseen = this.#store.unseen;
    if (unseen) this.#host.setAttribute('missed-calls', String(unseen));
    else this.#host.removeAttribute('missed-calls');
  }

  /** The stored text for this AOR; null when storage is off, empty, or refused (a sandboxed frame). */
  #read(): string | null {
    if (!this.#local || !this.#aor) return null;
    try {
      return localStorage.getItem(storageKey(this.#aor));
    } catch (error) {
      emitError(this.#host, error, STORAGE_FAILED);
      return null;
    }
  }

  #save(): void {
    if (!this.#local || !this.#aor) return;
    try {
      localStorage.setItem(storageKey(this.#aor), this.#store.serialize());
    } catch (error) {
      // Full, or refused: the history goes on in memory.
      emitError(this.#host, error, STORAGE_FAILED);
    }
  }
}
