/**
 * A MediaSession without media, for the user agent's unit tests in Node: it writes real SDP
 * (sdp-transform), with the directions RFC 3264 §6.1 and RFC 6337 §5.3 require, keeps one m= line
 * per stream across every re-offer (RFC 3264 §8), enforces the offer/answer order with
 * OfferAnswerState, and records what it was asked so a test can check hold offers, answers to a
 * peer's hold, DTMF and rollbacks without a browser.
 */
import * as sdpTransform from 'sdp-transform';
import { Emitter, type Listener } from '../core/emitter';
import { StateError } from '../core/errors';
import { answerDirection, directionFrom, offerDirection, type MediaDirection } from '../sdp/media-direction';
import { readMediaLines, type MediaLine } from '../sdp/media-lines';
import { OfferAnswerState } from '../sdp/offer-answer-state';
import {
  effectiveDirection,
  hasTelephoneEvent,
  isHoldOffer,
  peerRefusesToReceive,
  telephoneEventAtAudioClock,
} from '../sdp/sdp-facts';
import {
  DTMF_DIGITS,
  MediaSessionError,
  type AnswerOptions,
  type DtmfOptions,
  type MediaKind,
  type MediaSession,
  type MediaSessionEvents,
  type MediaSessionFactory,
  type MediaSessionOptions,
  type OfferOptions,
} from './media-session';

interface Codec {
  payload: number;
  name: string;
  rate: number;
  encoding?: number;
  fmtp?: string;
}

// What a browser offers first, in its order: Opus, G.711, RFC 4733 events at Opus's clock rate and
// at 8000 Hz (as Chromium does); VP8 for video.
const AUDIO_CODECS: readonly Codec[] = [
  { payload: 111, name: 'opus', rate: 48000, encoding: 2, fmtp: 'minptime=10;useinbandfec=1' },
  { payload: 0, name: 'PCMU', rate: 8000 },
  { payload: 8, name: 'PCMA', rate: 8000 },
  { payload: 110, name: 'telephone-event', rate: 48000, fmtp: '0-16' },
  { payload: 101, name: 'telephone-event', rate: 8000, fmtp: '0-16' },
];
const VIDEO_CODECS: readonly Codec[] = [{ payload: 96, name: 'VP8', rate: 90000 }];

export interface FakeMediaSessionOptions extends Partial<MediaSessionOptions> {
  /** Names the session in its SDP (o= line, ICE ufrag); defaults to 'fake'. */
  name?: string;
  /** Offer and accept RFC 4733 telephone-event (default true). */
  telephoneEvent?: boolean;
}

/** One call made on the fake, in order. */
export type FakeMediaCall =
  | { op: 'createOffer'; sdp: string; iceRestart: boolean }
  | { op: 'applyOffer'; offer: string; answer: string }
  | { op: 'applyAnswer'; sdp: string; provisional: boolean }
  | { op: 'rollback' };

interface Stream {
  kind: string;
  mid: string;
}

export class FakeMediaSession implements MediaSession {
  readonly state = new OfferAnswerState();
  readonly calls: FakeMediaCall[] = [];
  /** Digit strings accepted by sendDtmf(), in order. */
  readonly sentDtmf: string[] = [];
  readonly #events = new Emitter<MediaSessionEvents>();
  readonly #name: string;
  readonly #sendsAudio: boolean;
  readonly #telephoneEvent: boolean;
  #streams: Stream[] = [];
  #version = 0;
  #iceGeneration = 0;
  #localHold = false;
  #remoteHold = false;
  #video: boolean;
  #peerRefuses: Record<MediaKind, boolean> = { audio: false, video: false };
  #muted: Record<MediaKind, boolean> = { audio: false, video: false };
  // The last agreed state, restored by rollback(): a stream our rolled-back offer added is gone
  // again (RFC 3264 §8: m= lines are agreed by an answer), so the peer's next offer may omit it.
  #agreed = { localHold: false, video: false, streams: [] as Stream[] };
  #localSdp: string | undefined;
  #remoteSdp: string | undefined;
  /** Whether the last offer/answer exchange was ours: then the peer wrote the answer. */
  #answeredByPeer = false;
  #closed = false;

