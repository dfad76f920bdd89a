/**
 * Flows (RFC 5626 §3.3): one per WebSocket connection. A browser's Contact and Via hold a made-up
 * `.invalid` host (RFC 7118 Appendix B.1), so the only way to reach a client is the connection it
 * opened; everything this server sends to a client goes over one of these.
 */
import { isUtf8 } from 'node:buffer';
import WebSocket from 'ws';
import type { Logger } from '../../src/stack/core/logger';
import type { SipMessage } from '../../src/stack/message/message';

export class Flow {
  #closed = false;

  constructor(
    /** Random, unguessable: it names the flow in logs and keys. */
    readonly id: string,
    readonly remoteAddress: string,
    readonly remotePort: number,
    readonly socket: WebSocket,
    readonly logger: Logger,
  ) {}

  get open(): boolean {
    return !this.#closed && this.socket.readyState === WebSocket.OPEN;
  }

  /** Marks the flow dead at once (the socket's close event may come later). */
  markClosed(): void {
    this.#closed = true;
  }

  /** Sends one frame; says whether it was handed to the socket. Never throws. */
  sendText(text: string): boolean {
    return this.#send(text, false);
  }

  /**
   * Sends a message in one frame (RFC 7118 §4.2): a text frame, or a binary frame when the body is
   * not UTF-8 (a text frame must hold valid UTF-8).
   */
  sendMessage(message: SipMessage): boolean {
    if (isUtf8(message.bodyBytes)) return this.#send(message.toString(), false);
    return this.#send(message.toBytes(), true);
  }

  /** Drops the connection without a closing handshake (as a crashed peer would). */
  terminate(): void {
    this.#closed = true;
    this.socket.terminate();
  }

  toString(): string {
    return `flow ${this.id} (${this.remoteAddress}:${this.remotePort})`;
  }

  #send(data: string | Uint8Array, binary: boolean): boolean {
    if (!this.open) return false;
    try {
      // The callback catches a write that fails later (the peer vanished): close follows anyway.
      this.socket.send(data, { binary }, (error) => {
        if (error) this.logger.debug(`${this}: send failed: ${error.message}`);
      });
      return true;
    } catch (error) {
      this.logger.warn(`${this}: send failed: ${(error as Error).message}`);
      return false;
    }
  }
}

/** The live flows by id. */
export class FlowTable {
  readonly #flows = new Map<string, Flow>();

  add(flow: Flow): void {
    this.#flows.set(flow.id, flow);
  }

  remove(flow: Flow): void {
    this.#flows.delete(flow.id);
  }

  get size(): number {
    return this.#flows.size;
  }

  values(): IterableIterator<Flow> {
    return this.#flows.values();
  }
}
