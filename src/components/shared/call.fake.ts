/**
 * A stack call for component tests: it records what the element asked of it and changes state
 * only when the test says so (or as the real call would on answer, hangup, hold...).
 */
import { Emitter } from '../../stack/core/emitter';
import type { ReferOutcome, ReferRequest } from '../../stack/ua/calls/call-types';
import type { MediaKind, MediaSession } from '../../stack/ua/media-session';
import type { CallEvents, CallHandle, CallMediaOptions, CallState } from './call-handle';

let next = 1;

export class FakeCall implements CallHandle {
  readonly events = new Emitter<CallEvents>();
  readonly id = `fake-call-${next++}`;
  state: CallState;
  media: MediaSession | undefined;
  localHold = false;
  remoteHold = false;
  offersVideo: boolean | undefined;
  /** What the element asked for, in order: 'answer {"audio":true,"video":false}', 'hangup', 'dtmf 5'... */
  readonly log: string[] = [];
  #muted: Record<MediaKind, boolean> = { audio: false, video: false };

  constructor(
    readonly direction: 'outgoing' | 'incoming',
    public remote: { uri: string; displayName: string | undefined },
    initial?: CallState,
  ) {
    this.state = initial ?? (direction === 'incoming' ? 'incoming' : 'calling');
  }

  /** Moves to `next` as the stack would, with its `state` event. */
  setState(next: CallState): void {
    const previous = this.state;
    if (previous === next || previous === 'ended') return;
    this.state = next;
    this.events.emit('state', next, previous);
  }

  /** The far end names another party (a PBX transfer), as the stack's identity update does. */
  assertIdentity(party: { uri: string; displayName: string | undefined }): void {
    this.remote = party;
    this.events.emit('remote-identity', party);
  }

  end(cause: string, status?: number, reason?: string): void {
    if (this.state === 'ended') return;
    this.media?.close();
    this.setState('ended');
    this.events.emit('ended', { cause: cause as never, status, reason });
  }

  get answer(): ((options?: CallMediaOptions) => Promise<void>) | undefined {
    if (this.direction !== 'incoming') return undefined;
    return async (options = {}) => {
      this.log.push(`answer ${JSON.stringify(options)}`);
      this.setState('connected');
    };
  }

  get decline(): ((status?: 486 | 488 | 603) => void) | undefined {
    if (this.direction !== 'incoming') return undefined;
    return (status = 603) => {
      this.log.push(`decline ${status}`);
      this.end('declined', status);
    };
  }

  async hangup(): Promise<void> {
    this.log.push('hangup');
    this.end(this.state === 'incoming' ? 'declined' : 'hangup');
  }

  async hold(): Promise<void> {
    this.log.push('hold');
    this.localHold = true;
    this.setState('held');
  }

  async unhold(): Promise<void> {
    this.log.push('unhold');
    this.localHold = false;
    this.setState(this.remoteHold ? 'held' : 'connected');
  }

  mute(kind: MediaKind = 'audio'): void {
    this.log.push(`mute ${kind}`);
    this.#muted[kind] = true;
  }

  unmute(kind: MediaKind = 'audio'): void {
    this.log.push(`unmute ${kind}`);
    this.#muted[kind] = false;
  }

  muted(kind: MediaKind = 'audio'): boolean {
    return this.#muted[kind];
  }

  async sendDtmf(digits: string): Promise<void> {
    this.log.push(`dtmf ${digits}`);
  }

  async transfer(target: string | CallHandle): Promise<void> {
    this.log.push(`transfer ${typeof target === 'string' ? target : target.id}`);
    if (target === 'refuse') throw new Error('transfer refused: 403 Forbidden');
  }

  async setVideo(enabled: boolean): Promise<void> {
    this.log.push(`video ${enabled}`);
  }

  async sendMessage(body: string): Promise<{ status: number; reason: string }> {
    this.log.push(`message ${body}`);
    if (body === 'refuse')
      throw Object.assign(new Error('415 Unsupported Media Type'), { status: 415, reason: 'Unsupported Media Type' });
    return { status: 200, reason: 'OK' };
  }

  async getStats(): Promise<unknown> {
    return new Map();
  }
}

/**
 * A REFER as the stack offers it, recording the decisions in `log` ('accept {"audio":true}',
 * 'reject', 'defer'); the first decision settles `outcome` (as the stack's does), later ones are
 * recorded but change nothing. `expire()` is the stack's timeout.
 */
export function fakeRefer(target: string, log: string[] = []): ReferRequest & { log: string[]; expire(): void } {
  let settle!: (outcome: ReferOutcome) => void;
  let state: 'open' | 'deferred' | 'settled' = 'open';
  const outcome = new Promise<ReferOutcome>((resolve) => (settle = resolve));
  const decide = (result: ReferOutcome) => {
    if (state === 'settled') return false;
    state = 'settled';
    settle(result);
    return true;
  };
  return {
    target,
    referredBy: 'sip:bob@example.com',
    outcome,
    log,
    accept(options) {
      log.push(`accept ${JSON.stringify(options ?? {})}`);
      decide('accepted');
      return undefined;
    },
    reject() {
      log.push('reject');
      decide('declined');
    },
    defer() {
      log.push('defer');
      if (state === 'open') state = 'deferred';
    },
    expire() {
      decide('expired');
    },
  };
}

/** A media session stand-in with real streams (for <sip-video> and the remote <audio>). */
export function fakeMedia(streams: { local?: MediaStream; remote?: MediaStream; video?: boolean }): MediaSession {
  const local = streams.local ?? new MediaStream();
  const remote = streams.remote ?? new MediaStream();
  let closed = false;
  return {
    localStream: local,
    remoteStream: remote,
    video: streams.video ?? false,
    get closed() {
      return closed;
    },
    close() {
      closed = true;
      for (const track of [...local.getTracks(), ...remote.getTracks()]) track.stop();
    },
  } as unknown as MediaSession;
}

/** A live video track drawn on a canvas (no camera needed). */
export function canvasVideoTrack(color = '#3a7'): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  const context = canvas.getContext('2d')!;
  context.fillStyle = color;
  context.fillRect(0, 0, 64, 48);
  return canvas.captureStream(5).getVideoTracks()[0]!;
}
