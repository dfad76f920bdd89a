import type { CallStrings } from '../sip-call/call-strings';
import type { PhoneStrings } from '../sip-phone/phone-strings';
import type { PresenceStrings } from '../sip-presence/presence-strings';
import type { VideoStrings } from '../sip-video/video-strings';

/**
 * One language: its code, its direction, and the four elements' tables, each complete (a missing
 * key or placeholder is a type error). `src/components/i18n/de.ts` is one; a page adds its own with
 * `registerLanguage()`.
 */
export interface Translation {
  /** The BCP 47 language tag it is registered under, e.g. `de`. */
  readonly lang: string;
  /** `rtl` for Arabic, Hebrew, Persian...; the elements lay themselves out that way. */
  readonly dir: 'ltr' | 'rtl';
  readonly phone: PhoneStrings;
  readonly call: CallStrings;
  readonly presence: PresenceStrings;
  readonly video: VideoStrings;
}

/** Which element's table. */
export type TablePart = 'phone' | 'call' | 'presence' | 'video';
