/**
 * Applying the peer's answer to an RTCPeerConnection, with the two cases browsers differ on:
 * provisional answers (early media) and answers from another fork of our INVITE.
 */
import { copyIceCredentials } from '../stack/sdp/copy-ice-credentials';
import { readMediaLines } from '../stack/sdp/media-lines';
import type { MediaKind } from '../stack/ua/media-session';
import { sdpError, stateError } from './session-errors';

/** Whether the browser takes 'pranswer': learnt on first use, kept per session. */
export interface PranswerSupport {
  pranswer?: boolean;
}

/**
 * A provisional answer goes in as 'pranswer' where the browser supports it (Chromium); Firefox
 * refuses it (NotSupportedError), so there it is applied as 'answer'.
 */
export async function setRemoteAnswer(
  pc: RTCPeerConnection,
  sdp: string,
  provisional: boolean,
  support: PranswerSupport,
): Promise<void> {
  if (provisional && support.pranswer !== false) {
    try {
      await pc.setRemoteDescription({ type: 'pranswer', sdp });
      support.pranswer = true;
      return;
    } catch (error) {
      // Firefox: "pranswer not yet implemented". Anything else is a bad SDP.
      if ((error as Error).name !== 'NotSupportedError') throw sdpError(error, 'answer');
      support.pranswer = false;
    }
  }
  await pc.setRemoteDescription({ type: 'answer', sdp }).catch((error: unknown) => {
    throw sdpError(error, 'answer');
  });
}

/** Firefox, after a provisional answer applied as final: the same far end sent a changed SDP. */
export async function replaceAnswer(pc: RTCPeerConnection, sdp: string, support: PranswerSupport): Promise<void> {
  await pc.setLocalDescription(await pc.createOffer());
  await setRemoteAnswer(pc, sdp, false, support);
}

/**
 * RFC 3261 §13.2.2.4: an answer from another far end than the provisional one answers our original
 * `offer`, so `fresh` (a new RTCPeerConnection with the offer's DTLS certificate) takes the old
 * one's streams in the same order and presents the offer's ICE credentials. The far end learns our
 * new candidates from our connectivity checks (peer-reflexive). Returns the new audio/video senders.
 */
export async function rebuildOfferOn(
  fresh: RTCPeerConnection,
  old: RTCPeerConnection,
  offer: string,
  stream: MediaStream,
): Promise<RTCRtpSender[]> {
  const streams = old.getTransceivers().map((transceiver) => ({
    kind: transceiver.receiver.track.kind as MediaKind,
    direction: transceiver.direction,
    track: transceiver.sender.track,
  }));
  old.close();
  const senders = streams.map(
    (s) => fresh.addTransceiver(s.track ?? s.kind, { direction: s.direction, streams: [stream] }).sender,
  );
  const local = copyIceCredentials((await fresh.createOffer()).sdp ?? '', offer);
  const mids = (text: string): string =>
    readMediaLines(text)
      .map((line) => `${line.kind}:${line.mid}`)
      .join(' ');
  if (mids(local) !== mids(offer)) {
    throw stateError(`cannot rebuild the offered streams for another fork (${mids(local)} vs ${mids(offer)})`);
  }
  await fresh.setLocalDescription({ type: 'offer', sdp: local });
  return senders;
}
