/**
 * RFC 5626 §4.4.1 CRLF keep-alive on a connection-oriented flow: the client sends a double-CRLF
 * "ping" at a random time between 80% and 100% of the keep-alive interval (§4.4.1, so that many
 * clients do not ping in step), the server answers with a single-CRLF "pong", and a pong missing
 * for 10 seconds means the flow has failed: the UA must open a new flow and register again.
 *
 * RFC 7118 §6: WebSocket ping frames would do too, but browsers cannot send them, so SIP over
 * WebSocket clients use the RFC 5626 CRLF mechanism.
 */
import type { Clock, TimerHandle } from '../core/clock';
import type { Random } from '../core/random';

export const CRLF_PING = '\r\n\r\n';
export const CRLF_PONG = '\r\n';

export interface KeepAliveOptions {
  /** Nominal time between pings (RFC 5626 "recommended time"); 0 disables periodic pings. */
  readonly intervalMs: number;
  /** How long to wait for the pong (RFC 5626 §4.4.1: 10 s). */
  readonly pongTimeoutMs: number;
}

/**
 * RFC 5626 §4.4.1 names 120 s for connection-oriented flows when the registrar sends no
 * Flow-Timer, but WebSocket connections commonly cross HTTP proxies that drop idle connections
 * after 60 s, so the default pings every 24–30 s. The pong wait is the RFC's 10 s.
 */
export const DEFAULT_KEEP_ALIVE: KeepAliveOptions = { intervalMs: 30_000, pongTimeoutMs: 10_000 };

interface KeepAliveHooks {
  readonly clock: Clock;
  readonly random: Random;
  /** Sends the ping; throwing means the flow is already unusable. */
  readonly sendPing: () => void;
  /** The flow is dead: no pong came back in time, or the ping could not be sent. */
  readonly onDead: (reason: string) => void;
}

export class KeepAlive {
  #intervalMs: number;
  readonly #pongTimeoutMs: number;
  readonly #hooks: KeepAliveHooks;
  #running = false;
  #pingTimer: TimerHandle | undefined;
  #pongTimer: TimerHandle | undefined;

  constructor(options: KeepAliveOptions, hooks: KeepAliveHooks) {
    if (!(options.intervalMs >= 0)) throw new RangeError(`intervalMs must be ≥ 0, got ${options.intervalMs}`);
    if (!(options.pongTimeoutMs > 0)) throw new RangeError(`pongTimeoutMs must be > 0, got ${options.pongTimeoutMs}`);
    this.#intervalMs = options.intervalMs;
    this.#pongTimeoutMs = options.pongTimeoutMs;
    this.#hooks = hooks;
  }

  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** Whether a ping is out and its pong not yet back. */
  get awaitingPong(): boolean {
    return this.#pongTimer !== undefined;
  }

  /** Starts pinging a fresh flow. */
  start(): void {
    this.stop();
    this.#running = true;
    this.#schedulePing();
  }

  /** Stops all timers (the flow closed). */
  stop(): void {
    this.#running = false;
    this.#clearTimers();
  }

  /**
   * RFC 5626 §4.4.1: the registrar's Flow-Timer header gives the interval the server needs; the
   * UA then pings between 80% and 100% of it. Takes effect from the next ping.
   */
  setInterval(intervalMs: number): void {
    if (!(intervalMs >= 0)) throw new RangeError(`intervalMs must be ≥ 0, got ${intervalMs}`);
    this.#intervalMs = intervalMs;
    if (this.#running && !this.awaitingPong) this.#schedulePing();
  }

  /** A single CRLF arrived: the flow is alive. */
  pongReceived(): void {
    if (!this.awaitingPong) return;
    this.#clearTimers();
    if (this.#running) this.#schedulePing();
  }

  /**
   * Pings now, whatever the schedule (after a network change the flow may have died silently),
   * unless a ping is already waiting for its pong.
   */
  probe(): void {
    if (this.#running && !this.awaitingPong) this.#ping();
  }

  #schedulePing(): void {
    this.#clearTimers();
    if (this.#intervalMs === 0) return;
    const delay = this.#intervalMs * (0.8 + 0.2 * this.#hooks.random.float());
    this.#pingTimer = this.#hooks.clock.setTimeout(() => {
      this.#pingTimer = undefined;
      this.#ping();
    }, delay);
  }

  #ping(): void {
    this.#clearTimers();
    try {
      this.#hooks.sendPing();
    } catch (error) {
      this.#running = false;
      this.#hooks.onDead(`keep-alive ping could not be sent: ${(error as Error).message}`);
      return;
    }
    this.#pongTimer = this.#hooks.clock.setTimeout(() => {
      this.#pongTimer = undefined;
      this.#running = false;
      this.#hooks.onDead(`keep-alive pong missing after ${this.#pongTimeoutMs} ms`);
    }, this.#pongTimeoutMs);
  }

  #clearTimers(): void {
    this.#hooks.clock.clearTimeout(this.#pingTimer);
    this.#hooks.clock.clearTimeout(this.#pongTimer);
    this.#pingTimer = undefined;
    this.#pongTimer = undefined;
  }
}
