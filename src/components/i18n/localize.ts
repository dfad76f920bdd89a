import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { callStrings } from '../sip-call/call-strings';
import { phoneStrings } from '../sip-phone/phone-strings';
import { presenceStrings } from '../sip-presence/presence-strings';
import { videoStrings } from '../sip-video/video-strings';
import { format, type StringsOf, type Values } from './strings';
import type { TablePart, Translation } from './translation';

/** English: built in, and what any key a translation or override lacks falls back to. */
const english: Translation = {
  lang: 'en',
  dir: 'ltr',
  phone: phoneStrings,
  call: callStrings,
  presence: presenceStrings,
  video: videoStrings,
};

/**
 * The shipped languages besides English, each its own module: a bundler makes each a chunk that
 * the page fetches only the first time an element is in that language.
 */
const SHIPPED: Readonly<Record<string, () => Promise<{ default: Translation }>>> = {
  de: () => import('./de'),
  fr: () => import('./fr'),
  es: () => import('./es'),
  ar: () => import('./ar'),
};

const languages = new Map<string, Translation>([['en', english]]);
const loads = new Map<string, Promise<Translation | undefined>>();
/** The elements in the page, re-rendered when a language arrives or a `lang` changes. */
const hosts = new Set<Localize<Record<string, string>>>();
let pageObserver: MutationObserver | undefined;

const refreshAll = (): void => hosts.forEach((host) => host.refresh());

/** What is being watched for `lang` changes now (for tests: nothing once no element is in the page). */
export const watching = (): { elements: number; page: boolean } => ({ elements: hosts.size, page: !!pageObserver });

/** `de-AT` is looked up as `de-at`, then `de`. */
const candidates = (lang: string): string[] => {
  const tag = lang.trim().toLowerCase();
  const primary = tag.split('-')[0]!;
  return tag === primary ? [tag] : [tag, primary];
};

/**
 * Adds (or replaces) a language, for every element on the page: `registerLanguage('it', it)`,
 * where `it` is a complete {@link Translation} (TypeScript says which keys are missing).
 */
export function registerLanguage(translation: Translation): void {
  languages.set(translation.lang.toLowerCase(), translation);
  refreshAll();
}

/**
 * Loads a shipped language now (the elements load it themselves when they meet it; a page that
 * awaits this first never shows English in its place). Resolves to the language, or undefined
 * for one that is neither shipped nor registered.
 */
export function loadLanguage(lang: string): Promise<Translation | undefined> {
  for (const code of candidates(lang)) {
    const known = languages.get(code);
    if (known) return Promise.resolve(known);
    const load = SHIPPED[code];
    if (!load) continue;
    let loading = loads.get(code);
    if (!loading) {
      loading = load().then(
        ({ default: translation }) => {
          if (!languages.has(code)) languages.set(code, translation);
          refreshAll();
          return languages.get(code);
        },
        // A chunk that cannot be fetched (offline, a page that moved the files): English stays.
        () => undefined,
      );
      loads.set(code, loading);
    }
    return loading;
  }
  return Promise.resolve(undefined);
}

/** `lang` when it is a valid tag of the texts' language `texts`, else `texts` (Intl throws on a malformed tag). */
function localeOf(lang: string, texts: string): string {
  if (!candidates(lang).includes(texts.toLowerCase())) return texts;
  try {
    return Intl.getCanonicalLocales(lang.trim())[0] ?? texts;
  } catch {
    return texts;
  }
}

/**
 * The language an element is in: its own `lang`, else the closest ancestor's (across shadow roots), else the
 * document's.
 */
export function languageOf(element: Element): string {
  for (let node: Node | null = element; node; node = node.parentNode ?? (node as ShadowRoot).host ?? null) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang')!;
  }
  return document.documentElement.lang;
}

interface Host extends ReactiveControllerHost, HTMLElement {
  /** The page's replacements for some of the element's strings. */
  strings: object | undefined;
}

