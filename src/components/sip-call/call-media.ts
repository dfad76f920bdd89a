import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { QualityTracker, type CallQuality, type QualityFigures } from '../../media/call-quality';
import { readSnapshot } from '../../media/call-stats';
import { MicLevel } from '../../media/mic-level';
import type { WebRtcMediaSession } from '../../media/webrtc-media-session';
import type { MediaKind } from '../../stack/ua/media-session';
import { deviceChoice, type CallHandle } from '../shared/call-handle';
import { emit, emitError } from '../shared/events';
import type { Localize } from '../i18n/localize';
import type { callStrings } from './call-strings';

/**
 * sip-error texts: English, for the page's developers (README, Events); the user sees the
 * device menu fall back to the default. The UI's own words are in call-strings.ts.
 */
const NAMES = { audio: 'microphone', video: 'camera' } as const;
const SWITCH_FAILED = (kind: MediaKind) => `Could not switch the ${NAMES[kind]}`;
const DEVICE_LOST = (kind: MediaKind) => `The ${NAMES[kind]} was disconnected: using the default ${NAMES[kind]}`;
const CANNOT_SHARE = 'This call cannot share the screen here';

/** How often the statistics are read while the call has media. */
export const QUALITY_INTERVAL_MS = 2000;

interface Host extends ReactiveControllerHost, HTMLElement {
  call: CallHandle | undefined;
  quality: CallQuality | undefined;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** What this controller uses of a call's WebRtcMediaSession (a fake call's media has none of it). */
type WebRtc = Pick<
  WebRtcMediaSession,
  | 'switchDevice'
  | 'shareScreen'
  | 'sharingScreen'
  | 'localStream'
  | 'getStats'
  | 'on'
  | 'video'
  | 'localHold'
  | 'remoteHold'
  | 'isMuted'
>;

export const webRtcOf = (call: CallHandle | undefined): WebRtc | undefined =>
  call?.media && 'switchDevice' in call.media ? (call.media as unknown as WebRtc) : undefined;

/**
 * A `<sip-call>`'s media while the call is live: the line's quality read from getStats every
 * QUALITY_INTERVAL_MS (sip-call-quality, warnings that start and clear), the microphone level
 * meter (an AnalyserNode read once per animation frame, so never while the page is hidden),
 * device switches and lost devices, and screen sharing.
 */
export class CallMedia implements ReactiveController {
  readonly #host: Host;
  #media: WebRtc | undefined;
  #off: (() => void) | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #tracker = new QualityTracker();
  #level: MicLevel | undefined;
  #levelTrack: MediaStreamTrack | undefined;
  #frame: number | undefined;
  /** Sum of squared meter readings: the microphone's energy where the statistics have none (Firefox). */
  #energy = 0;
  /** The latest figures, for the indicator's label. */
  figures: QualityFigures | undefined;

  constructor(host: Host) {
    (this.#host = host).addController(this);
  }

  /** From the host's updated(): follows the call's media while the call is `live`. */
  follow(live: boolean): void {
    // An element out of the page samples nothing (an update may still run after its removal).
    const media = live && this.#host.isConnected ? webRtcOf(this.#host.call) : undefined;
    if (media !== this.#media) {
      this.#stop();
      if (media) this.#start(media);
    }
    if (media) this.#attachMeter(media.localStream.getAudioTracks()[0]);
  }

  hostDisconnected(): void {
    this.#stop();
  }

  /** The user chose another microphone or camera: the call switches to it, with no renegotiation. */
  switchDevice(kind: MediaKind, deviceId: string): void {
    const media = this.#media;
    if (!media) return;
    media.switchDevice(kind, deviceChoice(deviceId)).then(
      () => this.#host.requestUpdate(),
      (error: unknown) => emitError(this.#host, error, SWITCH_FAILED(kind)),
    );
  }

  /**
   * Shares the screen (getDisplayMedia): on a call sending video it replaces the camera; otherwise
   * a re-INVITE adds a sendonly video stream. The user ending it from the browser stops it too.
   */
  async shareScreen(): Promise<void> {
    const call = this.#host.call;
    const media = webRtcOf(call);
    if (!call || !media || !navigator.mediaDevices?.getDisplayMedia) throw new Error(CANNOT_SHARE);
    if (media.sharingScreen) return;
    const track = (await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false })).getVideoTracks()[0]!;
    // The user stopped it from the browser's own control (the handler property: see local-tracks.ts).
    track.onended = () => void this.stopSharing().catch((error: unknown) => emitError(this.#host, error));
    if (media.video) await media.shareScreen(track);
    else
      await call.reoffer!(
        () => void media.shareScreen(track),
        () => void media.shareScreen(undefined),
      );
    this.#host.requestUpdate();
  }

  /** Stops sharing: the camera comes back, or the video stream added for the screen goes inactive (re-INVITE). */
  async stopSharing(): Promise<void> {
    const call = this.#host.call;
    const media = webRtcOf(call);
    if (!call || !media?.sharingScreen || call.state === 'ended') return;
    if (media.video) await media.shareScreen(undefined);
    else await call.reoffer!(() => void media.shareScreen(undefined));
    this.#host.requestUpdate();
  }

  #start(media: WebRtc): void {
    this.#media = media;
    this.#tracker = new QualityTracker();
    this.#off = media.on('device-lost', (kind, _deviceId, error) => {
      emitError(this.#host, error ?? new Error(DEVICE_LOST(kind)), error ? DEVICE_LOST(kind) : undefined);
      this.#host.requestUpdate();
    });
    this.#timer = setInterval(() => void this.#sample(media), QUALITY_INTERVAL_MS);
    void this.#sample(media);
  }

