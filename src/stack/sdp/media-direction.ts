/**
 * Stream directions (RFC 4566 §6: a=sendrecv / sendonly / recvonly / inactive) and the two rules
 * that choose them: how an answerer answers an offered direction (RFC 3264 §6.1) and which
 * direction an offerer offers given hold on either side (RFC 3264 §8.4, RFC 6337 §5.3).
 *
 * A direction is always written from the point of view of the party whose SDP carries it.
 */

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export function directionFrom(send: boolean, receive: boolean): MediaDirection {
  if (send) return receive ? 'sendrecv' : 'sendonly';
  return receive ? 'recvonly' : 'inactive';
}

export function sends(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

export function receives(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'recvonly';
}

/** The same stream seen from the other end: my sendonly is your recvonly. */
export function reverseDirection(direction: MediaDirection): MediaDirection {
  return directionFrom(receives(direction), sends(direction));
}

/**
 * RFC 3264 §6.1: the answerer may send only what the offerer will receive and receive only what it
 * sends, so an offered sendonly is answered recvonly (or inactive), recvonly is answered sendonly
 * (or inactive), and inactive is answered inactive. `willing` is what the answerer itself wants.
 */
export function answerDirection(offered: MediaDirection, willing: MediaDirection): MediaDirection {
  return directionFrom(receives(offered) && sends(willing), sends(offered) && receives(willing));
}

/** What an offerer knows when it writes the direction of one stream in a new offer. */
export interface OfferDirectionState {
  /** It has something to send on this stream (a track, a microphone). */
  canSend: boolean;
  /** It wants to receive this stream at all (video switched off means no). */
  wantsToReceive: boolean;
  /** It has put the peer on hold. */
  localHold: boolean;
  /** The peer's last offer said it does not want to receive this stream (the peer holds us). */
  peerRefusesToReceive: boolean;
}

/**
 * RFC 6337 §5.3 (after RFC 3264 §8.4): a new offer keeps both holds in force. Holding the peer
 * turns off our receiving side (sendrecv becomes sendonly, recvonly becomes inactive); a hold the
 * peer put on us turns off our sending side until the peer itself offers to receive again, so a
 * resume while still held is recvonly and never silently undoes the peer's hold.
 */
export function offerDirection(state: OfferDirectionState): MediaDirection {
  return directionFrom(state.canSend && !state.peerRefusesToReceive, state.wantsToReceive && !state.localHold);
}
