/** The MediaSessionErrors the WebRTC session throws, and a transceiver fact both it and its helpers need. */
import { MediaSessionError } from '../stack/ua/media-session';
import { mediaCapabilities } from './capabilities';

/** The browser refused an SDP: `the ${what} was refused: ${reason}`. */
export function sdpError(error: unknown, what: string): MediaSessionError {
  return new MediaSessionError('sdp', `the ${what} was refused: ${error instanceof Error ? error.message : error}`, {
    cause: error,
  });
}

/** This browser or page cannot make calls: the reason capabilities.ts gives, instead of a ReferenceError. */
export const unsupported = (): MediaSessionError => {
  // Set whenever RTCPeerConnection or getUserMedia is missing, the only callers' cases.
  const reason = mediaCapabilities().callsUnavailable!;
  return new MediaSessionError('unsupported', reason.message, { cause: reason });
};

/** An operation the session's offer/answer state does not allow now. */
export const stateError = (message: string): MediaSessionError => new MediaSessionError('state', message);

export function isStopped(transceiver: RTCRtpTransceiver): boolean {
  return transceiver.currentDirection === 'stopped' || transceiver.direction === 'stopped';
}
