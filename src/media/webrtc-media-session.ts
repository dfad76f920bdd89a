/**
 * The WebRTC MediaSession: one RTCPeerConnection per call, driven only through the seam in
 * src/stack/ua/media-session.ts, with SDP as strings read through src/stack/sdp.
 *
 * - Streams are transceivers, one per kind, reused by every re-offer (transceivers.ts).
 * - Hold (RFC 3264 §8.4, RFC 6337 §5.3): direction sendonly (inactive when the peer holds us too)
 *   and the sender's track removed, so the held party hears nothing ("it will also locally mute").
 * - Mute: `track.enabled = false` sends silence and black frames, no renegotiation.
 * - Video off: the video stream stays, inactive, and the camera is released.
 * - DTMF: RTCRtpSender.dtmf (RFC 4733) when telephone-event was negotiated (rfc4733-sender.ts).
 * - Devices: another microphone or camera, or a lost one's default, goes on the sender by
 *   replaceTrack, no renegotiation (local-tracks.ts).
 * - Screen sharing: the screen is our video; on an audio call the next offer adds a sendonly video
 *   stream, on a video call it replaces the camera on the sender until sharing stops.
 * - Early media: a provisional answer is applied as 'pranswer' where the browser supports it
 *   (Chromium); Firefox refuses 'pranswer' (NotSupportedError), so there it is applied as 'answer'
 *   and the final answer, if different, is applied after a local re-offer that is never sent.
 *   A final answer from another fork (other ICE credentials and DTLS fingerprint) is applied on a
 *   new RTCPeerConnection that presents the original offer's identity: the same certificate
 *   (created once per session) and the same ICE credentials (answer-application.ts). Both steps
 *   are tested in both browsers.
 */
import { Emitter, type Listener } from '../stack/core/emitter';
import { OfferAnswerState } from '../stack/sdp/offer-answer-state';
import { transportIdentity, videoState } from '../stack/sdp/sdp-facts';
import {
  DTMF_DIGITS,
  MediaSessionError,
  type AnswerOptions,
  type DtmfOptions,
  type MediaChoice,
  type MediaKind,
  type MediaSession,
  type MediaSessionEvents,
  type MediaSessionOptions,
  type OfferOptions,
} from '../stack/ua/media-session';
import { rebuildOfferOn, replaceAnswer, setRemoteAnswer, type PranswerSupport } from './answer-application';
import { waitForIceGathering } from './ice-gathering';
import { DEFAULT_ICE_GATHERING_TIMEOUT_MS, hasTurnServer } from './ice-gathering-policy';
import { mediaCapabilities } from './capabilities';
import type { GetUserMedia } from './local-media';
import { KINDS, LocalTracks } from './local-tracks';
import { queueDtmf, rfc4733AtAudioClock, rfc4733Possible } from './rfc4733-sender';
import { isStopped, sdpError, stateError, unsupported } from './session-errors';
import { StreamIntent } from './stream-intent';
import { applyPlan, syncRemoteStream, transceiverOf } from './transceivers';

export interface WebRtcMediaSessionOptions extends MediaSessionOptions {
  /** Replaces navigator.mediaDevices.getUserMedia (a canvas stream, a test double). */
  getUserMedia?: GetUserMedia;
  /** More RTCConfiguration (iceTransportPolicy, bundlePolicy...); ICE servers and certificates are set here. */
  rtcConfiguration?: Omit<RTCConfiguration, 'iceServers' | 'certificates'>;
}

export class WebRtcMediaSession implements MediaSession {
  /** The peer's audio and video tracks, for an <audio> or <video> element. */
  readonly remoteStream = new MediaStream();

