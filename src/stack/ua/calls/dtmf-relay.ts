/**
 * DTMF in a call: RFC 4733 telephone-events when negotiated (the media session sends them), else
 * SIP INFO in the de-facto `application/dtmf-relay` format (no RFC; the form Cisco defined and
 * every PBX reads): `Signal=5` and `Duration=160` lines, one INFO per digit, in order. INFO
 * received with either that or `application/dtmf` is read here too.
 */
import { StateError } from '../../core/errors';
import type { Dialog } from '../../dialog/dialog';
import { mediaType } from '../../message/content';
import type { SipRequest } from '../../message/message';
import { DTMF_DIGITS, type MediaSession } from '../media-session';
import { requireSuccess, type SendResult, type UaCore } from '../ua-core';
import type { CallState, DtmfMode } from './call-types';

export const DTMF_RELAY = 'application/dtmf-relay';

export function dtmfRelayBody(digit: string, durationMs: number): string {
  return `Signal=${digit}\r\nDuration=${Math.round(durationMs)}\r\n`;
}

/** Reads an `application/dtmf-relay` (or `application/dtmf`: just the digit) body. */
export function readDtmfRelay(body: string, contentType: string): { digit: string; duration: number } | undefined {
  if (contentType === 'application/dtmf') {
    const digit = body.trim();
    return /^[0-9A-Da-d*#]$/.test(digit) ? { digit: digit.toUpperCase(), duration: 0 } : undefined;
  }
  // Line by line: a multiline regular expression starting with ^\s* rescans every run of line
  // feeds from each of its lines, so 64 KiB of them took seconds.
  let digit: string | undefined;
  let duration: number | undefined;
  for (const line of body.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const name = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (name === 'signal' && digit === undefined && /^[0-9A-Da-d*#]$/.test(value)) digit = value.toUpperCase();
    else if (name === 'duration' && duration === undefined && /^\d+$/.test(value)) duration = Number(value);
  }
  return digit === undefined ? undefined : { digit, duration: duration ?? 0 };
}

/** An INFO in the call: a digit is handed to `deliver` and answered 200; any other body gets 415 with Accept. */
export function receiveDtmfInfo(
  request: SipRequest,
  respond: (status: number, reason?: string, headers?: ReadonlyArray<readonly [string, string]>) => void,
  deliver: (dtmf: { digit: string; duration: number }) => void,
): void {
  const dtmf = readDtmfRelay(request.body, mediaType(request.contentType));
  if (!dtmf) return respond(415, undefined, [['Accept', `${DTMF_RELAY}, application/dtmf`]]);
  respond(200);
  deliver(dtmf);
}

/** What sending DTMF needs of its call. */
export interface DtmfSession {
  readonly core: UaCore;
  media(): MediaSession | undefined;
  state(): CallState;
  /** The dialog of a connected or held call; a StateError naming `what` otherwise. */
  established(what: string): Dialog;
  ended(): boolean;
  sendInDialog(request: SipRequest): Promise<SendResult>;
}

/** A call's outgoing DTMF: one digit string after the other. */
export class DtmfSender {
  #queue: Promise<void> = Promise.resolve();

  constructor(private readonly session: DtmfSession) {}

  /**
   * RFC 4733 telephone-events when the answer negotiated them at the audio codec's clock rate
   * (MediaSession.prefersRfc4733: an Opus call to a plain phone that offers only
   * telephone-event/8000 loses its digits otherwise), else INFO, one request per digit in order;
   * `mode` overrides the choice. A comma is a two-second pause.
   */
  send(digits: string, options: { mode?: DtmfMode; duration?: number; gap?: number }): Promise<void> {
    const session = this.session;
    if (!DTMF_DIGITS.test(digits)) return Promise.reject(new RangeError(`not DTMF digits: ${JSON.stringify(digits)}`));
    const dialog = session.established('send DTMF');
    const media = session.media();
    const { mode = 'auto', duration = 100 } = options;
    if (mode === 'rfc4733' || (mode === 'auto' && media?.prefersRfc4733())) {
      if (media?.sendDtmf(digits, { duration, gap: options.gap })) return Promise.resolve();
      if (mode === 'rfc4733') return Promise.reject(new StateError(session.state(), 'RFC 4733 DTMF not negotiated'));
    }
    const send = async (): Promise<void> => {
      for (const digit of digits) {
        if (session.ended()) return;
        if (digit === ',') {
          await session.core.sleep(2000);
          continue;
        }
        const info = dialog.createRequest('INFO');
        info.setHeader('Content-Type', DTMF_RELAY);
        info.body = dtmfRelayBody(digit.toUpperCase(), duration);
        requireSuccess((await session.sendInDialog(info)).response, `DTMF ${digit} refused`);
      }
    };
    const queued = this.#queue.then(send, send);
    this.#queue = queued.catch(() => undefined);
    return queued;
  }
}
