// Shared by the media-*.test.ts files: two WebRtcMediaSessions in one page negotiate by passing
// SDP strings, as the user agent would over SIP, and getStats() proves what media flows. Every wait
// is bounded and fails with what it waited for; no test sleeps to hope.
import { expect } from '@open-wc/testing';
import * as sdpTransform from 'sdp-transform';
import { WebRtcMediaSession, type WebRtcMediaSessionOptions } from '../../src/media/webrtc-media-session';

export const isFirefox = navigator.userAgent.includes('Firefox');
// Chromium's user agent names AppleWebKit too, and Chrome after it.
export const isWebKit = navigator.userAgent.includes('AppleWebKit') && !navigator.userAgent.includes('Chrome/');

const open: WebRtcMediaSession[] = [];
const elements: HTMLMediaElement[] = [];

export function makeSession(options: Partial<WebRtcMediaSessionOptions> = {}): WebRtcMediaSession {
  const session = new WebRtcMediaSession({ audio: true, video: false, iceServers: [], ...options });
  open.push(session);
  return session;
}

/** Closes every session and element a test made (mocha afterEach). */
export function closeAll(): void {
  for (const session of open.splice(0)) session.close();
  for (const element of elements.splice(0)) {
    element.srcObject = null;
    element.remove();
  }
}

/** INVITE with offer, 200 with answer. */
export async function connect(caller: WebRtcMediaSession, callee: WebRtcMediaSession): Promise<[string, string]> {
  const offer = await caller.createOffer();
  const answer = await callee.applyOffer(offer);
  await caller.applyAnswer(answer);
  return [offer, answer];
}

/** A re-INVITE from `offerer`; returns [offer, answer]. */
export const reinvite = connect;

/**
 * Plays the session's remote stream in an element. Chromium decodes received audio only for a
 * playing sink, so audio energy statistics need this; Firefox decodes regardless.
 */
export async function play(session: WebRtcMediaSession, kind: 'audio' | 'video' = 'audio'): Promise<HTMLMediaElement> {
  const element = document.createElement(kind);
  element.srcObject = session.remoteStream;
  document.body.append(element);
  elements.push(element);
  await element.play();
  return element;
}

/** Anything whose getStats() gives a WebRTC stats report: our media session or a peer's RTCPeerConnection. */
export type StatsSource = Pick<WebRtcMediaSession, 'getStats'>;

export interface Inbound {
  packetsReceived: number;
  bytesReceived: number;
  framesDecoded: number;
  totalAudioEnergy: number;
}

/** The inbound-rtp counters of one kind, summed over streams (0 before any packet). */
export async function inbound(session: StatsSource, kind: 'audio' | 'video'): Promise<Inbound> {
  const totals: Inbound = { packetsReceived: 0, bytesReceived: 0, framesDecoded: 0, totalAudioEnergy: 0 };
  (await session.getStats()).forEach((report) => {
    if (report.type !== 'inbound-rtp' || report.kind !== kind) return;
    totals.packetsReceived += report.packetsReceived ?? 0;
    totals.bytesReceived += report.bytesReceived ?? 0;
    totals.framesDecoded += report.framesDecoded ?? 0;
    totals.totalAudioEnergy += report.totalAudioEnergy ?? 0;
  });
  return totals;
}

/** Polls `check` every 100 ms until it holds; fails after `ms` naming what never happened. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, ms = 10000): Promise<void> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** How much a counter grows over `windowMs` (the measured window of a "stays flat" assertion). */
export async function growth(
  session: StatsSource,
  kind: 'audio' | 'video',
  field: keyof Inbound,
  windowMs = 1500,
): Promise<number> {
  const before = (await inbound(session, kind))[field];
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  return (await inbound(session, kind))[field] - before;
}

/** Waits until a counter grows: media of that kind is arriving. */
export async function waitForGrowth(
  session: StatsSource,
  kind: 'audio' | 'video',
  field: keyof Inbound,
  what: string,
): Promise<void> {
  let last = (await inbound(session, kind))[field];
  await waitFor(what, async () => {
    const now = (await inbound(session, kind))[field];
    const grew = now > last && last > 0;
    last = now;
    return grew;
  });
}

/**
 * Waits until a counter stops: packets already in flight when a hold was agreed have arrived. The
 * "stays flat" window is measured after this.
 */
export async function waitForStill(
  session: StatsSource,
  kind: 'audio' | 'video',
  field: keyof Inbound,
  what: string,
): Promise<void> {
  let last = (await inbound(session, kind))[field];
  await waitFor(
    what,
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const now = (await inbound(session, kind))[field];
      const still = now === last;
      last = now;
      return still;
    },
    5000,
  );
}

/** No audio reaches `source` over a measured window, once what was in flight has arrived (a hold). */
export async function expectNoAudio(source: StatsSource, what: string): Promise<void> {
  await waitForStill(source, 'audio', 'bytesReceived', `audio in flight to ${what} to arrive`);
  expect(await growth(source, 'audio', 'bytesReceived'), `audio bytes reaching ${what}`).to.equal(0);
}

/** The answer of a peer that does not do RFC 4733: telephone-event removed from every stream. */
export function withoutTelephoneEvent(sdp: string): string {
  const session = sdpTransform.parse(sdp);
  for (const media of session.media) {
    const events = new Set(
      media.rtp.filter((rtp) => rtp.codec.toLowerCase() === 'telephone-event').map((rtp) => rtp.payload),
    );
    media.rtp = media.rtp.filter((rtp) => !events.has(rtp.payload));
    media.fmtp = media.fmtp.filter((fmtp) => !events.has(fmtp.payload));
    media.payloads = String(media.payloads ?? '')
      .split(' ')
      .filter((payload) => !events.has(Number(payload)))
      .join(' ');
  }
  return sdpTransform.write(session);
}

/**
 * Waits until a peer connection that is not ours (a JsSIP or SIP.js session's) receives growing
 * audio: our phone's media reaches that peer.
 */
export async function waitForPeerAudio(pc: RTCPeerConnection, what: string): Promise<void> {
  const bytes = async (): Promise<number> => {
    let total = 0;
    (await pc.getStats()).forEach((report) => {
      if (report.type === 'inbound-rtp' && report.kind === 'audio') total += report.bytesReceived ?? 0;
    });
    return total;
  };
  let last = 0;
  await waitFor(what, async () => {
    const now = await bytes();
    const grew = now > last && last > 0;
    last = now;
    return grew;
  });
}