  readonly #options: WebRtcMediaSessionOptions;
  readonly #events = new Emitter<MediaSessionEvents>((error) => reportError(error));
  readonly #state = new OfferAnswerState();
  readonly #closing = new AbortController();
  readonly #dtmfSenders = new WeakSet<RTCRtpSender>();
  #pc: RTCPeerConnection | undefined;
  /** Aborted when the current RTCPeerConnection is replaced or closed: removes its listeners. */
  #detach: AbortController | undefined;
  #certificate: Promise<RTCCertificate> | undefined;
  readonly #local: LocalTracks;
  readonly #intent: StreamIntent;
  /** Our offer as sent, while it waits for its final answer: forks answer this one. */
  #offer: string | undefined;
  /** The provisional answer applied, and who sent it. */
  #early: { sdp: string; identity: string } | undefined;
  readonly #pranswer: PranswerSupport = {};
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: WebRtcMediaSessionOptions) {
    this.#options = options;
    this.#local = new LocalTracks(
      { audio: options.audio, video: options.video },
      options.getUserMedia,
      (kind) => void this.#deviceLost(kind),
    );
    this.#intent = new StreamIntent(!!options.video, this.#local);
  }

  /** Our microphone and camera (or screen) tracks, for a local preview. */
  get localStream(): MediaStream {
    return this.#local.stream;
  }

  /** Whether our screen is being shared (it is then our video). */
  get sharingScreen(): boolean {
    return !!this.#local.screen;
  }

  get localHold(): boolean {
    return this.#intent.localHold;
  }

  get remoteHold(): boolean {
    return this.#intent.remoteHold;
  }

  get video(): boolean {
    return this.#intent.video;
  }

  get closed(): boolean {
    return this.#closing.signal.aborted;
  }

  /** The current RTCPeerConnection (it changes when an answer from another fork arrives). */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.#pc;
  }

  createOffer(options: OfferOptions = {}): Promise<string> {
    return this.#serialize(async () => {
      const conflict = this.#state.localOfferConflict();
      if (conflict) throw stateError(`cannot offer now (${conflict})`);
      const pc = this.#pc ?? (await this.#newPeerConnection());
      await this.#openTracks(true);
      await this.#prepare(pc, 'offer');
      this.#state.transition('local-offer');
      try {
        await pc.setLocalDescription(await pc.createOffer({ iceRestart: !!options.iceRestart }));
        const sdp = await this.#gather(pc);
        this.#offer = sdp;
        this.#early = undefined;
        return sdp;
      } catch (error) {
        if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
        this.#state.transition('rollback');
        throw error;
      }
    });
  }

  applyOffer(sdp: string): Promise<string> {
    return this.#serialize(async () => {
      const conflict = this.#state.remoteOfferConflict();
      if (conflict) throw stateError(`cannot take an offer now (${conflict})`);
      const pc = this.#pc ?? (await this.#newPeerConnection());
      this.#state.transition('remote-offer');
      try {
        await pc.setRemoteDescription({ type: 'offer', sdp }).catch((error: unknown) => {
          throw sdpError(error, 'offer');
        });
        const offersVideo = videoState(sdp) === 'active' || videoState(sdp) === 'inactive';
        await this.#openTracks(offersVideo);
        await this.#prepare(pc, 'answer');
        await pc.setLocalDescription(await pc.createAnswer());
        const answer = await this.#gather(pc);
        this.#state.transition('local-answer');
        if (this.#intent.notePeerOffer(sdp)) this.#events.emit('remote-hold', this.#intent.remoteHold);
        this.#intent.agree();
        this.#syncRemoteStream();
        return answer;
      } catch (error) {
        // RFC 6337 §3.4: a refused offer leaves the session as it was; the user agent answers 488.
        if (pc.signalingState === 'have-remote-offer') await pc.setRemoteDescription({ type: 'rollback' });
        if (this.#state.phase === 'have-remote-offer') this.#state.transition('rollback');
        throw error;
      }
    });
  }

  applyAnswer(sdp: string, options: AnswerOptions = {}): Promise<void> {
    return this.#serialize(async () => {
      const provisional = !!options.provisional;
      const event = provisional ? 'remote-pranswer' : 'remote-answer';
      const pc = this.#pc;
      if (!pc || !this.#state.can(event)) {
        throw stateError(`no offer is waiting for an answer (${this.#state.phase})`);
      }
      const identity = transportIdentity(sdp);
      if (this.#early && this.#early.identity !== identity) {
        await this.#answerFromAnotherFork(sdp, provisional);
      } else if (pc.signalingState === 'stable') {
        // Firefox: the provisional answer was applied as the answer. Same SDP: nothing to do.
        if (sdp !== this.#early?.sdp) await replaceAnswer(pc, sdp, this.#pranswer);
      } else {
        await setRemoteAnswer(pc, sdp, provisional, this.#pranswer);
      }
      this.#state.transition(event);
      if (provisional) {
        this.#early = { sdp, identity };
      } else {
        this.#early = undefined;
        this.#offer = undefined;
        this.#intent.agree();
      }
      this.#syncRemoteStream();
    });
  }

  rollback(): Promise<void> {
    return this.#serialize(async () => {
      if (this.#state.phase === 'stable') return;
      const pc = this.#pc;
      if (!pc || this.#state.phase !== 'have-local-offer') {
        throw stateError(`nothing to roll back in ${this.#state.phase}`);
      }
      await pc.setLocalDescription({ type: 'rollback' });
      this.#state.transition('rollback');
      this.#offer = undefined;
      this.#intent.restore();
      // A transceiver added for this offer was never negotiated: stopped, it leaves no m= line behind.
      for (const transceiver of pc.getTransceivers()) {
        if (transceiver.mid === null && !isStopped(transceiver)) transceiver.stop();
      }
      await this.#openTracks(false);
      for (const kind of KINDS) await this.#resend(kind);
    });
  }

  hold(): void {
    this.#intent.localHold = true;
  }

  unhold(): void {
    this.#intent.localHold = false;
  }

  setMuted(kind: MediaKind, muted: boolean): void {
    this.#local.setMuted(kind, muted);
  }

  isMuted(kind: MediaKind): boolean {
    return this.#local.isMuted(kind);
  }

  /**
   * Uses another microphone or camera from now on. During a call the new device's track goes on
   * the sender by replaceTrack: no renegotiation (W3C WebRTC §5.2). Refused (`media-access`) when
   * the device cannot be opened; the old one then stays.
   */
  switchDevice(kind: MediaKind, choice: MediaChoice): Promise<void> {
    return this.#serialize(async () => {
      if (await this.#local.switchDevice(kind, choice)) await this.#resend(kind);
    });
  }

  /**
   * Sends `track` (a getDisplayMedia screen) as our video, or stops sharing (undefined): on a call
   * that sends video it replaces the camera at once; otherwise the next offer (the call's re-INVITE)
   * adds a sendonly video stream. The camera comes back on stop.
   */
  shareScreen(track: MediaStreamTrack | undefined): Promise<void> {
    return this.#serialize(async () => {
      this.#local.setScreen(track);
      await this.#resend('video');
    });
  }

  setVideo(enabled: boolean): void {
    this.#intent.setVideo(enabled);
  }

  canSendRfc4733(): boolean {
    const pc = this.#pc;
    if (!pc || this.closed || this.#intent.localHold || this.#intent.peerRefuses.audio) return false;
    return rfc4733Possible(pc, transceiverOf(pc, 'audio')?.sender);
  }

  prefersRfc4733(): boolean {
    return !!this.#pc && this.canSendRfc4733() && rfc4733AtAudioClock(this.#pc);
  }

  sendDtmf(digits: string, options: DtmfOptions = {}): boolean {
    if (!DTMF_DIGITS.test(digits)) throw new Error(`sendDtmf: "${digits}" is not a DTMF digit string`);
    const dtmf = this.canSendRfc4733() && transceiverOf(this.#pc!, 'audio')?.sender.dtmf;
    return !!dtmf && queueDtmf(dtmf, digits, options);
  }

  getStats(): Promise<RTCStatsReport> {
    if (!this.#pc) return Promise.reject(stateError('no media has been negotiated yet'));
    return this.#pc.getStats();
  }

  close(): void {
    if (this.closed) return;
    this.#closing.abort();
    this.#local.stop();
    for (const track of this.remoteStream.getTracks()) track.stop();
    this.#detach?.abort();
    this.#pc?.close();
    this.#events.emit('connection-state', 'closed');
    this.#events.clear();
  }

  on<Name extends keyof MediaSessionEvents>(event: Name, listener: Listener<MediaSessionEvents[Name]>): () => void {
    return this.#events.on(event, listener);
  }

  /** Runs offer/answer operations one at a time, in call order, on an open session. */
  #serialize<T>(operation: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.#assertOpen();
      return operation();
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #assertOpen(): void {
    if (this.closed) throw new MediaSessionError('closed', 'the media session is closed');
  }

  async #newPeerConnection(): Promise<RTCPeerConnection> {
    if (!mediaCapabilities().peerConnection) throw unsupported();
    // One certificate for the session's life: a new transport for another fork keeps the DTLS
    // fingerprint the forks were offered.
    this.#certificate ??= RTCPeerConnection.generateCertificate({
      name: 'ECDSA',
      namedCurve: 'P-256',
    } as EcKeyGenParams);
    const certificate = await this.#certificate;
    this.#assertOpen();
    const pc = new RTCPeerConnection({
      ...this.#options.rtcConfiguration,
      iceServers: this.#options.iceServers.map((server) => ({ ...server })),
      certificates: [certificate],
    });
    this.#detach?.abort();
    this.#pc = pc;
    const listen = { signal: (this.#detach = new AbortController()).signal };
    pc.addEventListener('track', () => this.#syncRemoteStream(), listen);
    pc.addEventListener(
      'connectionstatechange',
      () => this.#events.emit('connection-state', pc.connectionState),
      listen,
    );
    pc.addEventListener(
      'iceconnectionstatechange',
      () => pc.iceConnectionState === 'failed' && this.#events.emit('ice-failed'),
      listen,
    );
    return pc;
  }

  /** Opens the microphone (unless audio is off), and the camera when we want video and the exchange has it. */
  async #openTracks(video: boolean): Promise<void> {
    await this.#local.open(this.#intent.camera(video));
    this.#assertOpen();
  }

  /** Puts what a kind should send now on its sender (a device switch, a lost device, the screen). */
  async #resend(kind: MediaKind): Promise<void> {
    const sender = this.#pc && transceiverOf(this.#pc, kind)?.sender;
    const track = this.#intent.sendTrack(kind);
    if (sender && sender.track !== track) await sender.replaceTrack(track);
  }

  /** A device went away by itself: its kind falls back to the default device, and the user agent is told. */
  async #deviceLost(kind: MediaKind): Promise<void> {
    const was = this.#local.choice(kind);
    let error: MediaSessionError | undefined;
    await this.#serialize(async () => {
      await this.#local.reopenDefault(kind);
      await this.#resend(kind);
    }).catch(
      (failure: unknown) =>
        (error =
          failure instanceof MediaSessionError ? failure : new MediaSessionError('media-access', String(failure))),
    );
    if (!this.closed) this.#events.emit('device-lost', kind, typeof was === 'object' ? was.deviceId : '', error);
  }

  async #prepare(pc: RTCPeerConnection, role: 'offer' | 'answer'): Promise<void> {
    for (const sender of await applyPlan(pc, this.#intent.plan(role), this.localStream)) this.#listenToDtmf(sender);
  }

  /** Reports the tones an audio sender plays (a video sender has no `dtmf`). */
  #listenToDtmf(sender: RTCRtpSender): void {
    if (!sender.dtmf || this.#dtmfSenders.has(sender)) return;
    this.#dtmfSenders.add(sender);
    sender.dtmf.addEventListener('tonechange', (event) => this.#events.emit('dtmf-tone', event.tone));
  }

  async #gather(pc: RTCPeerConnection): Promise<string> {
    const { sdp, report } = await waitForIceGathering(pc, {
      timeoutMs: this.#options.iceGatheringTimeoutMs ?? DEFAULT_ICE_GATHERING_TIMEOUT_MS,
      turnConfigured: hasTurnServer(this.#options.iceServers),
      serversConfigured: this.#options.iceServers.length > 0,
      signal: this.#closing.signal,
    });
    this.#events.emit('ice-gathering', report);
    return sdp;
  }

  /** An answer from another fork (answer-application.ts): a new RTCPeerConnection for our offer. */
  async #answerFromAnotherFork(sdp: string, provisional: boolean): Promise<void> {
    const offer = this.#offer;
    const old = this.#pc;
    if (!offer || !old) throw stateError('no offer to answer from another fork');
    const pc = await this.#newPeerConnection();
    for (const sender of await rebuildOfferOn(pc, old, offer, this.localStream)) this.#listenToDtmf(sender);
    for (const track of this.remoteStream.getTracks()) this.remoteStream.removeTrack(track);
    await setRemoteAnswer(pc, sdp, provisional, this.#pranswer);
  }

  #syncRemoteStream(): void {
    if (this.#pc)
      for (const kind of syncRemoteStream(this.#pc, this.remoteStream)) this.#events.emit('remote-track', kind);
  }
}
