/**
 * What the elements need from a stack call (src/stack/ua/calls/): the real `Call` satisfies it, and
 * component tests drive the elements with a fake that does too. Types only: nothing here runs.
 */
import type { Emitter } from '../../stack/core/emitter';
import type { MediaKind, MediaSession } from '../../stack/ua/media-session';
import type { CallDirection, CallEvents, CallMediaOptions, CallState, DtmfMode } from '../../stack/ua/calls/call-types';
import type { AutoAnswer } from '../../stack/ua/calls/auto-answer';

export type { CallEvents, CallMediaOptions, CallState };

export interface CallHandle {
  readonly id: string;
  readonly direction: CallDirection;
  /** The peer as From/To named it; the display name is remote text, rendered as text only. */
  readonly remote: { readonly uri: string; readonly displayName: string | undefined };
  readonly state: CallState;
  readonly localHold: boolean;
  readonly remoteHold: boolean;
  /** In a browser, a WebRtcMediaSession: its localStream and remoteStream feed <audio> and <video>. */
  readonly media: MediaSession | undefined;
  readonly events: Pick<Emitter<CallEvents>, 'on'>;
  /** Incoming calls only. */
  readonly offersVideo?: boolean;
  /** Incoming calls only: the INVITE asks to be answered without the user (auto-answer.ts). */
  readonly autoAnswer?: AutoAnswer;
  /** `auto`: answered without the user (RFC 5373: the 200 says so). */
  answer?(options?: CallMediaOptions & { auto?: boolean }): Promise<void>;
  decline?(status?: 486 | 488 | 603): void;
  hangup(): Promise<void>;
  hold(): Promise<void>;
  unhold(): Promise<void>;
  mute(kind?: MediaKind): void;
  unmute(kind?: MediaKind): void;
  muted(kind?: MediaKind): boolean;
  sendDtmf(digits: string, options?: { mode?: DtmfMode }): Promise<void>;
  /** A string: blind transfer; another call: attended transfer to that call's party (RFC 5589 §7). */
  transfer(target: string | CallHandle): Promise<void>;
  setVideo(enabled: boolean): Promise<void>;
  /** Offers a change made to the media session (screen sharing on an audio call) by re-INVITE. */
  reoffer?(change: (media: MediaSession) => void, undo?: (media: MediaSession) => void): Promise<void>;
  /** A MESSAGE in the call's dialog (RFC 3428 §4); resolves with the 2xx, rejects with its `status` otherwise. */
  sendMessage(body: string): Promise<{ status: number; reason: string }>;
  getStats(): Promise<unknown>;
}

/** `value` when it is a call, else undefined: a page may set a `call` property to anything. */
export const asCall = (value: unknown): CallHandle | undefined =>
  typeof (value as CallHandle | undefined)?.events?.on === 'function' ? (value as CallHandle) : undefined;

/** The media streams of a call while it lasts, when its media session has them (a WebRtcMediaSession does). */
export function callStreams(call: CallHandle | undefined): { localStream?: MediaStream; remoteStream?: MediaStream } {
  return ((call?.state !== 'ended' && call?.media) || {}) as { localStream?: MediaStream; remoteStream?: MediaStream };
}

/**
 * Points an <audio> or <video> at a stream (none: detaches it) and plays it. Tracks arrive after
 * the stream was first attached: attaching again when they changed makes both browsers play them.
 */
export function attachStream(element: HTMLMediaElement | null, stream: MediaStream | undefined): void {
  if (!element) return;
  const key = stream
    ? stream
        .getTracks()
        .map((track) => track.id)
        .join()
    : '';
  if (element.dataset.tracks === key && element.srcObject === (stream ?? null)) return;
  element.dataset.tracks = key;
  element.srcObject = stream ?? null;
  if (stream) element.play().catch(() => undefined);
}

/** A getUserMedia choice from a device id ('' is the default device). */
export function deviceChoice(id: string): true | { deviceId: string } {
  return id ? { deviceId: id } : true;
}
