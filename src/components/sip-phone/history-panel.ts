import { html, nothing } from 'lit';
import { formatDuration, stateKey } from '../sip-call/call-labels';
import type { CallStrings } from '../sip-call/call-strings';
import type { Localize } from '../i18n/localize';
import type { PlainKeys } from '../i18n/strings';
import type { HistoryEntry } from './call-history';
import type { phoneStrings } from './phone-strings';

interface HistoryActions {
  /** The user opened the panel. */
  opened(): void;
  callBack(entry: HistoryEntry): void;
  clear(): void;
}

type Texts = Localize<typeof phoneStrings>;

const kind = (entry: HistoryEntry): PlainKeys<typeof phoneStrings> =>
  entry.missed
    ? entry.dnd
      ? 'history.missedDnd'
      : 'history.missed'
    : entry.direction === 'incoming'
      ? 'history.incoming'
      : 'history.outgoing';

/**
 * The history panel: a disclosure whose summary carries the missed-call badge (opening it marks
 * them seen), the calls newest first with a call-back button each, and a clear button. Every word
 * is the phone's, in its language (`t`); an end cause is named as its `<sip-call>`s name it (the
 * call table in that language, or the page's `callStrings`); the date in the phone's locale. Names
 * and addresses are remote text, bound as text (and as attribute values), never as markup.
 */
export function historyPanel(
  entries: readonly HistoryEntry[],
  unseen: number,
  actions: HistoryActions,
  t: Texts,
  callStrings: Partial<CallStrings> | undefined,
) {
  const when = new Intl.DateTimeFormat(t.locale, { dateStyle: 'short', timeStyle: 'short' });
  return html`<details part="history" @toggle=${(event: Event) => (event.target as HTMLDetailsElement).open && actions.opened()}>
    <summary part="history-toggle">
      ${t.text('history')}
      ${unseen ? html`<span part="missed-badge" role="status" aria-label=${t.text('missedCount', { count: unseen })}>${unseen}</span>` : nothing}
    </summary>
    ${
      entries.length
        ? html`<ol class="history" aria-label=${t.text('recentCalls')}>
            ${entries.map((entry) => {
              const party = entry.displayName || entry.uri;
              // Connected: how long; else (not missed) how it ended, in the words <sip-call> uses (Busy, Call
              // declined...).
              const answered =
                entry.duration > 0
                  ? formatDuration(entry.duration / 1000)
                  : entry.missed
                    ? ''
                    : t.textIn('call', stateKey('ended', undefined, entry.cause), callStrings);
              return html`<li part=${entry.missed ? 'history-entry missed-call' : 'history-entry'} class=${entry.direction}>
                <span part="history-party" title=${entry.uri}>${party}</span>
                <span class="meta">${[t.text(kind(entry)), when.format(entry.start), answered].filter(Boolean).join(' · ')}</span>
                <button part="button call-back-button" type="button" aria-label=${t.text('callBackTo', { party })} @click=${() => actions.callBack(entry)}>${t.text('callBack')}</button>
              </li>`;
            })}
          </ol>
          <button part="button clear-history-button" type="button" @click=${actions.clear}>${t.text('clearHistory')}</button>`
        : html`<p class="meta">${t.text('noHistory')}</p>`
    }
  </details>`;
}
