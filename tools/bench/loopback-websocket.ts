/**
 * A browser-style WebSocket that never leaves the process: it opens on the next turn of the event
 * loop and hands every frame to a server function, whose answer comes back as a message event on
 * a later turn. It speaks both styles the clients use (`onmessage = ...` for ours and JsSIP,
 * addEventListener for SIP.js), so each client runs its own WebSocket transport unchanged.
 */

export type LoopbackServer = (text: string) => string | undefined;

// Handler slots in method syntax, so (as with the DOM's own) a client may type them narrower.
type Handler<E extends Event> = { handle(event: E): void }['handle'];
type CloseEvent = Event & { code: number; reason: string; wasClean: boolean };

export function loopbackWebSocket(server: LoopbackServer) {
  return class LoopbackWebSocket extends EventTarget {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    readonly url: string;
    readonly protocol = 'sip';
    readyState = 0;
    binaryType = 'blob';
    onopen: Handler<Event> | null = null;
    onclose: Handler<CloseEvent> | null = null;
    onerror: Handler<Event> | null = null;
    onmessage: Handler<MessageEvent> | null = null;

    constructor(url: string) {
      super();
      this.url = url;
      setImmediate(() => {
        if (this.readyState !== 0) return;
        this.readyState = 1;
        this.#emit(new Event('open'), this.onopen);
      });
    }

    send(data: string): void {
      if (this.readyState !== 1) throw new Error('LoopbackWebSocket is not open');
      // RFC 5626 §4.4.1: a double-CRLF ping gets a CRLF pong, as from a real edge proxy.
      const answer = data.trim() === '' ? (data === '\r\n\r\n' ? '\r\n' : undefined) : server(data);
      if (answer === undefined) return;
      setImmediate(() => {
        if (this.readyState === 1) this.#emit(new MessageEvent('message', { data: answer }), this.onmessage);
      });
    }

    close(code = 1000, reason = ''): void {
      if (this.readyState >= 2) return;
      this.readyState = 3;
      const event: CloseEvent = Object.assign(new Event('close'), { code, reason, wasClean: true });
      setImmediate(() => this.#emit(event, this.onclose));
    }

    #emit<E extends Event>(event: E, handler: Handler<E> | null): void {
      handler?.call(this, event);
      this.dispatchEvent(event);
    }
  };
}
