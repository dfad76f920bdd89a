import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallHandle } from '../shared/call-handle';
import { TonePlayer, type Tone } from '../shared/tone-player';
import type { SipCall } from '../sip-call/sip-call.component';
import { phoneTone } from './call-waiting';
import type { SipPhoneSettings } from './sip-phone-settings';

/** What the phone passes on to its calls. */
const SHARED = ['theme', 'microphone', 'camera', 'speaker', 'transferPolicy'] as const;

/** Which call is "current", best first: connected, else ringing here, else being placed, else held. */
const CURRENT = ['connected', 'incoming', 'early', 'ringing', 'calling', 'held'];

/** A `<sip-call>` (defined by sip-phone.ts, which imports its definition). */
export const newCallElement = (): SipCall => document.createElement('sip-call') as SipCall;

type Host = ReactiveControllerHost &
  HTMLElement &
  Pick<SipPhoneSettings, (typeof SHARED)[number] | 'callStrings' | 'silent' | 'callLinger'>;

interface Entry {
  element: SipCall;
  /** What removes the call's listeners. */
  off: Array<() => void>;
  /** What removes the element once the call has ended. */
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The phone's calls: each one's `<sip-call>`, a light-DOM child of the phone in its `calls` slot,
 * given the phone's shared settings (theme, devices, transfer policy, call texts) and removed
 * `callLinger` ms after its call ended; and the tone the calls ask for (ringtone, ringback, call
 * waiting), none while `silent`.
 */
export class PhoneCalls implements ReactiveController {
  readonly #host: Host;
  /** Follows each call the phone shows (the history records it when it ends). */
  readonly #watch: (call: CallHandle) => void;
  readonly #calls = new Map<CallHandle, Entry>();
  readonly #tones = new TonePlayer();
  /** The `silent` and shared settings as of the last update. */
  #silent: boolean | undefined;
  #shared: unknown[] = [];

  constructor(host: Host, watch: (call: CallHandle) => void) {
    (this.#host = host).addController(this);
    this.#watch = watch;
  }

  /** The `<sip-call>` elements, oldest first (ended ones until they are removed). */
  get elements(): SipCall[] {
    return [...this.#calls.values()].map((entry) => entry.element);
  }

  /**
   * The call the user is most likely looking at: connected, else ringing here, else being placed, else held (newest
   * first).
   */
  get current(): SipCall | undefined {
    const rank = (element: SipCall) => CURRENT.indexOf(element.state);
    return this.elements
      .filter((element) => rank(element) >= 0)
      .reverse()
      .sort((a, b) => rank(a) - rank(b))[0];
  }

  /** The tone playing now. */
  get tone(): Tone | undefined {
    return this.#tones.tone;
  }

  /** Shows `call` in `element` (a new one by default), appended to the phone. */
  add(call: CallHandle, element = newCallElement()): SipCall {
    this.#watch(call);
    element.call = call;
    element.slot = 'calls';
    this.#share(element);
    const entry: Entry = {
      element,
      off: [
        call.events.on('state', () => this.#updateTones()),
        call.events.on('ended', () => {
          this.#updateTones();
          entry.timer = setTimeout(() => this.#remove(call), this.#host.callLinger);
        }),
        call.events.on('referred-call', (referred) => this.add(referred)),
        // RFC 3891: an attended transfer to us: the new call is answered already, no sip-incoming.
        call.events.on('replaced', (next) => this.add(next)),
      ],
    };
    this.#calls.set(call, entry);
    this.#host.append(element);
    this.#updateTones();
    this.#host.requestUpdate();
    return element;
  }

  /** The user agent is replaced or stopped: every call is gone, and so are the tones. */
  clear(): void {
    for (const call of [...this.#calls.keys()]) this.#remove(call);
    this.#tones.close();
  }

  /**
   * After each update of the phone: `silent` changed, the tones follow; a shared setting changed, each call takes it.
   */
  hostUpdated(): void {
    const host = this.#host;
    if (host.silent !== this.#silent) {
      this.#silent = host.silent;
      this.#updateTones();
    }
    const shared = [...SHARED.map((name) => host[name]), host.callStrings];
    if (shared.some((value, index) => value !== this.#shared[index])) {
      this.#shared = shared;
      for (const element of this.elements) this.#share(element);
    }
  }

  /** Plays the tone the calls ask for now, or stops. */
  #updateTones(): void {
    const tone = this.#host.silent ? undefined : phoneTone([...this.#calls.keys()]);
    if (tone) this.#tones.play(tone);
    else this.#tones.stop();
  }

  #share(element: SipCall): void {
    const host = this.#host;
    for (const name of SHARED) (element as unknown as Record<string, unknown>)[name] = host[name];
    // Only when set: a page that gives one call its own strings keeps them.
    if (host.callStrings) element.strings = host.callStrings;
  }

  #remove(call: CallHandle): void {
    const entry = this.#calls.get(call);
    if (!entry) return;
    this.#calls.delete(call);
    clearTimeout(entry.timer);
    for (const off of entry.off) off();
    // A page that moved the element elsewhere keeps it.
    if (entry.element.parentNode === this.#host) entry.element.remove();
    this.#updateTones();
    this.#host.requestUpdate();
  }
}
