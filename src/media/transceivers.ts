/**
 * The session's streams as RTCRtpTransceivers: one per kind, reused by every re-offer, so an offer
 * never grows a second m=audio or a port 0 (RFC 3264 §8: the m= lines of a session only ever stay
 * or grow). What each carries and in which direction is decided by the session; this applies it.
 */
import { receives, type MediaDirection } from '../stack/sdp/media-direction';
import type { MediaKind } from '../stack/ua/media-session';
import { KINDS } from './local-tracks';
import { isStopped } from './session-errors';

/** The stream of a kind this session plays and sends: the first one of that kind still alive. */
export function transceiverOf(pc: RTCPeerConnection, kind: MediaKind): RTCRtpTransceiver | undefined {
  return pc
    .getTransceivers()
    .find((transceiver) => transceiver.receiver.track.kind === kind && !isStopped(transceiver));
}

/** What one kind's stream should be before createOffer or createAnswer. */
export interface StreamPlan {
  direction: MediaDirection;
  track: MediaStreamTrack | null;
  /** Add the stream when there is none yet (offers only). */
  add: boolean;
}

/**
 * Sets each kind's direction and track, adding a stream where the plan says so, and answers any
 * further stream of a kind (a peer offered two m=audio) inactive. Returns the senders in use.
 */
export async function applyPlan(
  pc: RTCPeerConnection,
  plan: (kind: MediaKind) => StreamPlan,
  stream: MediaStream,
): Promise<RTCRtpSender[]> {
  const senders: RTCRtpSender[] = [];
  for (const kind of KINDS) {
    const { direction, track, add } = plan(kind);
    let transceiver = transceiverOf(pc, kind);
    if (transceiver) {
      transceiver.direction = direction;
      if (transceiver.sender.track !== track) await transceiver.sender.replaceTrack(track);
    } else if (add) {
      transceiver = pc.addTransceiver(track ?? kind, { direction, streams: [stream] });
    }
    if (transceiver) senders.push(transceiver.sender);
  }
  for (const transceiver of pc.getTransceivers()) {
    const primary = transceiverOf(pc, transceiver.receiver.track.kind as MediaKind);
    if (transceiver !== primary && !isStopped(transceiver)) transceiver.direction = 'inactive';
  }
  return senders;
}

/**
 * Puts in `remote` the receiving track of each kind once its stream receives (not only on the
 * 'track' event, which a re-offer that turns receiving back on does not fire). Returns the kinds added.
 */
export function syncRemoteStream(pc: RTCPeerConnection, remote: MediaStream): MediaKind[] {
  const added: MediaKind[] = [];
  for (const kind of KINDS) {
    const transceiver = transceiverOf(pc, kind);
    const track = transceiver?.receiver.track;
    if (!track || !receives(transceiver.currentDirection as MediaDirection) || remote.getTrackById(track.id)) continue;
    for (const stale of remote.getTracks()) if (stale.kind === kind) remote.removeTrack(stale);
    remote.addTrack(track);
    added.push(kind);
  }
  return added;
}
