/**
 * Waits, after setLocalDescription, until the local description may be sent (see
 * ice-gathering-policy.ts), and returns it with the candidates it holds. The candidates are read
 * from the description itself, not counted from events: that is what goes on the wire, and a
 * re-offer without ICE restart keeps its candidates without any new event.
 */
import { readMediaLines } from '../stack/sdp/media-lines';
import { MediaSessionError, type IceGatheringReport } from '../stack/ua/media-session';
import { HOST_SETTLE_MS, iceGatheringDecision } from './ice-gathering-policy';

export interface GatheredDescription {
  sdp: string;
  report: IceGatheringReport;
}

export function waitForIceGathering(
  pc: RTCPeerConnection,
  options: { timeoutMs: number; turnConfigured: boolean; serversConfigured: boolean; signal: AbortSignal },
): Promise<GatheredDescription> {
  const started = performance.now();
  let lastCandidate = started;
  const { signal, timeoutMs } = options;
  const done = new AbortController();
  let timedOut = false;
  // Set when the settle timer fires, cleared by each new candidate (see quietMs below).
  let settled = false;
  return new Promise((resolve, reject) => {
    // RTCPeerConnection.close() fires no event, so the session's close() aborts the wait.
    const check = (): void => {
      if (signal.aborted || pc.signalingState === 'closed') {
        done.abort();
        return reject(new MediaSessionError('closed', 'the media session closed while gathering ICE candidates'));
      }
      const sdp = pc.localDescription?.sdp ?? '';
      // With BUNDLE every stream shares the first stream's transport; its candidates are what counts.
      const first = readMediaLines(sdp).find((line) => !line.rejected);
      const candidates = { host: 0, srflx: 0, prflx: 0, relay: 0, ...first?.candidates };
      const now = performance.now();
      // Once the timer has fired the timeout has passed, whatever performance.now() says: WebKit
      // runs a 120 ms timer when performance.now() has moved by 119.99999999999909 ms.
      const elapsedMs = timedOut ? Math.max(now - started, timeoutMs) : now - started;
      const outcome = iceGatheringDecision({
        complete: pc.iceGatheringState === 'complete',
        elapsedMs,
        timeoutMs,
        candidates,
        turnConfigured: options.turnConfigured,
        serversConfigured: options.serversConfigured,
        // Once the settle timer has fired the candidates have been quiet that long, whatever
        // performance.now() says: Firefox coarsens it (and WebKit's timers run a hair early), so
        // it may read 29.9 ms, and the release would then wait for the end of gathering.
        quietMs: settled ? Math.max(now - lastCandidate, HOST_SETTLE_MS) : now - lastCandidate,
      });
      if (outcome) {
        done.abort();
        resolve({ sdp, report: { outcome, candidates, elapsedMs: Math.round(elapsedMs) } });
      }
    };
    const listen = { signal: done.signal };
    let settle: ReturnType<typeof setTimeout> | undefined;
    const candidate = (): void => {
      lastCandidate = performance.now();
      settled = false;
      clearTimeout(settle);
      // Looks again once the candidates may have settled (only without servers, see the policy).
      if (!options.serversConfigured) {
        settle = setTimeout(() => {
          settled = true;
          check();
        }, HOST_SETTLE_MS);
      }
      check();
    };
    pc.addEventListener('icegatheringstatechange', check, listen);
    pc.addEventListener('icecandidate', candidate, listen);
    signal.addEventListener('abort', check, listen);
    const timer = setTimeout(() => {
      timedOut = true;
      check();
    }, timeoutMs);
    done.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      clearTimeout(settle);
    });
    check();
  });
}