  constructor(options: FakeMediaSessionOptions = {}) {
    this.#name = options.name ?? 'fake';
    this.#sendsAudio = options.audio !== false;
    this.#video = Boolean(options.video);
    this.#agreed.video = this.#video;
    this.#telephoneEvent = options.telephoneEvent ?? true;
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
    return this.#closed;
  }

  /** The last local offer or answer. */
  get localDescription(): string | undefined {
    return this.#localSdp;
  }

  /** The last remote offer or answer. */
  get remoteDescription(): string | undefined {
    return this.#remoteSdp;
  }

  async createOffer(options: OfferOptions = {}): Promise<string> {
    this.#assertOpen();
    this.#guard(() => this.state.transition('local-offer'));
    if (options.iceRestart) this.#iceGeneration += 1;
    if (this.#streams.length === 0) this.#streams.push({ kind: 'audio', mid: '0' });
    if (this.#video && !this.#streams.some((stream) => stream.kind === 'video')) {
      this.#streams.push({ kind: 'video', mid: String(this.#streams.length) });
    }
    const sdp = this.#write(
      'actpass',
      this.#streams.map((stream) => this.#offerStream(stream)),
    );
    this.#localSdp = sdp;
    this.calls.push({ op: 'createOffer', sdp, iceRestart: Boolean(options.iceRestart) });
    return sdp;
  }

  async applyOffer(offer: string): Promise<string> {
    this.#assertOpen();
    const lines = readMediaLines(offer);
    if (lines.length === 0) throw new MediaSessionError('sdp', 'the offer has no media streams');
    if (lines.length < this.#streams.length) {
      throw new MediaSessionError('sdp', 'an offer may not remove m= lines (RFC 3264 §8.2: port 0 instead)');
    }
    this.#guard(() => this.state.transition('remote-offer'));
    const answered = lines.map((line) => this.#answerStream(line));
    if (answered.every((stream) => stream.port === 0)) {
      this.state.transition('rollback');
      throw new MediaSessionError('sdp', 'no offered stream has a codec in common');
    }
    // RFC 3264 §6: one answer stream per offered stream, in order; their mids become ours.
    this.#streams = lines.map((line, index) => ({ kind: line.kind, mid: line.mid ?? String(index) }));
    this.#notePeerOffer(offer);
    const answer = this.#write('active', answered);
    this.state.transition('local-answer');
    this.#remoteSdp = offer;
    this.#localSdp = answer;
    this.#answeredByPeer = false;
    this.#agree();
    this.calls.push({ op: 'applyOffer', offer, answer });
    return answer;
  }

  async applyAnswer(sdp: string, options: AnswerOptions = {}): Promise<void> {
    this.#assertOpen();
    const provisional = Boolean(options.provisional);
    if (!this.state.can(provisional ? 'remote-pranswer' : 'remote-answer')) {
      throw new MediaSessionError('state', `no offer is waiting for an answer (${this.state.phase})`);
    }
    if (readMediaLines(sdp).length !== this.#streams.length) {
      // RFC 3264 §6: the answer has exactly as many m= lines as the offer.
      throw new MediaSessionError('sdp', 'the answer does not have one stream per offered stream');
    }
    this.state.transition(provisional ? 'remote-pranswer' : 'remote-answer');
    this.#remoteSdp = sdp;
    this.#answeredByPeer = true;
    if (!provisional) this.#agree();
    this.calls.push({ op: 'applyAnswer', sdp, provisional });
  }

  /** An answer was made or applied: this is now the state a rollback returns to. */
  #agree(): void {
    this.#agreed = { localHold: this.#localHold, video: this.#video, streams: [...this.#streams] };
  }

  async rollback(): Promise<void> {
    this.#assertOpen();
    if (this.state.phase === 'stable') return;
    this.#guard(() => this.state.transition('rollback'));
    this.#localHold = this.#agreed.localHold;
    this.#video = this.#agreed.video;
    this.#streams = [...this.#agreed.streams];
    this.calls.push({ op: 'rollback' });
  }

