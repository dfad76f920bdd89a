import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import {
  MESSAGE_SUMMARY_TYPE,
  readMessageSummary,
  type MessageSummary,
} from '../../stack/ua/subscriptions/message-summary';
import type { Subscription } from '../../stack/ua/subscriptions/subscription';
import type { UserAgent } from '../../stack/ua/user-agent';
import { emit, emitError } from '../shared/events';
import type { Localize } from '../i18n/localize';
import type { phoneStrings } from './phone-strings';

/** The phone's `voicemail`: whether messages wait, and how many (RFC 3842 §5.2). */
export interface Voicemail {
  readonly waiting: boolean;
  readonly newMessages: number;
  readonly oldMessages: number;
}

interface Host extends ReactiveControllerHost, HTMLElement {
  readonly userAgent: UserAgent | undefined;
  readonly connectionState: string;
  mailbox: string;
  call(target: string): Promise<unknown>;
}

const NONE: Voicemail = { waiting: false, newMessages: 0, oldMessages: 0 };

/**
 * Message waiting (RFC 3842) for the phone: a message-summary subscription to `mailbox` while it
 * is set and the phone connected, and the unsolicited message-summary NOTIFYs that servers such as
 * Asterisk send without one; both update `voicemail`, the reflected `voicemail-waiting`, the
 * `sip-voicemail` event and the indicator, whose button calls the Message-Account (§5.2) or else
 * the mailbox.
 */
export class VoicemailController implements ReactiveController {
  readonly #host: Host;
  #ua: UserAgent | undefined;
  #off: (() => void) | undefined;
  #subscription: Subscription | undefined;
  #mailbox = '';
  #summary: Voicemail = NONE;
  #account: string | undefined;

  constructor(host: Host) {
    (this.#host = host).addController(this);
  }

  get voicemail(): Voicemail {
    return this.#summary;
  }

  hostUpdated(): void {
    const host = this.#host;
    const ua = host.userAgent;
    if (ua !== this.#ua) {
      // A new user agent (or none): the old one ended its subscription as it stopped.
      this.#off?.();
      this.#off = undefined;
      this.#subscription = undefined;
      this.#mailbox = '';
      this.#summary = NONE;
      this.#account = undefined;
      host.toggleAttribute('voicemail-waiting', false);
      this.#ua = ua;
      if (ua) this.#off = ua.subscriptions.events.on('message-summary', (summary) => this.#show(summary));
    }
    if (!ua || host.connectionState !== 'connected') return;
    const mailbox = host.mailbox.trim();
    if (mailbox === this.#mailbox) return;
    this.#mailbox = mailbox;
    void this.#subscription?.stop();
    this.#subscription = undefined;
    if (!mailbox) return;
    try {
      const subscription = ua.subscriptions.subscribe(mailbox, {
        event: 'message-summary',
        accept: MESSAGE_SUMMARY_TYPE,
      });
      subscription.events.on('notify', ({ body, contentType }) => {
        const summary = contentType === MESSAGE_SUMMARY_TYPE ? readMessageSummary(body) : undefined;
        if (summary) this.#show(summary);
      });
      subscription.events.on('terminated', ({ reason }) => {
        if (reason !== 'unsubscribed')
          emitError(host, new Error(`Voicemail subscription to ${mailbox} ended: ${reason}`));
      });
      this.#subscription = subscription;
    } catch (error) {
      emitError(host, error, `Cannot subscribe to the mailbox ${mailbox}`);
    }
  }

  /** The indicator: the counts (an aria-live status) and a button that calls the mailbox. */
  render(t: Localize<typeof phoneStrings>) {
    const { waiting, newMessages, oldMessages } = this.#summary;
    if (!waiting && !newMessages) return nothing;
    const target = this.#account ?? this.#mailbox;
    return html`<div part="voicemail" class="row">
      <span part="voicemail-count" role="status">${t.text('voicemail', { new: newMessages, old: oldMessages })}</span>
      ${
        target
          ? html`<button part="button voicemail-button" type="button" @click=${() => this.#listen(target)}>${t.text('listen')}</button>`
          : nothing
      }
    </div>`;
  }

  #listen(target: string): void {
    this.#host.call(target).catch((error: unknown) => emitError(this.#host, error, 'Cannot call the voicemail'));
  }

  #show(summary: MessageSummary): void {
    const { waiting, newMessages, oldMessages, account } = summary;
    const previous = this.#summary;
    this.#account = account ?? this.#account;
    if (previous.waiting === waiting && previous.newMessages === newMessages && previous.oldMessages === oldMessages)
      return;
    this.#summary = { waiting, newMessages, oldMessages };
    this.#host.toggleAttribute('voicemail-waiting', waiting);
    this.#host.requestUpdate();
    emit(this.#host, 'sip-voicemail', { waiting, newMessages, oldMessages, account });
  }
}
