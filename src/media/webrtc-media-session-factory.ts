/**
 * The MediaSessionFactory the elements give the user agent: a WebRtcMediaSession per call, with
 * what only the page knows (a getUserMedia replacement, more RTCConfiguration) added to what the
 * user agent asks for.
 */
import type { MediaSessionFactory } from '../stack/ua/media-session';
import { WebRtcMediaSession, type WebRtcMediaSessionOptions } from './webrtc-media-session';

export function webRtcMediaSessionFactory(
  page: Pick<WebRtcMediaSessionOptions, 'getUserMedia' | 'rtcConfiguration'> = {},
): MediaSessionFactory & ((options: Parameters<MediaSessionFactory>[0]) => WebRtcMediaSession) {
  return (options) => new WebRtcMediaSession({ ...options, ...page });
}
