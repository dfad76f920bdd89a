/**
 * Every event the elements fire, typed once. All are dispatched the same way (bubbling, composed,
 * typed `detail`) through {@link emit}, and `GlobalEventHandlersEventMap` is augmented below so that
 * `addEventListener('sip-call-state', e => e.detail.state)` is typed for users.
 */
import type { QualityFigures, QualityWarning } from '../../media/call-quality';
import type { CallEndCause, CallState } from '../../stack/ua/calls/call-types';
import type { SipCall } from '../sip-call/sip-call.component';
import type { HistoryEntry } from '../sip-phone/call-history';

// The stack's own types: one definition of a call's states and end causes, the elements' events
// say what the stack says (components may import the stack's types; the layers point down).
export type { CallEndCause, CallState };

/** What a `<sip-presence>` lamp shows: a busy lamp's state (RFC 4235) or a presence state (RFC 3856). */
export type PresenceLampState = 'idle' | 'ringing' | 'busy' | 'available' | 'away' | 'offline' | 'unknown';

export interface SipEventDetails {
  /** The phone opens its WebSocket (first time or reconnecting). */
  'sip-connecting': { server: string };
  'sip-connected': { server: string };
  /** The connection closed or could not be opened; `reconnectInMs` when another attempt is scheduled. */
  'sip-disconnected': { server: string; reason: string; reconnectInMs: number | undefined };
  'sip-registered': { aor: string; expires: number };
  'sip-unregistered': { aor: string; reason: string };
  'sip-registration-failed': { aor: string; status: number; reason: string };
  /**
   * Cancelable: preventDefault() declines the call. The caller's name is remote text. `declined`:
   * the phone declined it already (`dnd`: do-not-disturb, 486), and the event is not cancelable.
   * `autoAnswer` is set when the call asks to be answered without the user: after `delay` seconds,
   * and `willAnswer` says whether the phone will (its `auto-answer` attribute, no other call, delay
   * at most 30 s).
   */
  'sip-incoming': {
    call: SipCall;
    from: string;
    displayName: string;
    declined?: 'dnd';
    autoAnswer: { delay: number; willAnswer: boolean } | undefined;
  };
  /** From a `<sip-call>`: `previous` is undefined when the element first shows its call. */
  'sip-call-state': { state: CallState; previous: CallState | undefined };
  'sip-call-ended': { cause: CallEndCause; status: number | undefined; reason: string | undefined };
  /** A DTMF digit the peer sent by SIP INFO. */
  'sip-dtmf': { digit: string; via: 'info' | 'rfc4733' };
  /**
   * Cancelable: the peer asks this call to call `target` (REFER; remote text). preventDefault()
   * declines; `accept()` and `decline()` decide, during the event or later while it is pending;
   * otherwise the `transfer-policy` decides (`ask`: the `<sip-call>` asks its user).
   */
  'sip-transfer-request': { target: string; referredBy: string | undefined; accept(): void; decline(): void };
  /**
   * The far end says this call is now with another party (P-Asserted-Identity or Remote-Party-ID
   * in a re-INVITE or UPDATE, after a PBX transfer): the far end's claim, remote text.
   */
  'sip-remote-identity': { uri: string; displayName: string | undefined };
  /** Progress of a transfer this call asked for (the peer's NOTIFYs). */
  'sip-transfer-progress': { status: number; reason: string };
  /** A MESSAGE (RFC 3428): `call` is the `<sip-call>` it came in (inside a call's dialog), undefined outside one. */
  'sip-message': { from: string; displayName: string; contentType: string; body: string; call: SipCall | undefined };
  'sip-error': { error: Error };
  /** From a `<sip-call>`, every few seconds while connected: the line's figures (see src/media/call-quality.ts). */
  'sip-call-quality': QualityFigures & { warnings: QualityWarning[] };
  /** A quality warning started (`sip-quality-warning`) or cleared (`sip-quality-warning-cleared`). */
  'sip-quality-warning': { warning: QualityWarning; figures: QualityFigures };
  'sip-quality-warning-cleared': { warning: QualityWarning; figures: QualityFigures };
  /** From a `<sip-presence>`: what its lamp shows now; `note` is remote text. */
  'sip-presence-change': {
    target: string;
    event: string;
    state: PresenceLampState;
    previous: PresenceLampState;
    note: string | undefined;
  };
  /** From a `<sip-phone>`: the voicemail summary changed (RFC 3842), from its `mailbox` or unsolicited. */
  'sip-voicemail': { waiting: boolean; newMessages: number; oldMessages: number; account: string | undefined };
  /** From a `<sip-phone>`: a call entered its history (`added`, with its entry), or the history was cleared. */
  'sip-history': { kind: 'added' | 'cleared'; entry: HistoryEntry | undefined };
}

export type SipEventName = keyof SipEventDetails;
export type SipEvent<K extends SipEventName> = CustomEvent<SipEventDetails[K]>;

/** Fires a typed `sip-*` event; returns false when a listener called preventDefault(). */
export function emit<K extends SipEventName>(
  target: EventTarget,
  name: K,
  detail: SipEventDetails[K],
  cancelable = false,
): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
}

/** An Error with a readable message from anything thrown, prefixed with `context` when given. */
export function toError(value: unknown, context?: string): Error {
  const error = value instanceof Error ? value : new Error(String(value));
  return context ? new Error(`${context}: ${error.message}`, { cause: error }) : error;
}

/** Fires `sip-error` for anything thrown, prefixed with what failed. */
export function emitError(target: EventTarget, value: unknown, context?: string): void {
  emit(target, 'sip-error', { error: toError(value, context) });
}

declare global {
  interface GlobalEventHandlersEventMap {
    'sip-connecting': SipEvent<'sip-connecting'>;
    'sip-connected': SipEvent<'sip-connected'>;
    'sip-disconnected': SipEvent<'sip-disconnected'>;
    'sip-registered': SipEvent<'sip-registered'>;
    'sip-unregistered': SipEvent<'sip-unregistered'>;
    'sip-registration-failed': SipEvent<'sip-registration-failed'>;
    'sip-incoming': SipEvent<'sip-incoming'>;
    'sip-call-state': SipEvent<'sip-call-state'>;
    'sip-call-ended': SipEvent<'sip-call-ended'>;
    'sip-dtmf': SipEvent<'sip-dtmf'>;
    'sip-remote-identity': SipEvent<'sip-remote-identity'>;
    'sip-transfer-request': SipEvent<'sip-transfer-request'>;
    'sip-transfer-progress': SipEvent<'sip-transfer-progress'>;
    'sip-message': SipEvent<'sip-message'>;
    'sip-error': SipEvent<'sip-error'>;
    'sip-call-quality': SipEvent<'sip-call-quality'>;
    'sip-quality-warning': SipEvent<'sip-quality-warning'>;
    'sip-quality-warning-cleared': SipEvent<'sip-quality-warning-cleared'>;
    'sip-presence-change': SipEvent<'sip-presence-change'>;
    'sip-voicemail': SipEvent<'sip-voicemail'>;
    'sip-history': SipEvent<'sip-history'>;
  }
}