  hold(): void {
    this.#localHold = true;
  }

  unhold(): void {
    this.#localHold = false;
  }

  setMuted(kind: MediaKind, muted: boolean): void {
    this.#muted[kind] = muted;
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
    if (this.#closed || !this.#localSdp || !this.#remoteSdp || this.state.phase !== 'stable') return false;
    if (!this.#sendsAudio || this.#localHold || this.#peerRefuses.audio) return false;
    return hasTelephoneEvent(this.#localSdp) && hasTelephoneEvent(this.#remoteSdp);
  }

  prefersRfc4733(): boolean {
    // After offer/answer the answer is the remote SDP when we offered last, else our own.
    const answer = this.#answeredByPeer ? this.#remoteSdp : this.#localSdp;
    return this.canSendRfc4733() && !!answer && telephoneEventAtAudioClock(answer);
  }

  sendDtmf(digits: string, _options?: DtmfOptions): boolean {
    if (!DTMF_DIGITS.test(digits)) throw new Error(`sendDtmf: "${digits}" is not a DTMF digit string`);
    if (!this.canSendRfc4733()) return false;
    this.sentDtmf.push(digits);
    for (const tone of digits) this.#events.emit('dtmf-tone', tone);
    this.#events.emit('dtmf-tone', '');
    return true;
  }

  async getStats(): Promise<unknown> {
    return { type: 'fake', phase: this.state.phase, sentDtmf: [...this.sentDtmf] };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#events.emit('connection-state', 'closed');
  }

  on<Name extends keyof MediaSessionEvents>(event: Name, listener: Listener<MediaSessionEvents[Name]>): () => void {
    return this.#events.on(event, listener);
  }

  /** Test hook: makes the fake report what a real session would (ICE failure, connection). */
  simulate<Name extends keyof MediaSessionEvents>(event: Name, ...args: MediaSessionEvents[Name]): void {
    this.#events.emit(event, ...args);
  }

  #assertOpen(): void {
    if (this.#closed) throw new MediaSessionError('closed', 'the media session is closed');
  }

  #guard(move: () => void): void {
    try {
      move();
    } catch (error) {
      if (error instanceof StateError) throw new MediaSessionError('state', error.message, { cause: error });
      throw error;
    }
  }

  #notePeerOffer(offer: string): void {
    this.#peerRefuses = {
      audio: peerRefusesToReceive(offer, 'audio'),
      video: peerRefusesToReceive(offer, 'video'),
    };
    const held = isHoldOffer(offer);
    if (held !== this.#remoteHold) {
      this.#remoteHold = held;
      this.#events.emit('remote-hold', held);
    }
  }

