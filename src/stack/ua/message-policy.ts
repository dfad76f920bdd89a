/**
 * What a MESSAGE (RFC 3428) must be to reach the user, in or out of a dialog: a type the page shows
 * (text/plain; text/html only when it opted in), a body of bounded size. One policy, so that a
 * peer cannot get past the out-of-dialog rules by sending its MESSAGE inside a call.
 */
import type { SipRequest } from '../message/message';
import { mediaType } from '../message/content';
import { listed } from './capabilities';
import type { EarlyRejection } from './incoming-request-check';

/**
 * The longest MESSAGE body shown, in characters. RFC 3428 §7 lets a UAS refuse a body it will not
 * take with 413; a chat line needs far less, and a page should not be asked to lay out 64 KiB.
 */
export const MAX_MESSAGE_BODY = 16 * 1024;

/** The refusal a MESSAGE gets (415 with Accept, 413), or its media type when it may be shown. */
export function checkMessage(request: SipRequest, accepted: string): EarlyRejection | { type: string } {
  const type = mediaType(request.contentType ?? 'text/plain');
  // RFC 3428 §7: a type the UAS does not understand is 415, with Accept naming those it does.
  if (!listed(accepted, type)) return { status: 415, headers: [['Accept', accepted]] };
  if (request.body.length > MAX_MESSAGE_BODY) return { status: 413 };
  return { type };
}
