/**
 * The message model in one import for the layers above (transactions, dialogs, UA): requests,
 * responses, and the typed values their fields hold.
 */
export { SipMessage, isRequest, isResponse } from './sip-message';
export type { HeaderField, HeaderValue, SipProblem } from './sip-message';
export { SipRequest } from './sip-request';
export { SipResponse } from './sip-response';
export { NameAddr } from './name-addr';
export type { ContactWildcard } from './name-addr';
export { Via, MAGIC_COOKIE } from './via';
export { CSeq } from './cseq';
export { SipUri } from './sip-uri';
export { TelUri } from './tel-uri';
export { AbsoluteUri } from './absolute-uri';
export type { Uri } from './uri';
