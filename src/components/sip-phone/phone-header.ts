import { html, nothing } from 'lit';
import type { Localize } from '../i18n/localize';
import { dndButton } from './do-not-disturb';
import type { phoneStrings } from './phone-strings';

type Texts = Localize<typeof phoneStrings>;

interface HeaderHost {
  readonly displayName: string;
  readonly user: string;
  readonly aor: string;
  readonly registered: boolean;
  dnd: boolean;
  register(): Promise<boolean>;
  unregister(): Promise<void>;
}

/**
 * The top of the phone: its title (the `header` slot's fallback: display name, else user, and the
 * address of record), then the status line (an aria-live region: `status`, the connection and
 * registration in words), with the register button while connected and the do-not-disturb switch.
 */
export function phoneHeader(phone: HeaderHost, status: string, disabled: boolean, t: Texts) {
  return html`<div part="header">
        <slot name="header">
          <span part="title">${phone.displayName || phone.user || t.text('title')}</span>
          ${phone.aor ? html`<span part="aor">${phone.aor}</span>` : nothing}
        </slot>
      </div>
      <div class="row">
        <span part="status" role="status">${status}</span>
        ${
          disabled
            ? nothing
            : html`<button part="button register-button" @click=${() => (phone.registered ? phone.unregister() : phone.register())}>${t.text(phone.registered ? 'unregister' : 'register')}</button>`
        }
        ${dndButton(phone, t)}
      </div>`;
}
