/**
 * What this user agent speaks, in one place: Allow, Supported and Accept of OPTIONS answers
 * (RFC 3261 §11.2), 405 answers (§8.2.1), 420 checks (§8.2.2.3) and 415 answers (§8.2.3). Kept as
 * the header values they are sent as.
 */

/** Methods this UA handles; a request for one it recognizes but lacks gets 405 with this list. */
export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO, REFER, NOTIFY, SUBSCRIBE, PRACK, UPDATE';

/** Methods of RFC 3261 and its extensions that exist but this UA does not serve: 405, not 501 (§8.2.1). */
export const NOT_SERVED = ['REGISTER', 'PUBLISH'];

/**
 * Option tags of Supported: RFC 5626 outbound; RFC 5627 GRUU, whose public GRUU becomes our
 * Contact in dialogs so that a dialog survives the loss of the connection it was made on; and
 * RFC 3891 replaces (an INVITE with Require: replaces is accepted); RFC 3262 100rel (reliable
 * provisional responses, PRACK: calls/reliable-provisional.ts); RFC 4028 timer (session timers,
 * calls/session-timer.ts); RFC 5373 answermode and privanswermode (Answer-Mode and
 * Priv-Answer-Mode are read, calls/auto-answer.ts, so an INVITE that requires them gets no 420).
 */
export const SUPPORTED = 'outbound, gruu, replaces, 100rel, timer, answermode, privanswermode';

/** Bodies this UA accepts in an OPTIONS answer: SDP for sessions, text for MESSAGE. */
export const ACCEPT = 'application/sdp, text/plain';

/**
 * MESSAGE bodies shown to the user (RFC 3428 §7: anything else gets 415 with Accept). Plain text
 * only unless the page opts in to HTML (issue 15): markup from a stranger is a page's risk to take.
 */
export const MESSAGE_TYPES = 'text/plain';
export const MESSAGE_TYPES_WITH_HTML = 'text/plain, text/html';

/** Whether a header value written as a comma-separated list (one of the above) holds `item`. */
export const listed = (list: string, item: string): boolean => list.split(', ').includes(item);
