/**
 * Rewrites the direction attribute of m= sections (RFC 4566 §6), through sdp-transform. The
 * direction is written at media level and removed at session level, so no reader can combine a
 * stale session-level value with the new one. Rejected (port 0) sections keep no direction: RFC
 * 3264 §6 makes their attributes meaningless.
 */
import * as sdpTransform from 'sdp-transform';
import type { MediaDirection } from './media-direction';

export function setMediaDirection(sdp: string, direction: MediaDirection, kind?: string): string {
  const session = sdpTransform.parse(sdp);
  const sessionDirection = session.direction;
  delete session.direction;
  for (const media of session.media) {
    if (media.port === 0) continue;
    if (kind === undefined || media.type === kind) media.direction = direction;
    else media.direction ??= sessionDirection;
  }
  return sdpTransform.write(session);
}
