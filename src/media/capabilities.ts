/**
 * What the page's browser offers for calls, looked at once instead of dereferenced where it is
 * used. Browsers give navigator.mediaDevices (microphone, camera, speaker lists) only to a secure
 * context: an https page, or http from localhost / 127.0.0.1. A browser may also lack WebRTC itself:
 * WebKitGTK is built without it, and iOS Lockdown Mode turns RTCPeerConnection off. A WebSocket
 * needs neither, so registration and MESSAGE work everywhere.
 */

/** Why calls cannot work here: the page is not secure, or the browser lacks part of WebRTC. */
export type CallsUnavailableCode = 'insecure-context' | 'no-webrtc';

/**
 * Why, in English: the error's message, and the text `<sip-phone>` shows beside its disabled call
 * buttons (its table takes these, so the words are in the bundle once; translations have their own).
 */
export const CALLS_UNAVAILABLE_TEXT = {
  insecureContext:
    'Calls need a secure page (https, or localhost for development): browsers give the microphone and camera only to secure pages, and this page is not one. Registration and messages still work.',
  noWebRtc:
    'Calls need WebRTC, and this browser does not provide {missing} (WebRTC may be turned off, as in Lockdown Mode, or not built in). Registration and messages still work.',
} as const;

const CAUSES: Record<CallsUnavailableCode, string> = {
  'insecure-context': CALLS_UNAVAILABLE_TEXT.insecureContext,
  'no-webrtc': CALLS_UNAVAILABLE_TEXT.noWebRtc,
};

/**
 * The `sip-error` of a phone where calls cannot work: on load (once), and for each call attempt
 * and each declined incoming call. `code` names the cause; `missing` the absent browser APIs.
 */
export class CallsUnavailableError extends Error {
  readonly code: CallsUnavailableCode;
  readonly missing: readonly string[];

  constructor(code: CallsUnavailableCode, missing: readonly string[], context?: string) {
    const cause = CAUSES[code].replace('{missing}', missing.join(' and '));
    super(context ? `${context}: ${cause}` : cause);
    this.name = 'CallsUnavailableError';
    this.code = code;
    this.missing = missing;
  }

  /** The same cause, told about one event (a call attempt, a declined call). */
  about(context: string): CallsUnavailableError {
    return new CallsUnavailableError(this.code, this.missing, context);
  }
}

export interface MediaCapabilities {
  /** Why calls cannot work here, or undefined when they can. */
  readonly callsUnavailable: CallsUnavailableError | undefined;
  /** RTCPeerConnection: a call can have a media transport. */
  readonly peerConnection: boolean;
  /** navigator.mediaDevices.getUserMedia: a call can open the microphone and camera. */
  readonly getUserMedia: boolean;
  /** navigator.mediaDevices.enumerateDevices: the device menus can list devices. */
  readonly enumerateDevices: boolean;
  /** HTMLMediaElement.setSinkId: the speaker can be chosen. */
  readonly setSinkId: boolean;
  /** navigator.mediaDevices.selectAudioOutput: Firefox's speaker prompt. */
  readonly selectAudioOutput: boolean;
}

/** The globals looked at, as a page has them (a test gives its own). */
export interface MediaEnvironment {
  readonly isSecureContext?: boolean;
  readonly navigator?: {
    readonly mediaDevices?: Partial<Record<'getUserMedia' | 'enumerateDevices' | 'selectAudioOutput', unknown>>;
  };
  readonly RTCPeerConnection?: unknown;
  readonly HTMLMediaElement?: { readonly prototype: object };
}

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** What `environment` offers; see {@link mediaCapabilities} for this page's, looked at once. */
export function detectMediaCapabilities(environment: MediaEnvironment): MediaCapabilities {
  const devices = environment.navigator?.mediaDevices;
  const peerConnection = isFunction(environment.RTCPeerConnection);
  const getUserMedia = isFunction(devices?.getUserMedia);
  const missing = [
    ...(peerConnection ? [] : ['RTCPeerConnection']),
    ...(getUserMedia ? [] : [devices ? 'navigator.mediaDevices.getUserMedia' : 'navigator.mediaDevices']),
  ];
  // Not secure explains a missing navigator.mediaDevices better than any API name would.
  const code = environment.isSecureContext === false ? 'insecure-context' : 'no-webrtc';
  return {
    callsUnavailable: missing.length ? new CallsUnavailableError(code, missing) : undefined,
    peerConnection,
    getUserMedia,
    enumerateDevices: isFunction(devices?.enumerateDevices),
    setSinkId: !!environment.HTMLMediaElement && 'setSinkId' in environment.HTMLMediaElement.prototype,
    selectAudioOutput: isFunction(devices?.selectAudioOutput),
  };
}

let detected: MediaCapabilities | undefined;

/** This page's capabilities, detected on first use (after any script that runs before the elements). */
export function mediaCapabilities(): MediaCapabilities {
  return (detected ??= detectMediaCapabilities(globalThis as MediaEnvironment));
}
