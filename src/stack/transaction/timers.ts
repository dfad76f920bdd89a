/**
 * RFC 3261 §17 timer values, all derived from T1, T2 and T4 (Table 4 of §A). A reliable transport
 * (WebSocket) needs no retransmissions and no absorbing "wait" states, so those timers are zero
 * there (or, for the retransmit timers A, E and G, never started) rather than left out: the state
 * machines stay the same for every transport.
 */
export interface TimerSettings {
  /** RTT estimate, 500 ms by default (§17.1.1.1). */
  t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, 4 s by default. */
  t2: number;
  /** Maximum duration a message stays in the network, 5 s by default. */
  t4: number;
}

export const DEFAULT_TIMER_SETTINGS: Readonly<TimerSettings> = { t1: 500, t2: 4000, t4: 5000 };

/** The timers of §17 in ms, by their RFC letters; undefined means "never started". */
export interface TransactionTimers {
  /** INVITE request retransmit, starts at T1 and doubles (§17.1.1.2); never on reliable transports. */
  readonly A: number | undefined;
  /** INVITE transaction timeout, 64*T1 (§17.1.1.2); also Timer M (RFC 6026 §8.4) and Timer L (§7.1) via H. */
  readonly B: number;
  /** Wait time for response retransmits, > 32 s unreliable, 0 reliable (§17.1.1.2). */
  readonly D: number;
  /** Non-INVITE request retransmit, T1 doubling to T2 (§17.1.2.2); never on reliable transports. */
  readonly E: number | undefined;
  /** Non-INVITE transaction timeout, 64*T1 (§17.1.2.2). */
  readonly F: number;
  /** INVITE response retransmit, T1 doubling to T2 (§17.2.1); never on reliable transports. */
  readonly G: number | undefined;
  /** Wait time for ACK receipt, 64*T1 (§17.2.1). */
  readonly H: number;
  /** Wait time for ACK retransmits, T4 unreliable, 0 reliable (§17.2.1). */
  readonly I: number;
  /** Wait time for non-INVITE request retransmits, 64*T1 unreliable, 0 reliable (§17.2.2). */
  readonly J: number;
  /** Wait time for response retransmits, T4 unreliable, 0 reliable (§17.1.2.2). */
  readonly K: number;
  /** The cap of the doubling retransmit intervals E and G (§17.1.2.2, §17.2.1). */
  readonly T2: number;
}

export function transactionTimers({ t1, t2, t4 }: TimerSettings, reliable: boolean): TransactionTimers {
  const retransmit = reliable ? undefined : t1;
  const timeout = 64 * t1;
  return {
    A: retransmit,
    B: timeout,
    D: reliable ? 0 : Math.max(32000, timeout),
    E: retransmit,
    F: timeout,
    G: retransmit,
    H: timeout,
    I: reliable ? 0 : t4,
    J: reliable ? 0 : timeout,
    K: reliable ? 0 : t4,
    T2: t2,
  };
}
