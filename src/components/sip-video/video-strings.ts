import type { StringsOf } from '../i18n/strings';

/**
 * Every text `<sip-video>` shows or gives to assistive technology, in English (built in). To add
 * one: add its key here and translate it in each of `src/components/i18n/*.ts`.
 */
export const videoStrings = {
  remote: 'Remote video',
  local: 'Local preview',
  noVideo: 'No video',
} as const;

/** The type of `<sip-video>`'s table. */
export type VideoStrings = StringsOf<typeof videoStrings>;
