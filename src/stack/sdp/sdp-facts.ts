/**
 * Questions the signalling and media layers ask of an SDP: is it a hold, was RFC 4733
 * telephone-event negotiated, how many streams and which are rejected, is video on, and which far
 * end answered. All read through readMediaLines (sdp-transform), never with regular expressions.
 */
import { directionFrom, receives, sends, type MediaDirection } from './media-direction';
import { readMediaLines, type MediaLine } from './media-lines';

/** The first stream of a kind that was not rejected: the one a softphone plays or sends. */
export function primaryMediaLine(lines: readonly MediaLine[], kind: string): MediaLine | undefined {
  return lines.find((line) => line.kind === kind && !line.rejected);
}

/**
 * The direction a stream really has. The RFC 2543 hold, c=0.0.0.0, means "send nothing to me",
 * which RFC 3264 §8.4 and RFC 6337 §5.4 still require us to understand, so it takes away the
 * writer's receiving side whatever its direction attribute says. An ICE agent writes 0.0.0.0 while
 * its default candidate is unknown (trickle ICE, RFC 8838 and RFC 8840), and Chromium and Firefox
 * write it on every bundled stream but the first, so with ICE credentials present the address
 * means nothing and ICE decides where media goes.
 */
export function effectiveDirection(line: MediaLine): MediaDirection {
  const legacyHold = line.connectionAddress === '0.0.0.0' && line.iceUfrag === undefined;
  return legacyHold ? directionFrom(sends(line.direction), false) : line.direction;
}

/** Whether the writer of this m= line refuses to receive on it (rejected, sendonly, inactive, 0.0.0.0). */
export function refusesToReceive(line: MediaLine): boolean {
  return line.rejected || !receives(effectiveDirection(line));
}

/**
 * RFC 3264 §8.4 "held SDP": every stream that is not rejected is on hold from the writer's side.
 * An offer with audio sendonly and video inactive is a hold; audio sendrecv with video inactive is
 * a call that merely stopped its video.
 */
export function isHoldOffer(sdp: string): boolean {
  const active = readMediaLines(sdp).filter((line) => !line.rejected);
  return active.length > 0 && active.every(refusesToReceive);
}

/** Whether the writer refuses to receive `kind` (no such stream counts as refusing). */
export function peerRefusesToReceive(sdp: string, kind: string): boolean {
  const line = primaryMediaLine(readMediaLines(sdp), kind);
  return line === undefined || refusesToReceive(line);
}

/** RFC 4733 §7.1.1: telephone-event listed on the primary audio stream (any clock rate). */
export function hasTelephoneEvent(sdp: string): boolean {
  return primaryMediaLine(readMediaLines(sdp), 'audio')?.codecs.includes('telephone-event') ?? false;
}

/** Formats that travel beside the audio codec rather than being one (RFC 3389, 2198, 5109, 4588). */
const NOT_AN_AUDIO_CODEC = new Set(['telephone-event', 'cn', 'red', 'ulpfec', 'rtx']);

/**
 * Whether an answer lets RFC 4733 events travel in the audio stream at the audio's own clock:
 * the primary audio stream lists telephone-event at the RTP clock rate of its first audio codec,
 * the one both ends send with (RFC 3264 §6.1). RFC 4733 §2.1 has events in an audio stream use
 * the audio's timestamp clock rate. With Opus (48000 Hz) and telephone-event only at 8000 Hz,
 * which is what a plain SIP phone answers (it offers only telephone-event/8000), Chromium and
 * Firefox send events a receiver such as baresip cannot follow (end packets only, durations on the
 * wrong clock): one digit or none arrives. Such a call should carry DTMF by SIP INFO instead.
 */
export function telephoneEventAtAudioClock(answer: string): boolean {
  const audio = primaryMediaLine(readMediaLines(answer), 'audio');
  const codec = audio?.formats.find((format) => !NOT_AN_AUDIO_CODEC.has(format.codec));
  if (!audio || !codec) return false;
  return audio.formats.some((format) => format.codec === 'telephone-event' && format.clockRate === codec.clockRate);
}

/** The number of m= lines, optionally of one kind; rejected (port 0) lines count too. */
export function countMediaLines(sdp: string, kind?: string): number {
  return readMediaLines(sdp).filter((line) => kind === undefined || line.kind === kind).length;
}

/** The number of m= lines with port 0 (RFC 3264 §6: rejected; §8.2: removed). */
export function countRejectedMediaLines(sdp: string): number {
  return readMediaLines(sdp).filter((line) => line.rejected).length;
}

/**
 * Video as the writer describes it: absent (no m=video), rejected (only port 0 lines), inactive
 * (present but carrying nothing either way), or active (some direction flows).
 */
export type VideoState = 'absent' | 'rejected' | 'inactive' | 'active';

export function videoState(sdp: string): VideoState {
  const video = readMediaLines(sdp).filter((line) => line.kind === 'video');
  if (video.length === 0) return 'absent';
  const live = video.filter((line) => !line.rejected);
  if (live.length === 0) return 'rejected';
  return live.some((line) => line.direction !== 'inactive') ? 'active' : 'inactive';
}

/**
 * Who is at the far end of the transport: ICE credentials and DTLS fingerprint of the first stream
 * that is not rejected (with BUNDLE, the transport of every stream). Two answers to one offer with
 * different identities come from different forks (RFC 3261 §13.2.2.4), even if their o= lines
 * happen to match.
 */
export function transportIdentity(sdp: string): string {
  const line = readMediaLines(sdp).find((candidate) => !candidate.rejected);
  if (!line) return '';
  return [line.iceUfrag ?? '', line.icePwd ?? '', line.fingerprint ?? ''].join(' ');
}
