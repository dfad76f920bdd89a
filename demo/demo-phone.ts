// One phone column of the demo: configuration form, the <sip-phone>, an attended-transfer control,
// a <sip-video> that follows its current call, and text chat by SIP MESSAGE. Only the elements'
// public API is used, and remote text (names, messages, errors) is always set with textContent.
import type { SipPhone } from '../src/index';
import { attendedTransfer } from './demo-attended-transfer';
import { FLAG_SETTINGS, TEXT_SETTINGS, type PhoneConfig } from './demo-config';

export interface DemoPhone {
  readonly element: HTMLElement;
  readonly phone: SipPhone;
  config(): PhoneConfig;
  setTheme(theme: string): void;
  /** The language of the phone, its video and its lamps ('' follows the page). */
  setLanguage(lang: string): void;
  /** Shows busy and presence lamps for `target` (the other demo phone's user), or none when undefined. */
  watch(target: string | undefined, label: string): void;
}

function field(form: HTMLFormElement, name: string): HTMLInputElement {
  return form.elements.namedItem(name) as HTMLInputElement;
}

function applyTo(phone: SipPhone, config: PhoneConfig, password: string): void {
  for (const name of TEXT_SETTINGS) {
    if (config[name]) phone.setAttribute(name, config[name]);
    else phone.removeAttribute(name);
  }
  for (const name of FLAG_SETTINGS) phone.toggleAttribute(name, config[name]);
  phone.password = password;
}

function logLine(log: HTMLOListElement, who: string, text: string): void {
  const item = document.createElement('li');
  const whoSpan = document.createElement('span');
  whoSpan.className = 'who';
  whoSpan.textContent = who;
  item.append(whoSpan, text);
  log.append(item);
  item.scrollIntoView({ block: 'nearest' });
}

/** Builds phone `index` from the page's template, configured with `config`; `changed` runs after Apply. */
export function demoPhone(index: number, config: PhoneConfig, changed: () => void): DemoPhone {
  const template = document.getElementById('phone-template') as HTMLTemplateElement;
  const element = (template.content.firstElementChild as HTMLElement).cloneNode(true) as HTMLElement;
  const form = element.querySelector<HTMLFormElement>('.config-form')!;
  const chat = element.querySelector<HTMLFormElement>('.chat-form')!;
  const log = element.querySelector<HTMLOListElement>('.chat-log')!;
  const errors = element.querySelector<HTMLElement>('.errors')!;
  const heading = element.querySelector<HTMLElement>('.phone-heading')!;
  const phone = document.createElement('sip-phone');
  phone.id = `phone-${index}`;
  // The demo keeps each account's call history across reloads (history-storage, one key per AOR).
  phone.setAttribute('history-storage', 'local');
  element.querySelector('.phone-slot')!.replaceWith(phone);
  element.querySelector('sip-video')!.setAttribute('for', phone.id);
  const lamps = element.querySelector<HTMLElement>('.lamps')!;
  for (const lamp of lamps.querySelectorAll('sip-presence')) lamp.setAttribute('for', phone.id);
  heading.id = `phone-${index}-heading`;
  element.setAttribute('aria-labelledby', heading.id);

  const showConfig = (): void => {
    heading.textContent = `Phone ${index}${config['display-name'] || config.user ? `: ${config['display-name'] || config.user}` : ''}`;
  };
  for (const name of TEXT_SETTINGS) field(form, name).value = config[name];
  for (const name of FLAG_SETTINGS) field(form, name).checked = config[name];
  // A phone without a complete configuration starts with the form open; once registered, it folds
  // away so that the phone is what the page shows (the summary opens it again).
  const configBox = element.querySelector<HTMLDetailsElement>('.config')!;
  configBox.open = !config.server || !config.user || !config.domain;
  applyTo(phone, config, '');
  showConfig();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const name of TEXT_SETTINGS) config[name] = field(form, name).value.trim();
    for (const name of FLAG_SETTINGS) config[name] = field(form, name).checked;
    errors.textContent = '';
    applyTo(phone, config, field(form, 'password').value);
    showConfig();
    changed();
  });

  chat.addEventListener('submit', (event) => {
    event.preventDefault();
    const to = field(chat, 'to').value.trim();
    const text = field(chat, 'text');
    const body = text.value;
    phone.sendMessage(to, body).then(
      () => {
        logLine(log, `To ${to}:`, body);
        text.value = '';
      },
      (error: Error) => logLine(log, `Not sent to ${to}:`, error.message),
    );
  });

  phone.addEventListener('sip-message', (event) => {
    const { from, displayName, body } = event.detail;
    logLine(log, `${displayName || from}:`, body);
    if (!field(chat, 'to').value) field(chat, 'to').value = from;
  });
  attendedTransfer(
    phone,
    element.querySelector<HTMLFormElement>('.attended-form')!,
    element.querySelector<HTMLElement>('.attended-status')!,
  );
  phone.addEventListener('sip-error', (event) => {
    errors.textContent = event.detail.error.message;
  });
  phone.addEventListener('sip-registered', () => {
    errors.textContent = '';
    configBox.open = false;
  });
  // The calls' quality warnings (high-rtt, high-jitter, high-packet-loss, silent-microphone) while they last.
  phone.addEventListener('sip-quality-warning', (event) => {
    errors.textContent = `Call quality warning: ${event.detail.warning} (MOS ${event.detail.figures.mos})`;
  });
  phone.addEventListener('sip-quality-warning-cleared', () => {
    errors.textContent = '';
  });

  return {
    element,
    phone,
    config: () => config,
    watch(target, label) {
      lamps.hidden = target === undefined;
      // Lamps without a target subscribe to nothing; the label is text, never markup.
      for (const lamp of lamps.querySelectorAll('sip-presence')) {
        if (target === undefined) lamp.removeAttribute('target');
        else if (lamp.getAttribute('target') !== target) lamp.setAttribute('target', target);
        lamp.setAttribute('label', label);
      }
    },
    setTheme(theme) {
      for (const themed of [phone, element.querySelector('sip-video')!, ...lamps.querySelectorAll('sip-presence')]) {
        if (theme) themed.setAttribute('theme', theme);
        else themed.removeAttribute('theme');
      }
    },
    setLanguage(lang) {
      for (const localized of [phone, element.querySelector('sip-video')!, ...lamps.querySelectorAll('sip-presence')]) {
        if (lang) localized.setAttribute('lang', lang);
        else localized.removeAttribute('lang');
      }
    },
  };
}
