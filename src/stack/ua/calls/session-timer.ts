import type { Clock, TimerHandle } from '../../core/clock';
import type { SipRequest, SipResponse } from '../../message/message';

/**
 * Session timers (RFC 4028): a call whose peer or PBX went away without a BYE is ended, and a
 * proxy or PBX that times out silent dialogs (Asterisk, FreeSWITCH, carrier trunks) keeps ours.
 * One SessionTimer per call: it writes Session-Expires and Min-SE on what the call sends, reads
 * them on what it receives, refreshes at half the interval when we are the refresher, and ends the
 * call when the interval runs out unrefreshed (§10).
 */

/** RFC 4028 §4: no session interval below 90 s, whatever anyone asks. */
export const MIN_SESSION_EXPIRES = 90;
/** RFC 4028 §4 recommends 1800 s (30 min) as the interval a UAC asks for. */
export const DEFAULT_SESSION_EXPIRES = 1800;
/**
 * The longest interval we run: a peer asking more gets this in our 2xx (§9 lets the UAS lower
 * it), and a 2xx naming more than we asked is held to what we asked. Keeps every timer well
 * inside what setTimeout can hold (2^31 ms).
 */
export const MAX_SESSION_EXPIRES = 86400;
/** A 422 is retried with the Min-SE it names this many times per request (§7.4), no more. */
export const MAX_422_RETRIES = 2;

export interface SessionTimerOptions {
  /** The interval we ask for, in seconds (1800); at least 90. */
  expires?: number;
  /** The smallest interval we accept from a peer (Min-SE, §5), in seconds (90); at least 90. */
  minSE?: number;
}

/** Who refreshes, from our side: `local` (we send the refreshes) or `remote`. */
type Refresher = 'local' | 'remote';

interface SessionExpires {
  seconds: number;
  refresher: 'uac' | 'uas' | undefined;
}

/** delta-seconds (RFC 3261 §25.1) of at most 10 digits, else undefined. */
function deltaSeconds(text: string): number | undefined {
  return /^\d{1,10}$/.test(text) ? Number(text) : undefined;
}

/** RFC 4028 §4: `Session-Expires: delta-seconds *(;se-params)`, refresher=uac|uas among them. */
export function readSessionExpires(message: SipRequest | SipResponse): SessionExpires | undefined {
  const value = message.header('Session-Expires');
  if (value === undefined) return undefined;
  const [first = '', ...params] = value.split(';');
  const seconds = deltaSeconds(first.trim());
  if (seconds === undefined) return undefined;
  let refresher: SessionExpires['refresher'];
  for (const param of params) {
    const [name = '', v = ''] = param.split('=');
    if (name.trim().toLowerCase() !== 'refresher') continue;
    const role = v.trim().toLowerCase();
    if (role === 'uac' || role === 'uas') refresher = role;
  }
  return { seconds, refresher };
}

/** RFC 4028 §5: `Min-SE: delta-seconds *(;generic-param)`. */
export function readMinSE(message: SipRequest | SipResponse): number | undefined {
  const value = message.header('Min-SE');
  return value === undefined ? undefined : deltaSeconds(value.split(';')[0]!.trim());
}

/** The 422 answer to a request whose Session-Expires is below `minSE` (RFC 4028 §9, §6). */
export interface IntervalTooSmall {
  readonly status: 422;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

export function intervalTooSmall(request: SipRequest, minSE = MIN_SESSION_EXPIRES): IntervalTooSmall | undefined {
  const floor = Math.max(MIN_SESSION_EXPIRES, Math.floor(minSE));
  const se = readSessionExpires(request);
  return se && se.seconds < floor ? { status: 422, headers: [['Min-SE', String(floor)]] } : undefined;
}

const supportsTimer = (message: SipRequest | SipResponse): boolean =>
  message.headers('Supported').some((tag) => tag.toLowerCase() === 'timer') ||
  message.headers('Require').some((tag) => tag.toLowerCase() === 'timer');

export interface SessionTimerHooks {
  clock: Clock;
  /** Sends a session refresh (UPDATE or re-INVITE); its 2xx comes back through answered(). */
  refresh(): void;
  /** The session expired unrefreshed: end the call with BYE (§10). */
  expire(): void;
}

export class SessionTimer {
  readonly #hooks: SessionTimerHooks;
  readonly #minSE: number;
  /** The interval we ask for in the next request we send: ours, or a Min-SE a 422 named. */
  #asked: number;
  /** The largest Min-SE heard in this session (§7.4: carried on in later requests). */
  #floor: number;
  #retries = 0;
  /** The running interval (seconds) and who refreshes; undefined while no timer runs. */
  #interval: number | undefined;
  #refresher: Refresher | undefined;
  #refreshTimer: TimerHandle | undefined;
  #expiryTimer: TimerHandle | undefined;
  /** The call ended: no timer starts again, whatever arrives late. */
  #ended = false;

  constructor(hooks: SessionTimerHooks, options: SessionTimerOptions = {}) {
    this.#hooks = hooks;
    this.#minSE = Math.max(MIN_SESSION_EXPIRES, Math.floor(options.minSE ?? MIN_SESSION_EXPIRES));
    this.#asked = Math.min(
      MAX_SESSION_EXPIRES,
      Math.max(this.#minSE, Math.floor(options.expires ?? DEFAULT_SESSION_EXPIRES)),
    );
    this.#floor = this.#minSE;
  }

