/**
 * Sending DTMF as RFC 4733 telephone-events through RTCRtpSender.dtmf (W3C WebRTC §7), for the
 * WebRTC session: whether it can be done now, whether the answer makes it the better way, and the
 * queueing itself.
 */
import { hasTelephoneEvent, telephoneEventAtAudioClock } from '../stack/sdp/sdp-facts';
import type { DtmfOptions } from '../stack/ua/media-session';

/** Both descriptions name telephone-event and the audio sender has a track it can play tones on. */
export function rfc4733Possible(pc: RTCPeerConnection, sender: RTCRtpSender | undefined): boolean {
  const local = pc.localDescription?.sdp;
  const remote = pc.remoteDescription?.sdp;
  if (!local || !remote || !hasTelephoneEvent(local) || !hasTelephoneEvent(remote)) return false;
  // Both browsers have RTCDTMFSender.canInsertDTMF; Firefox sets it false while the sender has no track.
  return !!(sender?.track && sender.dtmf?.canInsertDTMF);
}

/** The answer decides the codecs in use: the peer's when we offered, else ours. */
export function rfc4733AtAudioClock(pc: RTCPeerConnection): boolean {
  const answer = pc.localDescription?.type === 'offer' ? pc.remoteDescription : pc.localDescription;
  return !!answer && telephoneEventAtAudioClock(answer.sdp);
}

/** Queues digits after those still waiting (insertDTMF replaces the queue); false when refused. */
export function queueDtmf(dtmf: RTCDTMFSender, digits: string, options: DtmfOptions): boolean {
  try {
    dtmf.insertDTMF(dtmf.toneBuffer + digits, options.duration ?? 100, options.gap ?? 70);
    return true;
  } catch {
    return false;
  }
}
