/**
 * The WebRTC MediaSession: one RTCPeerConnection per call, driven only through the seam in
 * src/stack/ua/media-session.ts, with SDP as strings read through src/stack/sdp.
 *
 * - Streams are transceivers, one per kind, reused by every re-offer: hold, resume, video on and off
 *   change a transceiver's direction and track, never add or stop one, so an offer never grows a
 *   second m=audio or a port 0 (RFC 3264 §8: the m= lines of a session only ever stay or grow).
 * - Hold (RFC 3264 §8.4, RFC 6337 §5.3): direction sendonly (inactive when the peer holds us too)
 *   and the sender's track removed, so the held party hears nothing ("it will also locally mute").
 * - Mute: `track.enabled = false` sends silence and black frames, no renegotiation.
 * - Video off: the video stream stays, inactive, and the camera is released.
 * - DTMF: RTCRtpSender.dtmf (RFC 4733) when telephone-event was negotiated.
 * - Early media: a provisional answer is applied as 'pranswer' where the browser supports it
 *   (Chromium); Firefox refuses 'pranswer' (NotSupportedError), so there it is applied as 'answer'
 *   and the final answer, if different, is applied after a local re-offer that is never sent.
 *   A final answer from another fork (other ICE credentials and DTLS fingerprint) is applied on a
 *   new RTCPeerConnection that presents the original offer's identity: the same certificate
 *   (created once per session) and the same ICE credentials. Both steps are tested in both browsers.
 */
import { Emitter, type Listener } from '../stack/core/emitter';
import { copyIceCredentials } from '../stack/sdp/copy-ice-credentials';
import { directionFrom, offerDirection, receives, type MediaDirection } from '../stack/sdp/media-direction';
import { readMediaLines } from '../stack/sdp/media-lines';
import { OfferAnswerState } from '../stack/sdp/offer-answer-state';
import { hasTelephoneEvent, isHoldOffer, peerRefusesToReceive, telephoneEventAtAudioClock, transportIdentity, videoState } from '../stack/sdp/sdp-facts';
import {
  DTMF_DIGITS,
  MediaSessionError,
  type AnswerOptions,
  type DtmfOptions,
  type MediaKind,
  type MediaSession,
  type MediaSessionEvents,
  type MediaSessionOptions,
  type OfferOptions,
} from '../stack/ua/media-session';
import { waitForIceGathering } from './ice-gathering';
import { DEFAULT_ICE_GATHERING_TIMEOUT_MS, hasTurnServer } from './ice-gathering-policy';
import { mediaCapabilities } from './capabilities';
import { openLocalTracks, type GetUserMedia } from './local-media';

export interface WebRtcMediaSessionOptions extends MediaSessionOptions {
  /** Replaces navigator.mediaDevices.getUserMedia (a canvas stream, a test double). */
  getUserMedia?: GetUserMedia;
  /** More RTCConfiguration (iceTransportPolicy, bundlePolicy...); ICE servers and certificates are set here. */
  rtcConfiguration?: Omit<RTCConfiguration, 'iceServers' | 'certificates'>;
}

const KINDS: readonly MediaKind[] = ['audio', 'video'];

/** The browser refused an SDP: `the ${what} was refused: ${reason}`. */
function sdpError(error: unknown, what: string): MediaSessionError {
  return new MediaSessionError('sdp', `the ${what} was refused: ${error instanceof Error ? error.message : error}`, { cause: error });
}

/** This browser or page cannot make calls: the reason capabilities.ts gives, instead of a ReferenceError. */
const unsupported = (): MediaSessionError => {
  // Set whenever RTCPeerConnection or getUserMedia is missing, the only callers' cases.
  const reason = mediaCapabilities().callsUnavailable!;
  return new MediaSessionError('unsupported', reason.message, { cause: reason });
};

/** An operation the session's offer/answer state does not allow now. */
const stateError = (message: string): MediaSessionError => new MediaSessionError('state', message);

function isStopped(transceiver: RTCRtpTransceiver): boolean {
  return transceiver.currentDirection === 'stopped' || transceiver.direction === 'stopped';
}

