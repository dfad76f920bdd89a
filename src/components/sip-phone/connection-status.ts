import type { ReactiveControllerHost } from 'lit';
import type { TransportState } from '../../stack/transport/transport';
import type { UserAgent } from '../../stack/ua/user-agent';
import { emit, type SipEventDetails } from '../shared/events';
import type { Localize } from '../i18n/localize';
import { serverUrls } from './flow-transport';
import { missingSettings, settingText } from './phone-config';
import type { phoneStrings } from './phone-strings';

interface Host extends ReactiveControllerHost, HTMLElement {
  readonly server: string;
  readonly flows: number;
  readonly user: string;
  readonly domain: string;
  readonly aor: string;
  readonly registered: boolean;
}

interface Status {
  connection: TransportState;
  /** Why the phone is not connected (the stack's or the browser's own text), or empty. */
  problem: string;
  registrationNote: { status: number; reason: string } | undefined;
  /** When the next reconnection attempt is due, in s. */
  retrySeconds: number | undefined;
}

type RegistrationEvent = 'sip-registered' | 'sip-unregistered' | 'sip-registration-failed';

/**
 * The phone's connection and registration as the user and the page see them: it follows the user
 * agent's WebSocket flows and registration, tells the page (`sip-connecting`, `sip-connected`,
 * `sip-disconnected`, `sip-registered`, `sip-unregistered`, `sip-registration-failed`), and words
 * the status line. Each change updates the phone, as a reactive property of its own would. It
 * follows the user agent the phone's UserAgentController makes, not the phone's own updates.
 */
export class ConnectionStatus {
  readonly #host: Host;
  readonly #status: Status = {
    connection: 'disconnected',
    problem: '',
    registrationNote: undefined,
    retrySeconds: undefined,
  };

  constructor(host: Host) {
    this.#host = host;
  }

  /** The WebSocket's state: the phone is connected while any of its flows is. */
  get connection(): TransportState {
    return this.#status.connection;
  }

  /** Sets one part of the status: a change updates the phone, as Lit does for a reactive property. */
  #set<K extends keyof Status>(key: K, value: Status[K]): void {
    if (this.#status[key] === value) return;
    this.#status[key] = value;
    this.#host.requestUpdate();
  }

  /** Listens to a new user agent; returns what removes the listeners. */
  listen(ua: UserAgent): Array<() => void> {
    const host = this.#host;
    // Each detail is built field by field: the page gets the documented fields, never a stack object.
    const registration = <K extends RegistrationEvent>(
      name: K,
      detail: SipEventDetails[K],
      note?: { status: number; reason: string },
    ) => {
      this.#set('registrationNote', note);
      host.requestUpdate();
      emit(host, name, detail);
    };
    return [
      // The phone as a whole (connected while any flow is) sets the status line...
      ua.events.on('transport', (state, { reason }) => {
        this.#set('connection', state);
        if (state === 'connected') this.#set('problem', '');
        else if (state === 'disconnected') this.#set('problem', reason);
      }),
      // ...and each flow tells the page about its own server.
      ua.events.on('flow', (flow, state, { reason, reconnectInMs }) => {
        const server = serverUrls(settingText(host.server), host.flows)[flow - 1] ?? host.server;
        if (state === 'connecting') emit(host, 'sip-connecting', { server });
        else if (state === 'connected') {
          this.#set('problem', '');
          this.#set('retrySeconds', undefined);
          emit(host, 'sip-connected', { server });
        } else if (state === 'disconnected') {
          this.#set('problem', reason);
          this.#set('retrySeconds', reconnectInMs === undefined ? undefined : Math.ceil(reconnectInMs / 1000));
          emit(host, 'sip-disconnected', { server, reason, reconnectInMs });
        }
      }),
      ua.events.on('registered', ({ expires }) => registration('sip-registered', { aor: host.aor, expires })),
      ua.events.on('unregistered', ({ reason }) => registration('sip-unregistered', { aor: host.aor, reason })),
      ua.events.on('registration-failed', ({ status, reason }) =>
        registration('sip-registration-failed', { aor: host.aor, status, reason }, { status, reason }),
      ),
    ];
  }

  /** The user agent failed: a failed connection already said why, with the retry delay: keep that. */
  error(error: Error): void {
    this.#set('problem', this.#status.problem || error.message);
    emit(this.#host, 'sip-error', { error });
  }

  /** The user agent is replaced or stopped: its old news goes with it. */
  reset(): void {
    this.#set('connection', 'disconnected');
    this.#set('problem', '');
    this.#set('registrationNote', undefined);
  }

  /** The status line, in the phone's language. */
  text(t: Localize<typeof phoneStrings>): string {
    const missing = missingSettings(this.#host);
    const { connection, problem: reason, registrationNote, retrySeconds } = this.#status;
    // The problem is the stack's or the browser's own text (a close reason, a URL error): shown as it is.
    const problem = retrySeconds === undefined ? reason : t.text('retrying', { reason, seconds: retrySeconds });
    return missing.length
      ? t.text('notConfigured', { settings: missing.join(', ') })
      : connection === 'connecting'
        ? t.text('connecting', { server: this.#host.server })
        : connection !== 'connected'
          ? reason
            ? t.text('notConnectedBecause', { problem })
            : t.text('notConnected')
          : this.#host.registered
            ? t.text('registered')
            : registrationNote
              ? t.text('registrationFailed', registrationNote)
              : t.text('connectedNotRegistered');
  }
}