  #canSend(kind: string): boolean {
    return kind === 'audio' ? this.#sendsAudio : kind === 'video' && this.#video;
  }

  #offerStream(stream: Stream): sdpTransform.MediaDescription {
    const kind = stream.kind;
    const direction = offerDirection({
      canSend: this.#canSend(kind),
      wantsToReceive: kind === 'audio' || this.#video,
      localHold: this.#localHold,
      peerRefusesToReceive: kind === 'video' || kind === 'audio' ? this.#peerRefuses[kind] : false,
    });
    return this.#media(stream.kind, stream.mid, this.#codecs(kind), direction);
  }

  #answerStream(line: MediaLine): sdpTransform.MediaDescription {
    const mid = line.mid ?? String(line.index);
    const ours = this.#codecs(line.kind);
    // RFC 3264 §6.1: answer with the offered formats we support (name and clock rate), in the offer's order.
    const supported = (format: MediaLine['formats'][number]) => (codec: Codec) =>
      codec.name.toLowerCase() === format.codec && codec.rate === format.clockRate;
    const common = line.rejected ? [] : line.formats.flatMap((format) => ours.filter(supported(format)));
    const unique = common.filter((codec, index) => common.indexOf(codec) === index);
    if (unique.length === 0 || unique.every((codec) => codec.name === 'telephone-event')) {
      return this.#media(line.kind, mid, [], 'inactive', true);
    }
    // Video off still receives the peer's video (the user sees the caller; the camera stays off).
    const willing = directionFrom(this.#canSend(line.kind), !this.#localHold);
    return this.#media(line.kind, mid, unique, answerDirection(effectiveDirection(line), willing));
  }

  #codecs(kind: string): readonly Codec[] {
    if (kind === 'video') return VIDEO_CODECS;
    if (kind !== 'audio') return [];
    return this.#telephoneEvent ? AUDIO_CODECS : AUDIO_CODECS.filter((codec) => codec.name !== 'telephone-event');
  }

  #media(
    kind: string,
    mid: string,
    codecs: readonly Codec[],
    direction: MediaDirection,
    rejected = false,
  ): sdpTransform.MediaDescription {
    const port = rejected ? 0 : 50000 + Number(mid.replace(/\D/g, '') || 0) * 2;
    const payloads = rejected ? [0] : codecs.map((codec) => codec.payload);
    return {
      type: kind,
      port,
      protocol: 'UDP/TLS/RTP/SAVPF',
      payloads: payloads.join(' '),
      connection: { version: 4, ip: '127.0.0.1' },
      mid,
      rtp: codecs.map((codec) => ({
        payload: codec.payload,
        codec: codec.name,
        rate: codec.rate,
        encoding: codec.encoding,
      })),
      fmtp: codecs.flatMap((codec) => (codec.fmtp ? [{ payload: codec.payload, config: codec.fmtp }] : [])),
      ...(rejected
        ? {}
        : {
            direction,
            rtcpMux: 'rtcp-mux' as const,
            candidates: [
              {
                foundation: '1',
                component: 1,
                transport: 'udp',
                priority: 2122260223,
                ip: '127.0.0.1',
                port,
                type: 'host',
              },
            ],
          }),
    };
  }

  #write(setup: 'actpass' | 'active', media: sdpTransform.MediaDescription[]): string {
    this.#version += 1;
    const live = media.filter((stream) => stream.port !== 0);
    return sdpTransform.write({
      version: 0,
      origin: {
        username: '-',
        sessionId: this.#sessionId(),
        sessionVersion: this.#version,
        netType: 'IN',
        ipVer: 4,
        address: '127.0.0.1',
      },
      name: '-',
      timing: { start: 0, stop: 0 },
      groups: live.length > 0 ? [{ type: 'BUNDLE', mids: live.map((stream) => stream.mid).join(' ') }] : undefined,
      iceUfrag: `${this.#name}${this.#iceGeneration}`.replace(/[^A-Za-z0-9+/]/g, '').padEnd(4, 'x'),
      icePwd: `${this.#name}-password-${this.#iceGeneration}`.replace(/[^A-Za-z0-9+/]/g, '').padEnd(22, 'x'),
      fingerprint: { type: 'sha-256', hash: this.#fingerprint() },
      setup,
      media,
    });
  }

  #sessionId(): string {
    let hash = 7;
    for (const char of this.#name) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000_007;
    return String(hash);
  }

  #fingerprint(): string {
    const id = this.#sessionId().padStart(10, '0');
    return Array.from({ length: 32 }, (_, index) =>
      (Number(id[index % id.length]) * 16 + index).toString(16).padStart(2, '0').slice(-2).toUpperCase(),
    ).join(':');
  }
}

/** A factory for the user agent that keeps every session it made, for the test to inspect. */
export function fakeMediaSessionFactory(
  defaults: FakeMediaSessionOptions = {},
): MediaSessionFactory & { readonly sessions: FakeMediaSession[] } {
  const sessions: FakeMediaSession[] = [];
  const factory = (options: MediaSessionOptions): FakeMediaSession => {
    const session = new FakeMediaSession({
      ...options,
      ...defaults,
      name: defaults.name ?? `fake${sessions.length + 1}`,
    });
    sessions.push(session);
    return session;
  };
  return Object.assign(factory, { sessions });
}
