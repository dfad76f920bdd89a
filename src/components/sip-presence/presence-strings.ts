import type { StringsOf } from '../i18n/strings';

/**
 * Every text `<sip-presence>` shows or gives to assistive technology, in English (built in). To
 * add one: add its key here and translate it in each of `src/components/i18n/*.ts`.
 */
export const presenceStrings = {
  idle: 'Idle',
  ringing: 'Ringing',
  busy: 'Busy',
  available: 'Available',
  away: 'Away',
  offline: 'Offline',
  unknown: 'Unknown',
  // The button's accessible name: it must hold the visible text, the name then the state, in that
  // order (WCAG 2.5.3, Label in Name), so a speech user who says what they see reaches it.
  callLamp: 'Call {name}, {state}',
} as const;

/** The type of `<sip-presence>`'s table. */
export type PresenceStrings = StringsOf<typeof presenceStrings>;