  #stop(): void {
    this.#off?.();
    clearInterval(this.#timer);
    this.#off = this.#timer = this.#media = this.figures = undefined;
    this.#host.quality = undefined;
    this.#attachMeter(undefined);
  }

  async #sample(media: WebRtc): Promise<void> {
    let report: RTCStatsReport;
    try {
      report = await media.getStats();
    } catch {
      return;
    }
    if (media !== this.#media) return;
    const snapshot = readSnapshot(report);
    if (this.#level) this.#energy += this.#level.level() ** 2;
    snapshot.micEnergy ??= this.#level ? this.#energy : undefined;
    // Either hold stops the audio one way: no figures then, and none mixed across the pause.
    if (media.localHold || media.remoteHold) return this.#tracker.pause();
    const microphone = media.localStream.getAudioTracks()[0];
    const result = this.#tracker.next(snapshot, {
      expectAudio: true,
      micLive: microphone?.readyState === 'live' && !media.isMuted('audio'),
    });
    if (!result) return;
    const { figures, started, cleared } = result;
    const host = this.#host;
    this.figures = figures;
    host.quality = figures.quality;
    emit(host, 'sip-call-quality', { ...figures, warnings: [...this.#tracker.warnings] });
    for (const warning of started) emit(host, 'sip-quality-warning', { warning, figures });
    for (const warning of cleared) emit(host, 'sip-quality-warning-cleared', { warning, figures });
  }

  /** The meter follows the microphone track in use (another after a switch or a lost device). */
  #attachMeter(track: MediaStreamTrack | undefined): void {
    if (track === this.#levelTrack) return;
    this.#level?.close();
    this.#levelTrack = track;
    this.#level = track && typeof AudioContext === 'function' ? new MicLevel(track) : undefined;
    if (this.#level) {
      this.#frame ??= requestAnimationFrame(this.#draw);
    } else if (this.#frame !== undefined) {
      cancelAnimationFrame(this.#frame);
      this.#frame = undefined;
    }
  }

  #draw = (): void => {
    this.#frame = undefined;
    const level = this.#level;
    if (!level) return;
    const value = level.level();
    this.#energy += value * value;
    const meter = this.#host.renderRoot.querySelector<HTMLMeterElement>('meter[part~="mic-level"]');
    if (meter) meter.value = value;
    this.#frame = requestAnimationFrame(this.#draw);
  };
}

/**
 * The line quality (once figures exist) and the microphone level meter, which CallMedia moves every
 * frame, named in the call's language (the MOS in its locale's digits and decimal sign).
 */
export function mediaIndicators(figures: QualityFigures | undefined, t: Localize<typeof callStrings>) {
  return html`${
    figures
      ? html`<span part="quality" class=${figures.quality} role="img" aria-label=${t.text(`quality.${figures.quality}`, { mos: figures.mos.toLocaleString(t.locale) })}><i></i><i></i><i></i></span>`
      : nothing
  }
    <meter part="mic-level" min="0" max="1" low="0.02" optimum="0.3" aria-label=${t.text('micLevel')}></meter>`;
}
