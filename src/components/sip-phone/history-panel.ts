import { html, nothing } from 'lit';
import { formatDuration, stateKey } from '../sip-call/call-labels';
import { callStrings } from '../sip-call/call-strings';
import type { HistoryEntry } from './call-history';
import { HISTORY_STRINGS as S } from './history-strings';

interface HistoryActions {
  /** The user opened the panel. */
  opened(): void;
  callBack(entry: HistoryEntry): void;
  clear(): void;
}

const kind = (entry: HistoryEntry): string =>
  entry.missed ? (entry.dnd ? S.missedDnd : S.missed) : entry.direction === 'incoming' ? S.incoming : S.outgoing;

/**
 * The history panel: a disclosure whose summary carries the missed-call badge (opening it marks
 * them seen), the calls newest first with a call-back button each, and a clear button. Names and
 * addresses are remote text, bound as text (and as attribute values), never as markup.
 */
export function historyPanel(entries: readonly HistoryEntry[], unseen: number, actions: HistoryActions) {
  return html`<details part="history" @toggle=${(event: Event) => (event.target as HTMLDetailsElement).open && actions.opened()}>
    <summary part="history-toggle">
      ${S.history}
      ${unseen ? html`<span part="missed-badge" role="status" aria-label=${`${unseen} ${S.missedNew}`}>${unseen}</span>` : nothing}
    </summary>
    ${entries.length
      ? html`<ol class="history" aria-label=${S.historyList}>
            ${entries.map((entry) => {
              const party = entry.displayName || entry.uri;
              // Connected: how long; else (not missed) how it ended, in the words <sip-call> uses (Busy, Call declined...).
              const answered = entry.duration > 0 ? formatDuration(entry.duration / 1000) : entry.missed ? '' : callStrings[stateKey('ended', undefined, entry.cause)];
              return html`<li part=${entry.missed ? 'history-entry missed-call' : 'history-entry'} class=${entry.direction}>
                <span part="history-party" title=${entry.uri}>${party}</span>
                <span class="meta">${[kind(entry), new Date(entry.start).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }), answered].filter(Boolean).join(' · ')}</span>
                <button part="button call-back-button" type="button" aria-label=${`${S.callBack}: ${party}`} @click=${() => actions.callBack(entry)}>${S.callBack}</button>
              </li>`;
            })}
          </ol>
          <button part="button clear-history-button" type="button" @click=${actions.clear}>${S.clear}</button>`
      : html`<p class="meta">${S.empty}</p>`}
  </details>`;
}
