import type { Clock, TimerHandle } from '../core/clock';
import { TimeoutError, TransportError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { SipRequest } from '../message/message';
import type { TransactionTimers } from './timers';

/**
 * What a transaction needs from the layer below: send wire text on a flow (RFC 5626 §4.2; none:
 * the transport's choice), or throw TransportError.
 */
export interface TransactionTransport {
  send(text: string, flow?: number): void;
}

export interface TransactionContext {
  readonly transport: TransactionTransport;
  /**
   * The flow the transaction lives on: a server transaction's request came on it and its
   * responses go back on it (RFC 3261 §18.2.2); a client transaction's request went out on it,
   * so losing that flow loses its responses.
   */
  readonly flow?: number;
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  readonly logger: Logger;
}

/** Where a transaction reports a timeout (408) or a transport failure (503), §8.1.3.1. */
interface FailureListener {
  onFailure?(error: TimeoutError | TransportError): void;
}

/**
 * The states each state may move to. Every RFC 3261 §17 machine ends in a state named
 * 'terminated' (Figures 5 to 8), reachable from every other state (a timeout, a transport failure,
 * or the UA stopping), so it is not listed.
 */
export type Moves<State extends string> = Readonly<Record<Exclude<State, 'terminated'>, readonly State[]>>;

/**
 * The common frame of the four RFC 3261 §17 machines: a string-enum state, one guarded
 * `transition()` that refuses moves the RFC does not draw and clears the timers of the state it
 * leaves, and named timers so each branch reads like the RFC paragraph it cites.
 */
export abstract class Transaction<State extends string, User extends FailureListener = FailureListener> {
  readonly #timers = new Map<string, TimerHandle>();
  readonly #onTerminated: Array<() => void> = [];
  readonly #moves: Moves<State>;
  #state: State;
  abstract readonly kind: string;

  protected constructor(
    readonly id: string,
    readonly request: SipRequest,
    protected readonly context: TransactionContext,
    initial: State,
    moves: Moves<State>,
    /** The transaction user (TU): the UA core, a dialog or the registrar. */
    public user: User,
  ) {
    this.#state = initial;
    this.#moves = moves;
  }

  get state(): State {
    return this.#state;
  }

  /** The flow it lives on (see TransactionContext.flow). */
  get flow(): number | undefined {
    return this.context.flow;
  }

  get terminated(): boolean {
    return this.#state === 'terminated';
  }

  /** Called once when the transaction reaches Terminated, so the layer can forget it. */
  onTerminated(listener: () => void): void {
    this.#onTerminated.push(listener);
  }

  /** Whether the current state is one of `states`. */
  protected in(...states: State[]): boolean {
    return states.includes(this.#state);
  }

  /**
   * Moves to `next`, clearing every timer of the state left except those named in `keep` (a timer
   * the RFC runs across both states, such as Timer F from Trying into Proceeding).
   */
  protected transition(next: State, keep: readonly string[] = []): void {
    const from = this.#state;
    const end = next === 'terminated';
    if (this.terminated || !(end || this.#moves[from as Exclude<State, 'terminated'>].includes(next))) {
      throw new Error(`${this.kind} ${this.id}: illegal transition ${from} -> ${next}`);
    }
    this.context.logger.debug(`${this.kind} ${this.id}: ${from} -> ${next}`);
    for (const [name, handle] of this.#timers) {
      if (end || !keep.includes(name)) this.#stopTimer(name, handle);
    }
    this.#state = next;
    if (end) for (const listener of this.#onTerminated.splice(0)) listener();
  }

  /** Ends the transaction without a word on the wire (the transport went away, the UA stops). */
  terminate(): void {
    if (!this.terminated) this.transition('terminated' as State);
  }

  /** Ends the transaction with a transport failure, reported to the TU as a 503 (§8.1.3.1, §17.2.4). */
  fail(error: TransportError): void {
    if (this.terminated) return;
    this.terminate();
    this.user.onFailure?.(error);
  }

  /** A timer ran out: the transaction ends and the TU hears of it as a 408 (§8.1.3.1). */
  protected timeout(timer: string, message: string): void {
    this.transition('terminated' as State);
    this.user.onFailure?.(new TimeoutError(timer, message));
  }

  /** Starts (or restarts) a named timer; a zero delay still fires asynchronously. */
  protected startTimer(name: string, delayMs: number, fire: () => void): void {
    this.#stopTimer(name, this.#timers.get(name));
    this.#timers.set(
      name,
      this.context.clock.setTimeout(() => {
        this.#timers.delete(name);
        fire();
      }, delayMs),
    );
  }

  /** A wait timer (D, I, J, K, L, M) whose only job is to end the transaction. */
  protected terminateAfter(name: string, delayMs: number): void {
    this.startTimer(name, delayMs, () => this.transition('terminated' as State));
  }

  /**
   * A retransmit timer (A, E, G): sends `text` again after `interval` while `active()`, then
   * after `next(interval)`. An undefined interval (a reliable transport) starts nothing.
   */
  protected retransmit(
    name: string,
    interval: number | undefined,
    text: string,
    active: () => boolean,
    next: (interval: number) => number,
  ): void {
    if (interval === undefined) return;
    this.startTimer(name, interval, () => {
      if (active() && this.send(text)) this.retransmit(name, next(interval), text, active, next);
    });
  }

  /**
   * Sends wire text; says whether it went. A send error fails the transaction (§8.1.3.1, §17.2.4)
   * unless `quiet` (an ACK or a response retransmission whose loss the RFC leaves to timers).
   */
  protected send(text: string, quiet = false): boolean {
    try {
      this.context.transport.send(text, this.context.flow);
      return true;
    } catch (error) {
      if (!quiet) {
        const reason = error instanceof Error ? error : new Error(String(error));
        this.fail(
          reason instanceof TransportError
            ? reason
            : new TransportError('send-failed', reason.message, { cause: reason }),
        );
      }
      return false;
    }
  }

  #stopTimer(name: string, handle: TimerHandle | undefined): void {
    this.context.clock.clearTimeout(handle);
    this.#timers.delete(name);
  }
}
