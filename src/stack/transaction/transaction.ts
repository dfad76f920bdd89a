import type { Clock, TimerHandle } from '../core/clock';
import type { Logger } from '../core/logger';
import type { TransactionTimers } from './timers';

/** What a transaction needs from the layer below: send wire text, or throw TransportError. */
export interface TransactionTransport {
  send(text: string): void;
}

export interface TransactionContext {
  readonly transport: TransactionTransport;
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  readonly logger: Logger;
}

/**
 * The common frame of the four RFC 3261 §17 machines: a string-enum state, one guarded
 * `transition()` that refuses moves the RFC does not draw and clears the timers of the state it
 * leaves, and named timers so each branch reads like the RFC paragraph it cites.
 */
export abstract class Transaction<State extends string> {
  // Every RFC 3261 §17 machine ends in a state named 'terminated' (Figures 5 to 8).
  private static readonly TERMINATED = 'terminated';
  private readonly running = new Map<string, TimerHandle>();
  private readonly terminatedListeners: Array<() => void> = [];
  protected currentState: State;

  protected constructor(
    readonly id: string,
    protected readonly context: TransactionContext,
    initial: State,
    private readonly moves: Readonly<Record<State, readonly State[]>>,
  ) {
    this.currentState = initial;
  }

  get state(): State {
    return this.currentState;
  }

  abstract readonly kind: string;

  /** Called once when the transaction reaches Terminated, so the layer can forget it. */
  onTerminated(listener: () => void): void {
    this.terminatedListeners.push(listener);
  }

  /**
   * Moves to `next`, clearing every timer of the state left except those named in `keep` (a timer
   * the RFC runs across both states, such as Timer F from Trying into Proceeding).
   */
  protected transition(next: State, keep: readonly string[] = []): void {
    if (!this.moves[this.currentState].includes(next)) {
      throw new Error(`${this.kind} ${this.id}: illegal transition ${this.currentState} -> ${next}`);
    }
    this.context.logger.debug(`${this.kind} ${this.id}: ${this.currentState} -> ${next}`);
    this.clearTimersExcept(next === Transaction.TERMINATED ? [] : keep);
    this.currentState = next;
    if (next === Transaction.TERMINATED) for (const listener of this.terminatedListeners.splice(0)) listener();
  }

  get terminated(): boolean {
    return this.currentState === Transaction.TERMINATED;
  }

  /** Ends the transaction without a word on the wire (the transport went away, the UA stops). */
  terminate(): void {
    if (!this.terminated) this.transition(Transaction.TERMINATED as State);
  }

  /** Starts (or restarts) a named timer; a zero delay still fires asynchronously. */
  protected startTimer(name: string, delayMs: number, fire: () => void): void {
    this.stopTimer(name);
    this.running.set(
      name,
      this.context.clock.setTimeout(() => {
        this.running.delete(name);
        fire();
      }, delayMs),
    );
  }

  protected stopTimer(name: string): void {
    this.context.clock.clearTimeout(this.running.get(name));
    this.running.delete(name);
  }

  private clearTimersExcept(keep: readonly string[]): void {
    for (const [name, handle] of this.running) {
      if (keep.includes(name)) continue;
      this.context.clock.clearTimeout(handle);
      this.running.delete(name);
    }
  }

  /** Sends wire text; returns the transport error instead of throwing it, so machines can branch. */
  protected trySend(text: string): Error | undefined {
    try {
      this.context.transport.send(text);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }
}
