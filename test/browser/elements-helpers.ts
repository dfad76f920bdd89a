// Shared by the elements-*.test.ts files: <sip-phone> elements configured for the test Kamailio (the
// password set by property, as a page must), every WebSocket they open tracked so a test can prove
// it closed, and getStats() counters of a <sip-call>. Every wait is bounded and names what it waited for.
import { oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/index';
import type { SipCall, SipPhone } from '../../src/index';
import { waitFor } from './media-test-helpers';
import type { KamailioInfo } from './phone-fixtures';

export { waitFor };

export type UserName = 'alice' | 'bob' | 'carol' | 'dave';

export type { KamailioInfo };

export const kamailio = () => executeServerCommand('kamailio', { action: 'info' }) as Promise<KamailioInfo>;

/** Every WebSocket the page opened since this module loaded. */
export const sockets: WebSocket[] = [];
const NativeWebSocket = window.WebSocket;
window.WebSocket = class TrackedWebSocket extends NativeWebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    sockets.push(this);
  }
};

const phones: SipPhone[] = [];

/** The WebSocket of each phone made by makePhone() (make phones one at a time to rely on it). */
export const socketOf = new WeakMap<SipPhone, WebSocket>();

export interface PhoneOptions {
  register?: boolean;
  trace?: boolean;
  password?: string;
  /** Another server URL than info.wsUrl (info.wssUrl, say). */
  server?: string;
  /** More attributes, set before the phone is in the page (ice-servers, ice-transport-policy...). */
  attributes?: Record<string, string>;
}

/** A phone for `name` at the test Kamailio, in the page; with `register`, resolves once registered. */
export async function makePhone(info: KamailioInfo, name: UserName, options: PhoneOptions = {}): Promise<SipPhone> {
  const phone = document.createElement('sip-phone');
  phone.id = `${name}-phone`;
  phone.setAttribute('server', options.server ?? info.wsUrl);
  for (const [name, value] of Object.entries(options.attributes ?? {})) phone.setAttribute(name, value);
  phone.setAttribute('user', info.users[name].user);
  phone.setAttribute('domain', info.domain);
  phone.setAttribute('display-name', name[0]!.toUpperCase() + name.slice(1));
  phone.toggleAttribute('register', options.register ?? true);
  phone.toggleAttribute('trace', options.trace ?? false);
  phone.password = options.password ?? info.users[name].password;
  const registered = options.register === false ? undefined : oneEvent(phone, 'sip-registered');
  const before = sockets.length;
  document.body.append(phone);
  phones.push(phone);
  // The phone makes its user agent, and opens its socket, in its first update.
  await phone.updateComplete;
  if (sockets[before]) socketOf.set(phone, sockets[before]);
  await registered;
  return phone;
}

/** Removes every phone a test made and waits until all their sockets are closed (mocha afterEach). */
export async function removePhones(): Promise<void> {
  for (const phone of phones.splice(0)) phone.remove();
  await waitFor('every WebSocket to close', () => sockets.every((socket) => socket.readyState === WebSocket.CLOSED));
}

/** The inbound-rtp bytes of one kind for a call (0 before any packet). */
export async function bytesReceived(call: SipCall, kind: 'audio' | 'video'): Promise<number> {
  let total = 0;
  (await call.getStats()).forEach((report) => {
    if (report.type === 'inbound-rtp' && report.kind === kind) total += report.bytesReceived ?? 0;
  });
  return total;
}

/** Waits until a call's inbound bytes of `kind` grow twice in a row: media is flowing to it. */
export async function waitForMedia(call: SipCall, kind: 'audio' | 'video', what: string): Promise<void> {
  let last = await bytesReceived(call, kind);
  let grew = 0;
  await waitFor(what, async () => {
    const now = await bytesReceived(call, kind);
    grew = now > last ? grew + 1 : 0;
    last = now;
    return grew >= 2;
  });
}

/** Collects the sip-* events an element fires (to prove that none come after it was removed). */
export function recordEvents(target: EventTarget, names: string[]): string[] {
  const seen: string[] = [];
  for (const name of names) target.addEventListener(name, () => seen.push(name));
  return seen;
}

/** The `<sip-call>` of the next call that rings at `phone`. */
export function nextIncoming(phone: SipPhone): Promise<SipCall> {
  return oneEvent(phone, 'sip-incoming').then((event) => event.detail.call);
}

/**
 * Resolves when `call` is in `state`: at once, or on the sip-call-state event that says so (an
 * event, not polling, so that a state the call passes through quickly is not missed); bounded.
 */
export function stateOf(call: SipCall, state: string, ms = 15000): Promise<void> {
  if (call.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const listener = (event: Event) => {
      if ((event as CustomEvent<{ state: string }>).detail.state !== state) return;
      clearTimeout(timer);
      call.removeEventListener('sip-call-state', listener);
      resolve();
    };
    const timer = setTimeout(() => {
      call.removeEventListener('sip-call-state', listener);
      reject(new Error(`the call did not become ${state} within ${ms} ms (it is ${call.state})`));
    }, ms);
    call.addEventListener('sip-call-state', listener);
  });
}
