// Every shipped language has every key of every element's table, with the same placeholders, and
// says its direction (issue 19). A key added to an English table fails here (and in the type
// check) until each language has it.
import { expect } from '@open-wc/testing';
import { loadLanguage } from './localize';
import type { Placeholders } from './strings';
import { phoneStrings } from '../sip-phone/phone-strings';
import { callStrings } from '../sip-call/call-strings';
import { presenceStrings } from '../sip-presence/presence-strings';
import { videoStrings } from '../sip-video/video-strings';

const ENGLISH: Record<string, Record<string, string>> = {
  phone: phoneStrings,
  call: callStrings,
  presence: presenceStrings,
  video: videoStrings,
};
const SHIPPED = { de: 'ltr', fr: 'ltr', es: 'ltr', ar: 'rtl' } as const;

const placeholders = (message: string): string[] =>
  [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();

describe('shipped translations', () => {
  it('placeholders are read the same way by the type and by format()', () => {
    const sample: Placeholders<'Call {name}, {state}'> = 'name';
    expect(placeholders('Call {name}, {state}')).to.deep.equal(['name', 'state']);
    expect(sample).to.equal('name');
  });

  for (const [lang, dir] of Object.entries(SHIPPED)) {
    it(`${lang}: every key of the four tables, the same placeholders, no empty text, dir ${dir}`, async () => {
      const translation = await loadLanguage(lang);
      expect(translation, `${lang} loads`).to.not.equal(undefined);
      expect(translation!.lang).to.equal(lang);
      expect(translation!.dir).to.equal(dir);
      for (const [part, english] of Object.entries(ENGLISH)) {
        const table = (translation as unknown as Record<string, Record<string, string>>)[part]!;
        expect(Object.keys(table).sort(), `${lang} ${part}: keys`).to.deep.equal(Object.keys(english).sort());
        for (const [key, message] of Object.entries(english)) {
          expect(table[key]!.trim(), `${lang} ${part}.${key}`).to.not.equal('');
          expect(placeholders(table[key]!), `${lang} ${part}.${key}: placeholders`).to.deep.equal(
            placeholders(message),
          );
        }
      }
    });
  }
});