  /** The running interval in seconds and who refreshes it; undefined when no timer runs. */
  get running(): { interval: number; refresher: Refresher } | undefined {
    return this.#interval === undefined ? undefined : { interval: this.#interval, refresher: this.#refresher! };
  }

  // ------------------------------------------------------------------ as UAC (INVITE, re-INVITE, UPDATE we send)

  /**
   * §7.1, §7.4: Session-Expires (the running interval once there is one, else what we ask) with
   * refresher=uac when we refresh, and Min-SE once a 422 raised it.
   */
  decorate(request: SipRequest): void {
    const seconds = this.#interval ?? this.#asked;
    // A new session: we offer to refresh (§7.1 leaves the choice to the UAC). A running one
    // keeps its refresher, named as the roles of this transaction see it.
    const role = (this.#refresher ?? 'local') === 'local' ? 'uac' : 'uas';
    request.setHeader('Session-Expires', `${seconds};refresher=${role}`);
    request.setHeader('Min-SE', this.#floor);
  }

  /**
   * §7.4: a 422 names the smallest interval the far end (or a proxy on the way) takes. True when
   * the request may be sent again, decorated anew; false after MAX_422_RETRIES or with a Min-SE
   * that is missing, no larger than what we sent, or beyond MAX_SESSION_EXPIRES.
   */
  retryAfter422(response: SipResponse): boolean {
    const named = readMinSE(response);
    const sent = this.#interval ?? this.#asked;
    if (named === undefined || named <= sent || named > MAX_SESSION_EXPIRES || this.#retries >= MAX_422_RETRIES)
      return false;
    this.#retries++;
    this.#floor = Math.max(this.#floor, named);
    if (this.#interval !== undefined) this.#interval = named;
    this.#asked = named;
    return true;
  }

  /**
   * §7.2: the 2xx to a request of ours: its Session-Expires sets the interval (never more than
   * we asked) and the refresher; without one, a running timer goes on as it was (the request was
   * a refresh all the same) and a new session has none.
   */
  answered(response: SipResponse): void {
    this.#retries = 0;
    const se = readSessionExpires(response);
    const asked = this.#interval ?? this.#asked;
    if (!se) return this.#interval === undefined ? undefined : this.#restart(this.#interval, this.#refresher!);
    const seconds = Math.min(asked, Math.max(MIN_SESSION_EXPIRES, se.seconds));
    this.#restart(seconds, se.refresher === 'uas' ? 'remote' : 'local');
  }

  // ------------------------------------------------------------------ as UAS (INVITE, re-INVITE, UPDATE we answer)

  /** §9: a Session-Expires below our Min-SE (or below 90 s) is refused: 422 with our Min-SE. */
  reject(request: SipRequest): IntervalTooSmall | undefined {
    return intervalTooSmall(request, this.#minSE);
  }

  /**
   * §9: our 2xx to a request that carries Session-Expires names the interval (capped at
   * MAX_SESSION_EXPIRES) and the refresher: the one asked for; else the caller when it supports
   * timers (it asked for them), else us. refresher=uac needs Require: timer. A request without
   * Session-Expires in a running session refreshes it as it stands; in a new one, no timer runs.
   */
  accept(request: SipRequest, response: SipResponse): void {
    const se = readSessionExpires(request);
    let seconds = this.#interval;
    let refresher = this.#refresher;
    if (se) {
      seconds = Math.min(MAX_SESSION_EXPIRES, Math.max(this.#minSE, se.seconds));
      const role = se.refresher ?? (supportsTimer(request) ? 'uac' : 'uas');
      refresher = role === 'uas' ? 'local' : 'remote';
    } else if (seconds !== undefined && refresher === 'remote' && !supportsTimer(request)) {
      // §9: a peer that did not say it supports timers cannot be the refresher.
      refresher = 'local';
    }
    if (seconds === undefined || refresher === undefined) return;
    response.setHeader('Session-Expires', `${seconds};refresher=${refresher === 'local' ? 'uas' : 'uac'}`);
    if (refresher === 'remote') response.setHeader('Require', 'timer');
    this.#restart(seconds, refresher);
  }

  // ------------------------------------------------------------------ timers

  /**
   * §10: the refresher refreshes at half the interval; either side sends BYE when no refresh
   * came by the interval's end less min(32 s, a third of it), so the BYE gets there in time.
   */
  #restart(seconds: number, refresher: Refresher): void {
    const clock = this.#hooks.clock;
    this.#clear();
    this.#interval = seconds;
    this.#refresher = refresher;
    if (this.#ended) return;
    if (refresher === 'local') this.#refreshTimer = clock.setTimeout(() => this.#hooks.refresh(), (seconds * 1000) / 2);
    this.#expiryTimer = clock.setTimeout(() => this.#hooks.expire(), (seconds - Math.min(32, seconds / 3)) * 1000);
  }

  /** The call ended: both timers stop for good. */
  end(): void {
    this.#ended = true;
    this.#clear();
  }

  #clear(): void {
    this.#hooks.clock.clearTimeout(this.#refreshTimer);
    this.#hooks.clock.clearTimeout(this.#expiryTimer);
    this.#refreshTimer = this.#expiryTimer = undefined;
  }
}
