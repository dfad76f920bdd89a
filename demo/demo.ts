// The demo phone page, heir of the old phone.html, built only from the elements' public API. Every
// setting but the password can come from the URL (demo-config.ts has the scheme), so several tabs
// can be different phones; two phones can also sit side by side and call each other.
import '../src/index';
import { configFromUrl, hasPassword, languageFromUrl, phoneCount, queryFor, type PhoneConfig } from './demo-config';
import { demoPhone, type DemoPhone } from './demo-phone';

const params = new URLSearchParams(location.search);
const main = document.getElementById('phones')!;
const twoPhones = document.getElementById('two-phones') as HTMLInputElement;
const themeSelect = document.getElementById('theme') as HTMLSelectElement;
const languageSelect = document.getElementById('lang') as HTMLSelectElement;
const phones: DemoPhone[] = [];

/** Keeps the address bar describing the phones (never a password), so a reload or a bookmark keeps them. */
function updateUrl(): void {
  const query = queryFor(
    phones.map((phone) => phone.config()),
    { theme: themeSelect.value, lang: languageSelect.value },
  );
  history.replaceState(null, '', query ? `?${query}` : location.pathname);
}

/**
 * With two phones, each shows lamps for the other's user: busy (RFC 4235 dialog) and presence
 * (RFC 3856), served by `npm start`'s dev server or a presence server such as Kamailio's.
 */
function updateLamps(): void {
  phones.forEach((phone, index) => {
    const other = phones.length === 2 ? phones[1 - index]!.config() : undefined;
    if (!other?.user) return phone.watch(undefined, '');
    const own = phone.config();
    // The other's address in full when its domain differs from this phone's.
    const target = other.domain && other.domain !== own.domain ? `${other.user}@${other.domain}` : other.user;
    phone.watch(target, other['display-name'] || other.user);
  });
}

function changed(): void {
  updateUrl();
  updateLamps();
}

function addPhone(config: PhoneConfig): void {
  const phone = demoPhone(phones.length + 1, config, changed);
  phone.setTheme(themeSelect.value);
  phone.setLanguage(languageSelect.value);
  phones.push(phone);
  main.append(phone.element);
}

/** The second phone starts as a copy of the first's server and domain, for another user. */
function secondConfig(): PhoneConfig {
  const first = phones[0]!.config();
  return {
    ...configFromUrl(params, 2),
    server: first.server,
    domain: first.domain,
    'ice-servers': first['ice-servers'],
    'ice-transport-policy': first['ice-transport-policy'],
  };
}

function setTheme(theme: string): void {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
  for (const phone of phones) phone.setTheme(theme);
}

/**
 * The elements' language: set on each element (`lang`), which then lays itself out in that
 * language's direction; the demo's own text stays English.
 */
function setLanguage(lang: string): void {
  if (lang && ![...languageSelect.options].some((option) => option.value === lang))
    languageSelect.add(new Option(lang, lang));
  languageSelect.value = lang;
  for (const phone of phones) phone.setLanguage(lang);
}

function describeFeatures(): void {
  const features: Array<[string, boolean]> = [
    ['WebSocket', typeof WebSocket === 'function'],
    ['WebRTC (RTCPeerConnection)', typeof RTCPeerConnection === 'function'],
    ['Camera and microphone (getUserMedia)', Boolean(navigator.mediaDevices?.getUserMedia)],
    ['Speaker choice (setSinkId)', 'setSinkId' in HTMLMediaElement.prototype],
    ['Secure context (needed for the camera and microphone)', window.isSecureContext],
  ];
  const list = document.getElementById('features')!;
  for (const [name, supported] of features) {
    const item = document.createElement('li');
    item.textContent = `${name}: ${supported ? 'available' : 'not available'}`;
    list.append(item);
  }
}

if (hasPassword(params)) {
  document.getElementById('password-warning')!.hidden = false;
}
themeSelect.value = ['light', 'dark'].includes(params.get('theme') ?? '') ? params.get('theme')! : '';
setTheme(themeSelect.value);
setLanguage(languageFromUrl(params));
addPhone(configFromUrl(params, 1));
if (phoneCount(params) === 2) addPhone(configFromUrl(params, 2));
twoPhones.checked = phones.length === 2;
changed();
describeFeatures();

twoPhones.addEventListener('change', () => {
  if (twoPhones.checked && phones.length === 1) addPhone(secondConfig());
  if (!twoPhones.checked && phones.length === 2) phones.pop()!.element.remove();
  changed();
});
languageSelect.addEventListener('change', () => {
  setLanguage(languageSelect.value);
  updateUrl();
});
themeSelect.addEventListener('change', () => {
  setTheme(themeSelect.value);
  updateUrl();
});
