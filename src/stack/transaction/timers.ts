/**
 * RFC 3261 §17 timer values, all derived from T1, T2 and T4 (Table 4 of §A). A reliable transport
 * (WebSocket) needs no retransmissions and no absorbing "wait" states, so those timers are zero
 * there rather than left out: the state machines stay the same for every transport.
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

export class TransactionTimers {
  constructor(
    private readonly settings: TimerSettings,
    private readonly reliable: boolean,
  ) {}

  get t1(): number {
    return this.settings.t1;
  }

  get t2(): number {
    return this.settings.t2;
  }

  /** Timer A: INVITE request retransmit, starts at T1 and doubles (§17.1.1.2); never on reliable transports. */
  get a(): number | undefined {
    return this.reliable ? undefined : this.settings.t1;
  }

  /** Timer B: INVITE transaction timeout, 64*T1 (§17.1.1.2). */
  get b(): number {
    return 64 * this.settings.t1;
  }

  /** Timer D: wait time for response retransmits, > 32 s unreliable, 0 reliable (§17.1.1.2). */
  get d(): number {
    return this.reliable ? 0 : Math.max(32000, 64 * this.settings.t1);
  }

  /** Timer E: non-INVITE request retransmit, T1 doubling to T2 (§17.1.2.2); never on reliable transports. */
  get e(): number | undefined {
    return this.reliable ? undefined : this.settings.t1;
  }

  /** Timer F: non-INVITE transaction timeout, 64*T1 (§17.1.2.2). */
  get f(): number {
    return 64 * this.settings.t1;
  }

  /** Timer G: INVITE response retransmit, T1 doubling to T2 (§17.2.1); never on reliable transports. */
  get g(): number | undefined {
    return this.reliable ? undefined : this.settings.t1;
  }

  /** Timer H: wait time for ACK receipt, 64*T1 (§17.2.1). */
  get h(): number {
    return 64 * this.settings.t1;
  }

  /** Timer I: wait time for ACK retransmits, T4 unreliable, 0 reliable (§17.2.1). */
  get i(): number {
    return this.reliable ? 0 : this.settings.t4;
  }

  /** Timer J: wait time for non-INVITE request retransmits, 64*T1 unreliable, 0 reliable (§17.2.2). */
  get j(): number {
    return this.reliable ? 0 : 64 * this.settings.t1;
  }

  /** Timer K: wait time for response retransmits, T4 unreliable, 0 reliable (§17.1.2.2). */
  get k(): number {
    return this.reliable ? 0 : this.settings.t4;
  }

  /** The next retransmit interval after `current`: doubles, capped at T2 when `capped` (§17.1.2.2, §17.2.1). */
  backoff(current: number, capped: boolean): number {
    return capped ? Math.min(2 * current, this.settings.t2) : 2 * current;
  }
}
