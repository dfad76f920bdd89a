/**
 * When a local offer or answer may leave without waiting for the end of ICE gathering.
 *
 * SIP carries one SDP per offer or answer, so its candidates are those gathered when it is sent
 * (no trickle). Waiting for `complete` is ideal but unbounded in practice: a STUN or TURN server
 * that does not answer keeps gathering open until the browser gives up on it (about 10 s in
 * Chromium, measured here; Firefox similar), and the call waits with it. So the description is
 * released at the first of:
 *
 * - `complete`: gathering finished.
 * - `sufficient`: nothing better can come. A relay candidate works through any NAT; without a TURN
 *   server configured, a server-reflexive candidate is the best there will be; without any server,
 *   host candidates are all there will be, so they go once no new one has come for `HOST_SETTLE_MS`.
 *   Chromium gathers the UDP host candidates of every interface at once, then waits about 115 ms
 *   (its allocation steps, measured here) before its TCP host candidates, and only then completes:
 *   more than three quarters of an audio call's setup on a LAN. Those are "active" TCP candidates
 *   (RFC 6544: port 9, they only open connections), which a peer learns as peer-reflexive from our
 *   first check (RFC 8445 §7.3.1.3) without having been told, so the offer loses nothing by leaving
 *   without them. Firefox completes within milliseconds and is not affected.
 * - `timeout`: `timeoutMs` after gathering began, as soon as at least one candidate exists. A
 *   description without candidates cannot connect, so it waits for the first one or for the end.
 *
 * Default 1000 ms: host candidates take milliseconds; a server-reflexive one takes one round trip
 * to the STUN server and a relay two (RFC 8656 Allocate, 401, authenticated Allocate), so a second
 * leaves room for TURN at a 400 ms round trip and for STUN on the worst paths, while a dead server
 * costs a second rather than ten.
 */
import type { IceGatheringOutcome, IceServer } from '../stack/ua/media-session';

export const DEFAULT_ICE_GATHERING_TIMEOUT_MS = 1000;

/** Host candidates of all interfaces come within a few ms of each other; Chromium's TCP ones ~115 ms later. */
export const HOST_SETTLE_MS = 30;

export interface IceGatheringProgress {
  /** The browser says gathering is complete. */
  complete: boolean;
  elapsedMs: number;
  timeoutMs: number;
  /** Candidates in the current local description, by type. */
  candidates: { host: number; srflx: number; prflx: number; relay: number };
  /** A TURN server is configured, so a relay candidate may still come. */
  turnConfigured: boolean;
  /** Any STUN or TURN server is configured, so a candidate better than host may still come. */
  serversConfigured: boolean;
  /** Time since the last candidate arrived (or since gathering began). */
  quietMs: number;
}

/** The outcome to release the description with now, or undefined to keep waiting. */
export function iceGatheringDecision(progress: IceGatheringProgress): IceGatheringOutcome | undefined {
  const { host, srflx, prflx, relay } = progress.candidates;
  return progress.complete
    ? 'complete'
    : relay ||
        (srflx && !progress.turnConfigured) ||
        (host && !progress.serversConfigured && progress.quietMs >= HOST_SETTLE_MS)
      ? 'sufficient'
      : progress.elapsedMs >= progress.timeoutMs && host + srflx + prflx
        ? 'timeout'
        : undefined;
}

/** Whether any configured server is TURN (turn: or turns: URL, RFC 7065). */
export function hasTurnServer(iceServers: readonly IceServer[]): boolean {
  return iceServers.some((server) => [server.urls].flat().some((url) => /^turns?:/i.test(url)));
}