export class WebRtcMediaSession implements MediaSession {
  /** Our microphone and camera tracks, for a local preview. */
  readonly localStream = new MediaStream();
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
  #tracks: { audio?: MediaStreamTrack; video?: MediaStreamTrack } = {};
  #localHold = false;
  #remoteHold = false;
  #video: boolean;
  #peerRefuses: Record<MediaKind, boolean> = { audio: false, video: false };
  #muted: Record<MediaKind, boolean> = { audio: false, video: false };
  /** Hold and video as last agreed with the peer: what a rollback returns to. */
  #agreed!: { localHold: boolean; video: boolean };
  /** Our offer as sent, while it waits for its final answer: forks answer this one. */
  #offer: string | undefined;
  /** The provisional answer applied, and who sent it. */
  #early: { sdp: string; identity: string } | undefined;
  /** Whether the browser takes 'pranswer'; learnt on first use. */
  #pranswer: boolean | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: WebRtcMediaSessionOptions) {
    this.#options = options;
    this.#video = !!options.video;
    this.#agree();
  }

  get localHold(): boolean {
    return this.#localHold;
  }

  get remoteHold(): boolean {
    return this.#remoteHold;
  }

  get video(): boolean {
    return this.#video;
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
      await this.#openTracks(this.#video);
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
        await this.#openTracks(this.#video && offersVideo);
        await this.#prepare(pc, 'answer');
        await pc.setLocalDescription(await pc.createAnswer());
        const answer = await this.#gather(pc);
        this.#state.transition('local-answer');
        this.#notePeerOffer(sdp);
        this.#agree();
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
        if (sdp !== this.#early?.sdp) await this.#replaceAnswer(pc, sdp);
      } else {
        await this.#setRemoteAnswer(pc, sdp, provisional);
      }
      this.#state.transition(event);
      if (provisional) {
        this.#early = { sdp, identity };
      } else {
        this.#early = undefined;
        this.#offer = undefined;
        this.#agree();
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
      this.#localHold = this.#agreed.localHold;
      this.#video = this.#agreed.video;
      // A transceiver added for this offer was never negotiated: stopped, it leaves no m= line behind.
      for (const transceiver of pc.getTransceivers()) {
        if (transceiver.mid === null && !isStopped(transceiver)) transceiver.stop();
      }
      await this.#openTracks(false);
      for (const kind of KINDS) {
        const transceiver = this.#transceiver(pc, kind);
        if (transceiver) await transceiver.sender.replaceTrack(this.#sendTrack(kind));
      }
    });
  }

  hold(): void {
    this.#localHold = true;
  }

  unhold(): void {
    this.#localHold = false;
  }

  setMuted(kind: MediaKind, muted: boolean): void {
    this.#muted[kind] = muted;
    const track = this.#tracks[kind];
    if (track) track.enabled = !muted;
  }

  isMuted(kind: MediaKind): boolean {
    return this.#muted[kind];
  }

  setVideo(enabled: boolean): void {
    this.#video = enabled;
    // Asking for video again is a new request to the peer, whatever it said before.
    if (enabled) this.#peerRefuses.video = false;
  }

  canSendRfc4733(): boolean {
    const pc = this.#pc;
    if (!pc || this.closed || this.#localHold || this.#peerRefuses.audio) return false;
    const local = pc.localDescription?.sdp;
    const remote = pc.remoteDescription?.sdp;
    if (!local || !remote || !hasTelephoneEvent(local) || !hasTelephoneEvent(remote)) return false;
    const sender = this.#transceiver(pc, 'audio')?.sender;
    // Both browsers have RTCDTMFSender.canInsertDTMF; Firefox sets it false while the sender has no track.
    return !!(sender?.track && sender.dtmf?.canInsertDTMF);
  }

  prefersRfc4733(): boolean {
    const pc = this.#pc;
    if (!pc || !this.canSendRfc4733()) return false;
    // The answer decides the codecs in use: the peer's when we offered, else ours.
    const answer = pc.localDescription?.type === 'offer' ? pc.remoteDescription : pc.localDescription;
    return !!answer && telephoneEventAtAudioClock(answer.sdp);
  }

  sendDtmf(digits: string, options: DtmfOptions = {}): boolean {
    if (!DTMF_DIGITS.test(digits)) throw new Error(`sendDtmf: "${digits}" is not a DTMF digit string`);
    if (!this.canSendRfc4733()) return false;
    const dtmf = this.#transceiver(this.#pc!, 'audio')?.sender.dtmf;
    if (!dtmf) return false;
    try {
      // insertDTMF replaces the queue: append to what is still waiting.
      dtmf.insertDTMF(dtmf.toneBuffer + digits, options.duration ?? 100, options.gap ?? 70);
      return true;
    } catch {
      return false;
    }
  }

  getStats(): Promise<RTCStatsReport> {
    if (!this.#pc) return Promise.reject(stateError('no media has been negotiated yet'));
    return this.#pc.getStats();
  }

  close(): void {
    if (this.closed) return;
    this.#closing.abort();
    for (const track of [...this.localStream.getTracks(), ...this.remoteStream.getTracks(), ...Object.values(this.#tracks)]) track.stop();
    this.#tracks = {};
    this.#detach?.abort();
    this.#pc?.close();
    this.#events.emit('connection-state', 'closed');
    this.#events.clear();
  }

  on<Name extends keyof MediaSessionEvents>(event: Name, listener: Listener<MediaSessionEvents[Name]>): () => void {
    return this.#events.on(event, listener);
  }

  #agree(): void {
    this.#agreed = { localHold: this.#localHold, video: this.#video };
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
    this.#certificate ??= RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams);
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
    pc.addEventListener('connectionstatechange', () => this.#events.emit('connection-state', pc.connectionState), listen);
    pc.addEventListener('iceconnectionstatechange', () => pc.iceConnectionState === 'failed' && this.#events.emit('ice-failed'), listen);
    return pc;
  }

  /** Opens the microphone (always, unless audio is off) and the camera when `video`; closes an unwanted camera. */
  async #openTracks(video: boolean): Promise<void> {
    const { audio: audioChoice, video: videoChoice } = this.#options;
    const request = {
      audio: audioChoice !== false && !this.#tracks.audio ? audioChoice : undefined,
      video: video && !this.#tracks.video ? videoChoice || true : undefined,
    };
    if (!this.#video && this.#tracks.video) {
      // Video off releases the camera (its light goes out), not just the stream.
      this.#tracks.video.stop();
      this.localStream.removeTrack(this.#tracks.video);
      delete this.#tracks.video;
    }
    // A page's own getUserMedia (a canvas stream) needs no device access.
    if (!this.#options.getUserMedia && !mediaCapabilities().getUserMedia) throw unsupported();
    const getUserMedia = this.#options.getUserMedia ?? ((constraints) => navigator.mediaDevices.getUserMedia(constraints));
    const opened = await openLocalTracks(request, getUserMedia);
    for (const kind of KINDS) {
      const track = opened[kind];
      if (!track) continue;
      if (this.closed) {
        track.stop();
        continue;
      }
      track.enabled = !this.#muted[kind];
      this.#tracks[kind] = track;
      this.localStream.addTrack(track);
    }
    this.#assertOpen();
  }

  /** The stream of a kind this session plays and sends: the first one of that kind still alive. */
  #transceiver(pc: RTCPeerConnection, kind: MediaKind): RTCRtpTransceiver | undefined {
    return pc.getTransceivers().find((transceiver) => transceiver.receiver.track.kind === kind && !isStopped(transceiver));
  }

  #canSend(kind: MediaKind): boolean {
    return this.#tracks[kind] !== undefined && (kind === 'audio' || this.#video);
  }

  /** What the sender of a kind carries: nothing while we hold the peer (RFC 3264 §8.4). */
  #sendTrack(kind: MediaKind): MediaStreamTrack | null {
    return this.#canSend(kind) && !this.#localHold ? (this.#tracks[kind] ?? null) : null;
  }

  /**
   * Sets each transceiver's direction and track before createOffer or createAnswer. Offers follow
   * RFC 6337 §5.3 (both holds in force; video off is inactive). For answers the browser intersects
   * our direction with the offer's (RFC 3264 §6.1); with our video off we still take the peer's video.
   */
  async #prepare(pc: RTCPeerConnection, role: 'offer' | 'answer'): Promise<void> {
    for (const kind of KINDS) {
      const direction =
        role === 'offer'
          ? offerDirection({
              canSend: this.#canSend(kind),
              wantsToReceive: kind === 'audio' || this.#video,
              localHold: this.#localHold,
              peerRefusesToReceive: this.#peerRefuses[kind],
            })
          : directionFrom(this.#canSend(kind), !this.#localHold);
      const track = this.#sendTrack(kind);
      let transceiver = this.#transceiver(pc, kind);
      if (transceiver) {
        transceiver.direction = direction;
        if (transceiver.sender.track !== track) await transceiver.sender.replaceTrack(track);
      } else if (role === 'offer' && (kind === 'audio' || this.#video)) {
        transceiver = pc.addTransceiver(track ?? kind, { direction, streams: [this.localStream] });
      }
      if (transceiver) this.#listenToDtmf(transceiver.sender);
    }
    // Any further stream of a kind (a peer offered two m=audio) is answered inactive.
    for (const transceiver of pc.getTransceivers()) {
      const primary = this.#transceiver(pc, transceiver.receiver.track.kind as MediaKind);
      if (transceiver !== primary && !isStopped(transceiver)) transceiver.direction = 'inactive';
    }
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

  async #setRemoteAnswer(pc: RTCPeerConnection, sdp: string, provisional: boolean): Promise<void> {
    if (provisional && this.#pranswer !== false) {
      try {
        await pc.setRemoteDescription({ type: 'pranswer', sdp });
        this.#pranswer = true;
        return;
      } catch (error) {
        // Firefox: "pranswer not yet implemented". Anything else is a bad SDP.
        if ((error as Error).name !== 'NotSupportedError') throw sdpError(error, 'answer');
        this.#pranswer = false;
      }
    }
    await pc.setRemoteDescription({ type: 'answer', sdp }).catch((error: unknown) => {
      throw sdpError(error, 'answer');
    });
  }

  /** Firefox, after a provisional answer applied as final: the same far end sent a changed SDP. */
  async #replaceAnswer(pc: RTCPeerConnection, sdp: string): Promise<void> {
    await pc.setLocalDescription(await pc.createOffer());
    await this.#setRemoteAnswer(pc, sdp, false);
  }

  /**
   * RFC 3261 §13.2.2.4: the INVITE forked, and this answer comes from another far end than the
   * provisional one. It answers our original offer, so it is applied on a new RTCPeerConnection that
   * presents that offer's DTLS certificate and ICE credentials, with the same streams in the same
   * order. The far end learns our new candidates from our connectivity checks (peer-reflexive).
   */
  async #answerFromAnotherFork(sdp: string, provisional: boolean): Promise<void> {
    const offer = this.#offer;
    const old = this.#pc;
    if (!offer || !old) throw stateError('no offer to answer from another fork');
    const streams = old.getTransceivers().map((transceiver) => ({
      kind: transceiver.receiver.track.kind as MediaKind,
      direction: transceiver.direction,
      track: transceiver.sender.track,
    }));
    old.close();
    const pc = await this.#newPeerConnection();
    for (const stream of streams) {
      this.#listenToDtmf(pc.addTransceiver(stream.track ?? stream.kind, { direction: stream.direction, streams: [this.localStream] }).sender);
    }
    const fresh = await pc.createOffer();
    const local = copyIceCredentials(fresh.sdp ?? '', offer);
    const mids = (text: string): string => readMediaLines(text).map((line) => `${line.kind}:${line.mid}`).join(' ');
    if (mids(local) !== mids(offer)) {
      throw stateError(`cannot rebuild the offered streams for another fork (${mids(local)} vs ${mids(offer)})`);
    }
    await pc.setLocalDescription({ type: 'offer', sdp: local });
    for (const track of this.remoteStream.getTracks()) this.remoteStream.removeTrack(track);
    await this.#setRemoteAnswer(pc, sdp, provisional);
  }

  #notePeerOffer(offer: string): void {
    this.#peerRefuses = {
      audio: peerRefusesToReceive(offer, 'audio'),
      video: peerRefusesToReceive(offer, 'video'),
    };
    const held = isHoldOffer(offer);
    if (held === this.#remoteHold) return;
    this.#remoteHold = held;
    this.#events.emit('remote-hold', held);
  }

  /** remoteStream holds the receiving track of each kind once its stream has received (not only on 'track'). */
  #syncRemoteStream(): void {
    const pc = this.#pc;
    if (!pc) return;
    for (const kind of KINDS) {
      const transceiver = this.#transceiver(pc, kind);
      const track = transceiver?.receiver.track;
      if (!track || !receives(transceiver.currentDirection as MediaDirection) || this.remoteStream.getTrackById(track.id)) continue;
      for (const stale of this.remoteStream.getTracks()) if (stale.kind === kind) this.remoteStream.removeTrack(stale);
      this.remoteStream.addTrack(track);
      this.#events.emit('remote-track', kind);
    }
  }
}
