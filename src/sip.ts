/**
 * `sip-elements/sip`: the DOM-free SIP stack, usable without the elements (Node or browser).
 */
export { parseMessage } from './stack/message/parser';
export { serialize, serializeBytes } from './stack/message/serializer';
export { SipParseError } from './stack/message/sip-parse-error';
export { SipMessage, isRequest, isResponse } from './stack/message/sip-message';
export type { HeaderField, HeaderValue, SipProblem } from './stack/message/sip-message';
export { SipRequest } from './stack/message/sip-request';
export { SipResponse } from './stack/message/sip-response';
export { parseUri } from './stack/message/uri';
export type { Uri } from './stack/message/uri';
export { SipUri } from './stack/message/sip-uri';
export type { SipUriInit } from './stack/message/sip-uri';
export { TelUri } from './stack/message/tel-uri';
export { AbsoluteUri } from './stack/message/absolute-uri';
export { NameAddr, parseNameAddr } from './stack/message/name-addr';
export type { ContactWildcard, NameAddrInit } from './stack/message/name-addr';
export { Via, MAGIC_COOKIE } from './stack/message/via';
export type { ViaInit } from './stack/message/via';
export { CSeq } from './stack/message/cseq';
export type { Params } from './stack/message/param-map';
export { ParamMap } from './stack/message/param-map';
export type { ParamsInit } from './stack/message/params';
export { unquote } from './stack/message/scanner';
export { reasonPhrase } from './stack/message/reason-phrases';
