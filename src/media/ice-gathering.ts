/**
 * Waits, after setLocalDescription, until the local description may be sent (see
 * ice-gathering-policy.ts), and returns it with the candidates it holds. The candidates are read
 * from the description itself, not counted from events: that is what goes on the wire, and a
 * re-offer without ICE restart keeps its candidates without any new event.
 */
import { readMediaLines } from '../stack/sdp/media-lines';
import { MediaSessionError, type IceGatheringReport } from '../stack/ua/media-session';
import { iceGatheringDecision } from './ice-gathering-policy';

export interface GatheredDescription {
  sdp: string;
  report: IceGatheringReport;
}

function countCandidates(sdp: string): IceGatheringReport['candidates'] {
  // With BUNDLE every stream shares the first stream's transport; its candidates are what counts.
  const first = readMediaLines(sdp).find((line) => !line.rejected);
  return first ? { ...first.candidates } : { host: 0, srflx: 0, prflx: 0, relay: 0 };
}

export function waitForIceGathering(
  pc: RTCPeerConnection,
  options: { timeoutMs: number; turnConfigured: boolean; signal: AbortSignal },
): Promise<GatheredDescription> {
  const started = performance.now();
  const { signal } = options;
  return new Promise((resolve, reject) => {
    const stop = (): void => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      pc.removeEventListener('icecandidate', check);
      signal.removeEventListener('abort', check);
    };
    // RTCPeerConnection.close() fires no event, so the session's close() aborts the wait.
    function check(): void {
      if (signal.aborted || pc.signalingState === 'closed') {
        stop();
        reject(new MediaSessionError('closed', 'the media session closed while gathering ICE candidates'));
        return;
      }
      const sdp = pc.localDescription?.sdp ?? '';
      const candidates = countCandidates(sdp);
      const elapsedMs = performance.now() - started;
      const outcome = iceGatheringDecision({
        complete: pc.iceGatheringState === 'complete',
        elapsedMs,
        timeoutMs: options.timeoutMs,
        candidates,
        turnConfigured: options.turnConfigured,
      });
      if (outcome === undefined) return;
      stop();
      resolve({ sdp, report: { outcome, candidates, elapsedMs: Math.round(elapsedMs) } });
    }
    pc.addEventListener('icegatheringstatechange', check);
    pc.addEventListener('icecandidate', check);
    signal.addEventListener('abort', check);
    const timer = setTimeout(check, options.timeoutMs);
    check();
  });
}
