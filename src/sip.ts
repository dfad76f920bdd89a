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

// ---- the rest of the stack: a user agent usable without the elements (Node or browser)
export * from './stack/core';
export * from './stack/transport';
export { UserAgent } from './stack/ua/user-agent';
export type { IncomingMessage, RequestHandler, UserAgentEvents, UserAgentOptions } from './stack/ua/user-agent';
export { RequestFailedError } from './stack/ua/request-failed-error';
export { Registration } from './stack/ua/registration';
export type { RegistrationState } from './stack/ua/registration';
export type { SendResult } from './stack/ua/ua-core';
export { Call } from './stack/ua/calls/call';
export { IncomingCall } from './stack/ua/calls/incoming-call';
export { OutgoingCall } from './stack/ua/calls/outgoing-call';
export type { CallManagerOptions } from './stack/ua/calls/call-manager';
export type {
  CallDirection,
  CallEndCause,
  CallEndInfo,
  CallEvents,
  CallMediaOptions,
  CallState,
  DtmfMode,
  ReferOutcome,
  ReferRequest,
} from './stack/ua/calls/call-types';
export { REFER_ASK_TIMEOUT_MS, REFER_LIMIT, REFER_WINDOW_MS } from './stack/ua/calls/transfer';
export { MAX_MESSAGES_PER_WINDOW, MESSAGE_WINDOW_MS } from './stack/ua/calls/in-dialog-message';
export type { CallMessage } from './stack/ua/calls/in-dialog-message';
export { MAX_AUTO_ANSWER_DELAY_S, readAutoAnswer } from './stack/ua/calls/auto-answer';
export type { AutoAnswer, AutoAnswerRequest } from './stack/ua/calls/auto-answer';
export { MAX_MESSAGE_BODY } from './stack/ua/message-policy';
export { MediaSessionError, DTMF_DIGITS } from './stack/ua/media-session';
export type {
  AnswerOptions,
  DtmfOptions,
  IceGatheringOutcome,
  IceGatheringReport,
  IceServer,
  MediaChoice,
  MediaConnectionState,
  MediaKind,
  MediaSession,
  MediaSessionErrorCode,
  MediaSessionEvents,
  MediaSessionFactory,
  MediaSessionOptions,
  OfferOptions,
} from './stack/ua/media-session';
export { DigestAuthenticator, computeDigestResponse } from './stack/auth';
export { parseAuthHeader, serializeAuthHeader } from './stack/message/auth-header';
export { Dialog } from './stack/dialog/dialog';
