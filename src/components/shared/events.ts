/**
 * Every event the elements fire, typed once. All are dispatched the same way (bubbling, composed,
 * typed `detail`) through {@link emit}, and `GlobalEventHandlersEventMap` is augmented below so that
 * `addEventListener('sip-call-state', e => e.detail.state)` is typed for users.
 */
export type CallState = 'calling' | 'ringing' | 'incoming' | 'early' | 'connected' | 'held' | 'ended';

export interface SipEventDetails {
  'sip-connecting': { server: string };
  'sip-connected': { server: string };
  'sip-disconnected': { server: string; reason: string };
  'sip-registered': { aor: string; expires: number };
  'sip-unregistered': { aor: string };
  'sip-registration-failed': { aor: string; status: number; reason: string };
  'sip-incoming': { call: HTMLElement; from: string; displayName: string };
  'sip-call-state': { state: CallState; previous: CallState | undefined };
  'sip-call-ended': { cause: string; status: number | undefined };
  'sip-message': { from: string; displayName: string; contentType: string; body: string };
  'sip-error': { error: Error };
}

export type SipEventName = keyof SipEventDetails;
export type SipEvent<K extends SipEventName> = CustomEvent<SipEventDetails[K]>;

/** Fires a typed `sip-*` event; returns false when a listener called preventDefault(). */
export function emit<K extends SipEventName>(
  target: EventTarget,
  name: K,
  detail: SipEventDetails[K],
  options: { cancelable?: boolean } = {},
): boolean {
  return target.dispatchEvent(
    new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: options.cancelable ?? false }),
  );
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
    'sip-message': SipEvent<'sip-message'>;
    'sip-error': SipEvent<'sip-error'>;
  }
}
