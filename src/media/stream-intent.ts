/**
 * What the session wants of each stream, from which each offer and answer is written: our hold,
 * the peer's hold, video on or off, the screen, and what was last agreed (what a rollback returns
 * to). Offers follow RFC 6337 §5.3 (both holds in force; video off is inactive; a shared screen on
 * a call without our video is sendonly). For answers the browser intersects our direction with the
 * offer's (RFC 3264 §6.1); with our video off we still take the peer's video.
 */
import { directionFrom, offerDirection } from '../stack/sdp/media-direction';
import { isHoldOffer, peerRefusesToReceive } from '../stack/sdp/sdp-facts';
import type { MediaKind } from '../stack/ua/media-session';
import type { LocalTracks } from './local-tracks';
import type { StreamPlan } from './transceivers';

export class StreamIntent {
  /** We hold the peer (RFC 3264 §8.4: sendonly, and our sender carries nothing). */
  localHold = false;
  /** The peer holds us: its last offer refused all our media. */
  remoteHold = false;
  /** We want to send and receive video (the camera). */
  video: boolean;
  /** The peer's last offer said it does not want to receive this kind. */
  peerRefuses: Record<MediaKind, boolean> = { audio: false, video: false };
  #agreed!: { localHold: boolean; video: boolean };
  readonly #local: LocalTracks;

  constructor(video: boolean, local: LocalTracks) {
    this.video = video;
    this.#local = local;
    this.agree();
  }

  /** The peer agreed to the current intent (an offer or answer completed). */
  agree(): void {
    this.#agreed = { localHold: this.localHold, video: this.video };
  }

  /** Our offer was refused: back to what was agreed. */
  restore(): void {
    ({ localHold: this.localHold, video: this.video } = this.#agreed);
  }

  setVideo(enabled: boolean): void {
    this.video = enabled;
    // Asking for video again is a new request to the peer, whatever it said before.
    if (enabled) this.peerRefuses.video = false;
  }

  /** Reads the peer's offer; true when it put us on hold or took us off it. */
  notePeerOffer(offer: string): boolean {
    this.peerRefuses = { audio: peerRefusesToReceive(offer, 'audio'), video: peerRefusesToReceive(offer, 'video') };
    const held = isHoldOffer(offer);
    if (held === this.remoteHold) return false;
    this.remoteHold = held;
    return true;
  }

  /** What to do with the camera before an offer or answer (`video`: the exchange has video). */
  camera(video: boolean): 'open' | 'keep' | 'release' {
    return !this.video ? 'release' : video ? 'open' : 'keep';
  }

  /** What the sender of a kind carries: nothing while we hold the peer (RFC 3264 §8.4). */
  sendTrack(kind: MediaKind): MediaStreamTrack | null {
    return this.localHold ? null : (this.#source(kind) ?? null);
  }

  /** Each kind's stream before createOffer or createAnswer. */
  plan(role: 'offer' | 'answer'): (kind: MediaKind) => StreamPlan {
    return (kind) => {
      const canSend = this.#source(kind) !== undefined;
      return {
        direction:
          role === 'offer'
            ? offerDirection({
                canSend,
                wantsToReceive: kind === 'audio' || this.video,
                localHold: this.localHold,
                peerRefusesToReceive: this.peerRefuses[kind],
              })
            : directionFrom(canSend, !this.localHold),
        track: this.sendTrack(kind),
        // An offer carries audio always, video while we want it or share the screen.
        add: role === 'offer' && (kind === 'audio' || this.video || !!this.#local.screen),
      };
    };
  }

  /** Our video is the screen while it is shared, else the camera while video is on. */
  #source(kind: MediaKind): MediaStreamTrack | undefined {
    if (kind === 'audio') return this.#local.device('audio');
    return this.#local.screen ?? (this.video ? this.#local.device('video') : undefined);
  }
}