/**
 * An element's strings in its language. The language is the element's `lang`, else its closest
 * ancestor's, else the document's; the element renders again when any of them changes (an
 * observer on the document and one on the element, both gone when the element leaves) or when a
 * language it waits for has loaded. Every text comes from, in order: the element's `strings`
 * (the page's overrides), the language's table, English.
 */
export class Localize<E extends Record<string, string>> implements ReactiveController {
  readonly #host: Host;
  readonly #part: TablePart;
  readonly #own = new MutationObserver(() => this.refresh());
  #translation: Translation = english;
  #locale = 'en';

  constructor(host: Host, part: TablePart) {
    (this.#host = host).addController(this);
    this.#part = part;
  }

  hostConnected(): void {
    hosts.add(this as unknown as Localize<Record<string, string>>);
    this.#own.observe(this.#host, { attributes: true, attributeFilter: ['lang', 'dir'] });
    if (!pageObserver) {
      pageObserver = new MutationObserver(refreshAll);
      pageObserver.observe(document.documentElement, {
        attributes: true,
        attributeFilter: ['lang', 'dir'],
        subtree: true,
      });
    }
  }

  hostDisconnected(): void {
    hosts.delete(this as unknown as Localize<Record<string, string>>);
    this.#own.disconnect();
    if (hosts.size) return;
    pageObserver?.disconnect();
    pageObserver = undefined;
  }

  hostUpdate(): void {
    const lang = languageOf(this.#host);
    this.#translation =
      candidates(lang)
        .map((code) => languages.get(code))
        .find(Boolean) ?? english;
    this.#locale = localeOf(lang, this.#translation.lang);
    // Not known yet: English now, the language once its module arrives (refreshAll).
    if (lang && this.#translation === english && !candidates(lang).includes('en')) void loadLanguage(lang);
  }

  /** Asks the element to render again (its language, or a language's table, changed). */
  refresh(): void {
    this.#host.requestUpdate();
  }

  /** The language of the texts shown, e.g. `de` (`en` when the element's language is not known). */
  get lang(): string {
    return this.#translation.lang;
  }

  /**
   * The locale for dates and numbers (Intl): the element's own tag where the texts are in its
   * language (`de-AT`, `en-GB` keep their region's formats), else the texts' language (an element
   * in Italian, which is not shipped, reads English and formats as English).
   */
  get locale(): string {
    return this.#locale;
  }

  /** The element's direction: its own `dir` attribute, else its language's. */
  get dir(): 'ltr' | 'rtl' {
    const own = this.#host.dir;
    return own === 'ltr' || own === 'rtl' ? own : this.#translation.dir;
  }

  /** A text, its `{placeholders}` filled with `values`. */
  text<K extends keyof E & string>(key: K, ...[values]: Values<E[K]>): string {
    return format(this.template(key), values);
  }

  /**
   * A text of another element's table in this element's language: the phone's history names an
   * end cause in its calls' words. `overrides` are the page's for that table (the phone's `callStrings`).
   */
  textIn<P extends TablePart>(part: P, key: keyof Translation[P] & string, overrides?: object): string {
    const override = (overrides as Partial<Record<string, unknown>> | undefined)?.[key];
    if (typeof override === 'string') return override;
    return (
      (this.#translation[part] as unknown as Record<string, string>)[key] ??
      (english[part] as unknown as Record<string, string>)[key] ??
      ''
    );
  }

  /** A text with its `{placeholders}` as they are (for `formatParts`). */
  template(key: keyof E & string): string {
    const override = (this.#host.strings as Partial<Record<string, unknown>> | undefined)?.[key];
    if (typeof override === 'string') return override;
    const table = this.#translation[this.#part] as StringsOf<E>;
    // A key that is in no table (a page set `state` to nonsense) reads as nothing, never a crash.
    return (table[key] as string | undefined) ?? (english[this.#part] as unknown as E)[key] ?? '';
  }
}
