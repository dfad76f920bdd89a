/**
 * What a call sends: the microphone and camera tracks (opened with the device the user chose), the
 * screen while it is shared, and their mute state. Kept apart from the RTCPeerConnection so that a
 * device switch, a lost device and screen sharing change tracks here while the session decides
 * what each sender carries (RTCRtpSender.replaceTrack: no renegotiation, W3C WebRTC §5.2).
 *
 * A lost device: a capture track ends by itself when its device is unplugged or revoked
 * (Media Capture and Streams §4.3.1, "ended" fires only for such endings, never for stop()). The
 * kind then falls back to the system default device, and the session reports it.
 */
import type { MediaChoice, MediaKind } from '../stack/ua/media-session';
import { mediaCapabilities } from './capabilities';
import { openLocalTracks, type GetUserMedia } from './local-media';
import { unsupported } from './session-errors';

export const KINDS: readonly MediaKind[] = ['audio', 'video'];

export class LocalTracks {
  /** Our microphone and camera (or screen) tracks, for a local preview. */
  readonly stream = new MediaStream();
  readonly #choices: Record<MediaKind, MediaChoice>;
  readonly #getUserMedia: GetUserMedia | undefined;
  readonly #lost: (kind: MediaKind) => void;
  #tracks: Partial<Record<MediaKind, MediaStreamTrack>> = {};
  #muted: Record<MediaKind, boolean> = { audio: false, video: false };
  #screen: MediaStreamTrack | undefined;
  #closed = false;

  /** `lost` is told when a device went away by itself (its track ended). */
  constructor(
    choices: Record<MediaKind, MediaChoice>,
    getUserMedia: GetUserMedia | undefined,
    lost: (kind: MediaKind) => void,
  ) {
    this.#choices = { ...choices };
    this.#getUserMedia = getUserMedia;
    this.#lost = lost;
  }

  /** The microphone or camera track, when open. */
  device(kind: MediaKind): MediaStreamTrack | undefined {
    return this.#tracks[kind];
  }

  /** The shared screen's track, while it is shared. */
  get screen(): MediaStreamTrack | undefined {
    return this.#screen;
  }

  /** The device a kind is opened with: `true` is the default one. */
  choice(kind: MediaKind): MediaChoice {
    return this.#choices[kind];
  }

  /**
   * Opens the microphone (unless audio is off); the camera is opened (`open`), left as it is
   * (`keep`), or released (`release`: video off puts its light out).
   */
  async open(camera: 'open' | 'keep' | 'release'): Promise<void> {
    if (camera === 'release') this.#release('video');
    const audio = this.#choices.audio;
    await this.#open({
      audio: audio !== false && !this.#tracks.audio ? audio : undefined,
      video: camera === 'open' && !this.#tracks.video ? this.#choices.video || true : undefined,
    });
  }

  /**
   * Uses another device for a kind from now on. An open track of that kind is replaced by one from
   * the new device, opened before the old one stops so a refused device leaves the call as it was.
   * Resolves true when a new track replaced an open one.
   */
  async switchDevice(kind: MediaKind, choice: MediaChoice): Promise<boolean> {
    const previous = this.#choices[kind];
    this.#choices[kind] = choice;
    const old = this.#tracks[kind];
    if (!old) return false;
    try {
      const opened = await openLocalTracks({ [kind]: choice }, this.#gum());
      this.#release(kind);
      this.#adopt(kind, opened[kind]);
      return true;
    } catch (error) {
      this.#choices[kind] = previous;
      throw error;
    }
  }

  /** After a lost device: the default device of that kind, in place of the one that ended. */
  async reopenDefault(kind: MediaKind): Promise<void> {
    this.#choices[kind] = true;
    this.#release(kind);
    this.#adopt(kind, (await openLocalTracks({ [kind]: true }, this.#gum()))[kind]);
  }

  /** Starts (a track) or ends (undefined) screen sharing; the screen is sent as our video. */
  setScreen(track: MediaStreamTrack | undefined): void {
    if (this.#screen === track) return;
    if (this.#screen) {
      this.stream.removeTrack(this.#screen);
      this.#screen.stop();
    }
    this.#screen = track;
    if (track) this.stream.addTrack(track);
  }

  setMuted(kind: MediaKind, muted: boolean): void {
    this.#muted[kind] = muted;
    const track = this.#tracks[kind];
    if (track) track.enabled = !muted;
  }

  isMuted(kind: MediaKind): boolean {
    return this.#muted[kind];
  }

  /** Every track stopped (camera and microphone lights go out); nothing opened after this is kept. */
  stop(): void {
    this.#closed = true;
    this.setScreen(undefined);
    for (const kind of KINDS) this.#release(kind);
  }

  #gum(): GetUserMedia {
    // A page's own getUserMedia (a canvas stream) needs no device access.
    if (this.#getUserMedia) return this.#getUserMedia;
    if (!mediaCapabilities().getUserMedia) throw unsupported();
    return (constraints) => navigator.mediaDevices.getUserMedia(constraints);
  }

  async #open(request: { audio?: MediaChoice; video?: MediaChoice }): Promise<void> {
    const opened = await openLocalTracks(request, this.#gum());
    for (const kind of KINDS) this.#adopt(kind, opened[kind]);
  }

  #adopt(kind: MediaKind, track: MediaStreamTrack | undefined): void {
    if (!track) return;
    if (this.#closed) {
      track.stop();
      return;
    }
    track.enabled = !this.#muted[kind];
    this.#tracks[kind] = track;
    this.stream.addTrack(track);
    // The handler property, not addEventListener: Firefox 153 does not call listeners for an
    // `ended` event dispatched by the page, and tests can only simulate an unplugged device so.
    track.onended = () => this.#tracks[kind] === track && this.#lost(kind);
  }

  /** Stops a device track (its light goes out), not just removes it from the stream. */
  #release(kind: MediaKind): void {
    const track = this.#tracks[kind];
    if (!track) return;
    track.stop();
    this.stream.removeTrack(track);
    delete this.#tracks[kind];
  }
}
