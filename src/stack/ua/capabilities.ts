/**
 * What this user agent speaks, in one place: Allow, Supported and Accept of OPTIONS answers
 * (RFC 3261 §11.2), 405 answers (§8.2.1), 420 checks (§8.2.2.3) and 415 answers (§8.2.3).
 */

/** Methods this UA handles; a request for one it recognizes but lacks gets 405 with this list. */
export const ALLOWED_METHODS: readonly string[] = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'MESSAGE', 'INFO', 'REFER', 'NOTIFY'];

/** Methods of RFC 3261 and its extensions that exist but this UA does not serve: 405, not 501 (§8.2.1). */
export const RECOGNIZED_METHODS: readonly string[] = [...ALLOWED_METHODS, 'REGISTER', 'SUBSCRIBE', 'PUBLISH', 'UPDATE', 'PRACK'];

/**
 * Option tags of Supported: RFC 5626 outbound, and RFC 5627 GRUU, whose public GRUU becomes our
 * Contact in dialogs so that a dialog survives the loss of the connection it was made on.
 */
export const SUPPORTED_EXTENSIONS: readonly string[] = ['outbound', 'gruu'];

/** Bodies this UA accepts in an OPTIONS answer: SDP for sessions, text for MESSAGE. */
export const ACCEPTED_BODY_TYPES: readonly string[] = ['application/sdp', 'text/plain'];

/** MESSAGE bodies shown to the user (RFC 3428 §7: anything else gets 415 with Accept). */
export const MESSAGE_BODY_TYPES: readonly string[] = ['text/plain', 'text/html'];

/** The media type of a Content-Type value, lower case, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}
