/**
 * Opens the microphone and camera for a media session, with the device the user chose. A chosen
 * device is required exactly: quietly falling back to another camera or microphone would send what
 * the user did not pick.
 */
import { MediaSessionError, type MediaChoice } from '../stack/ua/media-session';

export type GetUserMedia = (constraints: MediaStreamConstraints) => Promise<MediaStream>;

const constraint = (choice: MediaChoice | undefined): boolean | MediaTrackConstraints =>
  typeof choice === 'object' ? { deviceId: { exact: choice.deviceId } } : !!choice;

/** Opens one track per requested kind, in one getUserMedia call (one permission prompt). */
export async function openLocalTracks(
  request: { audio?: MediaChoice; video?: MediaChoice },
  getUserMedia: GetUserMedia,
): Promise<{ audio?: MediaStreamTrack; video?: MediaStreamTrack }> {
  const audio = constraint(request.audio);
  const video = constraint(request.video);
  if (!audio && !video) return {};
  try {
    const stream = await getUserMedia({ audio, video });
    return { audio: stream.getAudioTracks()[0], video: stream.getVideoTracks()[0] };
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : error;
    throw new MediaSessionError('media-access', `could not open the microphone or camera (${reason})`, {
      cause: error,
    });
  }
}
