/**
 * A flat, read-only view of each m= section of an SDP, parsed by sdp-transform (never by hand), with
 * the RFC 4566 defaults applied: a direction attribute at media level overrides the session level
 * (Firefox writes a=sendrecv at session level in every SDP, even when a stream is on hold), and
 * without either the stream is sendrecv (RFC 3264 §5.1); c= at media level overrides c= at session
 * level.
 */
import * as sdpTransform from 'sdp-transform';
import type { MediaDirection } from './media-direction';

export interface CandidateCounts {
  host: number;
  srflx: number;
  prflx: number;
  relay: number;
}

export interface MediaLine {
  /** Position among the m= lines, from 0: RFC 3264 §6 pairs offer and answer streams by position. */
  readonly index: number;
  /** The media type: 'audio', 'video', 'application', ... */
  readonly kind: string;
  readonly mid: string | undefined;
  readonly port: number;
  /** Port 0: the stream was rejected or removed (RFC 3264 §6, §8.2). */
  readonly rejected: boolean;
  readonly direction: MediaDirection;
  /** The effective connection address (c=), media level first. */
  readonly connectionAddress: string | undefined;
  /** Codec names in offer order, lower case ('opus', 'pcmu', 'telephone-event', 'vp8'). */
  readonly codecs: readonly string[];
  /**
   * The payload formats in the order of the m= line (the writer's preference, RFC 3264 §5.1), each
   * with its a=rtpmap codec (lower case) and RTP clock rate; a dynamic format without a=rtpmap is
   * left out, a static one takes RFC 3551's.
   */
  readonly formats: readonly { readonly payload: number; readonly codec: string; readonly clockRate: number }[];
  readonly candidates: CandidateCounts;
  /** ICE credentials and DTLS fingerprint, media level first: they identify the transport's far end. */
  readonly iceUfrag: string | undefined;
  readonly icePwd: string | undefined;
  readonly fingerprint: string | undefined;
}

const DIRECTIONS: readonly string[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

function isDirection(value: unknown): value is MediaDirection {
  return typeof value === 'string' && DIRECTIONS.includes(value);
}

function countCandidates(candidates: readonly { type: string }[] | undefined): CandidateCounts {
  const counts: CandidateCounts = { host: 0, srflx: 0, prflx: 0, relay: 0 };
  for (const candidate of candidates ?? []) {
    const type = candidate.type.toLowerCase();
    if (type === 'host' || type === 'srflx' || type === 'prflx' || type === 'relay') counts[type] += 1;
  }
  return counts;
}

/** RFC 3551 §6 static payload types a plain phone may list without a=rtpmap. */
const STATIC_PAYLOADS: ReadonlyMap<number, { codec: string; rate: number }> = new Map([
  [0, { codec: 'pcmu', rate: 8000 }],
  [8, { codec: 'pcma', rate: 8000 }],
  [9, { codec: 'g722', rate: 8000 }],
  [18, { codec: 'g729', rate: 8000 }],
]);

function formatsOf(media: {
  payloads?: string | number;
  rtp?: { payload: number; codec: string; rate?: number }[];
}): MediaLine['formats'] {
  const rtpmaps = new Map((media.rtp ?? []).map((rtp) => [rtp.payload, rtp]));
  return String(media.payloads ?? '')
    .split(' ')
    .map(Number)
    .flatMap((payload) => {
      const rtp = rtpmaps.get(payload);
      if (rtp?.rate) return [{ payload, codec: rtp.codec.toLowerCase(), clockRate: rtp.rate }];
      const known = STATIC_PAYLOADS.get(payload);
      return known ? [{ payload, codec: known.codec, clockRate: known.rate }] : [];
    });
}

/** Every m= section of `sdp`, in order. Text that is not SDP yields no media lines. */
export function readMediaLines(sdp: string): MediaLine[] {
  const session = sdpTransform.parse(sdp);
  const sessionDirection = isDirection(session.direction) ? session.direction : 'sendrecv';
  const sessionFingerprint = session.fingerprint;
  return (session.media ?? []).map((media, index) => {
    const fingerprint = media.fingerprint ?? sessionFingerprint;
    return {
      index,
      kind: media.type,
      mid: media.mid === undefined ? undefined : String(media.mid),
      port: media.port,
      rejected: media.port === 0,
      direction: isDirection(media.direction) ? media.direction : sessionDirection,
      connectionAddress: (media.connection ?? session.connection)?.ip,
      codecs: (media.rtp ?? []).map((rtp) => rtp.codec.toLowerCase()),
      formats: formatsOf(media),
      candidates: countCandidates(media.candidates),
      iceUfrag: media.iceUfrag ?? session.iceUfrag,
      icePwd: media.icePwd ?? session.icePwd,
      fingerprint: fingerprint ? `${fingerprint.type} ${fingerprint.hash}`.toLowerCase() : undefined,
    };
  });
}
