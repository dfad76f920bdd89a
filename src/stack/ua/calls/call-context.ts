import type { Dialog } from '../../dialog/dialog';
import type { MediaSession, MediaSessionOptions } from '../media-session';
import type { UaCore } from '../ua-core';
import type { CallMediaOptions } from './call-types';
import type { SessionTimerOptions } from './session-timer';
import type { OutgoingCall } from './outgoing-call';

/** What a call needs from the user agent around it (the call manager), kept narrow so calls stay testable. */
export interface CallContext {
  readonly core: UaCore;
  createMedia(options: CallMediaOptions): MediaSession;
  readonly defaults: Pick<MediaSessionOptions, 'audio' | 'video'>;
  /** RFC 4028: the interval calls ask for and the smallest they accept. */
  readonly sessionTimers?: SessionTimerOptions;
  /** The dialog of a call is now confirmed or early: route its requests to it. */
  track(dialog: Dialog, call: unknown): void;
  forgetCall(call: unknown): void;
  /** Called before a call is answered: call waiting holds the others (issue: answering holds the other call). */
  holdOthers(call: unknown): Promise<void>;
  /** Starts an outgoing call (on behalf of an accepted REFER), its INVITE with `headers` (Replaces). */
  call(target: string, options: CallMediaOptions, headers?: ReadonlyArray<readonly [string, string]>): OutgoingCall;
}
