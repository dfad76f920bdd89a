/**
 * MESSAGE inside a call's dialog (RFC 3428 §4: a MESSAGE may be sent within a dialog, and then
 * follows the dialog's route and CSeq like any in-dialog request). PBXs use it for chat beside a
 * call and for in-call notices. Received under the out-of-dialog policy (message-policy.ts), plus
 * a rate limit per call, since a peer in a call can push requests as fast as the link allows.
 */
import type { Clock } from '../../core/clock';
import type { Dialog } from '../../dialog/dialog';
import { isSuccess } from '../../message/content';
import type { SipRequest, SipResponse } from '../../message/message';
import { RequestFailedError } from '../request-failed-error';
import type { SendResult } from '../ua-core';
import { checkMessage } from '../message-policy';

/** At most this many MESSAGEs per call in any window of {@link MESSAGE_WINDOW_MS}; more get 503. */
export const MAX_MESSAGES_PER_WINDOW = 10;
export const MESSAGE_WINDOW_MS = 10_000;

/** A MESSAGE the peer sent in the call: the body is remote text, render it as text only. */
export interface CallMessage {
  readonly body: string;
  /** The media type, without parameters: text/plain, or text/html when the page accepts HTML. */
  readonly contentType: string;
}

type Respond = (status: number, reason?: string, headers?: ReadonlyArray<readonly [string, string]>) => void;

/** Receives a call's MESSAGEs: checks, rate-limits, answers, and hands the accepted ones on. */
export class InDialogMessages {
  /** When the last accepted MESSAGEs arrived, oldest first (never more than the limit). */
  readonly #arrivals: number[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly accepted: string,
    private readonly deliver: (message: CallMessage) => void,
  ) {}

  receive(request: SipRequest, respond: Respond): void {
    const checked = checkMessage(request, this.accepted);
    if ('status' in checked) return respond(checked.status, checked.reason, checked.headers);
    const now = this.clock.now();
    const arrivals = this.#arrivals;
    while (arrivals.length && now - arrivals[0]! >= MESSAGE_WINDOW_MS) arrivals.shift();
    if (arrivals.length >= MAX_MESSAGES_PER_WINDOW) {
      // RFC 3261 §21.5.4: 503 with Retry-After, the time until the window has room again.
      const wait = Math.max(1, Math.ceil((arrivals[0]! + MESSAGE_WINDOW_MS - now) / 1000));
      return respond(503, 'Too Many Messages', [['Retry-After', String(wait)]]);
    }
    arrivals.push(now);
    respond(200);
    this.deliver({ body: request.body, contentType: checked.type });
  }
}

/**
 * Sends a MESSAGE in `dialog` (RFC 3428 §4) and resolves with the 2xx; rejects with a
 * RequestFailedError for any other final status.
 */
export async function sendInDialogMessage(
  dialog: Dialog,
  send: (request: SipRequest) => Promise<SendResult>,
  body: string,
  contentType: string,
): Promise<SipResponse> {
  const request = dialog.createRequest('MESSAGE');
  request.setHeader('Content-Type', contentType);
  request.body = body;
  const { response, authProblem } = await send(request);
  if (!isSuccess(response.status)) throw new RequestFailedError(response.status, authProblem ?? response.reason);
  return response;
}
