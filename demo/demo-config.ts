/**
 * The demo's URL scheme. Every setting but the password can come from the URL, so that tabs can be
 * different phones, and a URL can be shared:
 *
 *   ?server=ws://127.0.0.1:8089&domain=example.com&user=alice&display-name=Alice&register
 *   &user2=bob&display-name2=Bob            a second phone side by side (or phones=2)
 *   &trace&theme=dark&ice-servers=[…]&ice-transport-policy=relay&registered-contact
 *   &lang=de                               the elements' language (en, de, fr, es, ar; any BCP 47 tag)
 *
 * A parameter with the suffix 2 configures the second phone; the second phone takes the first's
 * server, domain, ICE servers, register, trace, registered-contact and digest settings
 * (auth-realm, refuse-md5, require-qop) unless it has its own. `username` (the old
 * phone.html name) and underscores (`display_name`) are accepted too. A `password` parameter is
 * never used: the page drops it from the address bar and says so.
 */
export const TEXT_SETTINGS = [
  'server',
  'user',
  'domain',
  'display-name',
  'auth-user',
  'auth-realm',
  'ice-servers',
  'ice-transport-policy',
] as const;
export const FLAG_SETTINGS = ['register', 'trace', 'registered-contact', 'refuse-md5', 'require-qop'] as const;

export type TextSetting = (typeof TEXT_SETTINGS)[number];
export type FlagSetting = (typeof FLAG_SETTINGS)[number];
export type PhoneConfig = Record<TextSetting, string> & Record<FlagSetting, boolean>;

/** Settings the second phone inherits from the first when the URL does not set them. */
const SHARED: ReadonlySet<string> = new Set([
  'server',
  'domain',
  'ice-servers',
  'ice-transport-policy',
  'register',
  'trace',
  'registered-contact',
  'auth-realm',
  'refuse-md5',
  'require-qop',
]);

const ALIASES: Partial<Record<TextSetting, string>> = { user: 'username' };

function read(params: URLSearchParams, name: string, suffix: string): string | null {
  for (const candidate of [name, name.replace(/-/g, '_'), ALIASES[name as TextSetting]]) {
    if (candidate && params.has(candidate + suffix)) return params.get(candidate + suffix);
  }
  return null;
}

function flag(value: string | null): boolean {
  return value !== null && !/^(0|false|no|off)$/i.test(value);
}

/** Phone `index` (1 or 2) as the URL describes it. */
export function configFromUrl(params: URLSearchParams, index: 1 | 2): PhoneConfig {
  const config = {} as PhoneConfig;
  const own = (name: string) => read(params, name, index === 1 ? '' : '2');
  const inherited = (name: string) => (index === 2 && SHARED.has(name) ? read(params, name, '') : null);
  for (const name of TEXT_SETTINGS) config[name] = (own(name) ?? inherited(name) ?? '').trim();
  for (const name of FLAG_SETTINGS) config[name] = flag(own(name) ?? inherited(name));
  return config;
}

/** How many phones the URL asks for. */
export function phoneCount(params: URLSearchParams): 1 | 2 {
  return params.get('phones') === '2' || read(params, 'user', '2') !== null ? 2 : 1;
}

/** A BCP 47 language tag's shape (`de`, `de-AT`, `zh-Hant-TW`), loosely: letters and digits in subtags. */
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i;

/** The language the URL asks for (`lang`), or '' for none or one that is not a language tag. */
export function languageFromUrl(params: URLSearchParams): string {
  const lang = (params.get('lang') ?? '').trim();
  return LANGUAGE_TAG.test(lang) ? lang : '';
}

/** Whether the URL carries a password (which the page refuses to use). */
export function hasPassword(params: URLSearchParams): boolean {
  return [...params.keys()].some((name) => /^pass(word)?2?$/i.test(name));
}

/** The query string that describes these phones (never a password). */
export function queryFor(configs: readonly PhoneConfig[], extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  configs.forEach((config, at) => {
    const suffix = at === 0 ? '' : '2';
    for (const name of TEXT_SETTINGS) {
      if (config[name] && (at === 0 || !SHARED.has(name) || config[name] !== configs[0]![name]))
        params.set(name + suffix, config[name]);
    }
    for (const name of FLAG_SETTINGS) {
      if (at === 0 ? config[name] : config[name] !== configs[0]![name])
        params.set(name + suffix, config[name] ? '' : 'off');
    }
  });
  if (configs.length === 2) params.set('phones', '2');
  for (const [name, value] of Object.entries(extra)) if (value) params.set(name, value);
  // `register=` reads as well as `register`; keep flags bare for people editing URLs by hand.
  return params.toString().replace(/=(?=&|$)/g, '');
}
