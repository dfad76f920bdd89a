/**
 * The transport layer's public surface: the Transport seam (MessageChannel and
 * ConnectionControl), the SIP-over-WebSocket transport (RFC 7118), several flows as one
 * (FlowSet, RFC 5626 §4.2) and the RFC 5626 outbound helpers. The in-memory test transport is deliberately not
 * here: import it from './memory-transport.fake' in tests.
 */
export type {
  ConnectionControl,
  FlowChangeListener,
  MessageChannel,
  MessageListener,
  StateChangeListener,
  Transport,
  TransportProtocol,
  TransportState,
  TransportStateInfo,
} from './transport';
export { DEFAULT_KEEP_ALIVE, DEFAULT_RECONNECT, SIP_SUBPROTOCOL, WebSocketTransport } from './websocket-transport';
export type { ReconnectOptions, WebSocketTransportOptions } from './websocket-transport';
export { FlowSet } from './flow-set';
export type { BackoffJitter, BackoffOptions } from './backoff';
export type { KeepAliveOptions } from './keep-alive';
export type { WebSocketConstructor, WebSocketLike } from './websocket-like';
export {
  DEFAULT_REG_ID,
  createInstanceId,
  ensureInstanceId,
  isInstanceId,
  outboundContactParams,
  uuidV4,
} from './outbound';
export type { OutboundContactOptions, OutboundContactParams } from './outbound';
