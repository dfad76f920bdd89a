/**
 * What the layers above ask of a message's status and body, in one place: whether a final
 * response is a success (RFC 3261 §21.2), a Content-Type's media type (RFC 3261 §20.15, without
 * parameters, compared case-insensitively as RFC 2045 §5.1 says), and the SDP a message carries.
 */
import type { SipMessage } from './sip-message';

/** Whether a status is a success (2xx). */
export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/** The media type of a Content-Type value, lower case, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The body of a message when it is SDP (RFC 3264 offers and answers), else undefined. */
export function sdpOf(message: SipMessage): string | undefined {
  return message.body && mediaType(message.contentType) === 'application/sdp' ? message.body : undefined;
}
