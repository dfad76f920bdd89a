/**
 * The transport state machine's legal moves, shared by every Transport implementation so that
 * the WebSocket transport and the in-memory test transport report states the same way.
 */
import type { TransportState } from './transport';

const LEGAL_MOVES: Readonly<Record<TransportState, readonly TransportState[]>> = {
  // disconnected → disconnected: a scheduled reconnect was cancelled by disconnect().
  disconnected: ['connecting', 'disconnected'],
  // connecting → disconnected: the attempt failed; → closing: disconnect() during the handshake.
  connecting: ['connected', 'closing', 'disconnected'],
  // connected → disconnected: the flow was lost (server close, dead keep-alive, reconnectNow()).
  connected: ['closing', 'disconnected'],
  closing: ['disconnected'],
};

/** Throws (a bug, not a runtime condition) when `to` is not a legal move from `from`. */
export function assertTransition(from: TransportState, to: TransportState): void {
  if (!LEGAL_MOVES[from].includes(to)) throw new Error(`illegal transport state change ${from} → ${to}`);
}
