// The plain SIP phone of tools/media-relay/wtr-plugin.mjs (baresip over UDP behind Kamailio +
// rtpengine), seen from a browser test, and the audio proofs at each end: the energy a <sip-call>
// receives (getStats totalAudioEnergy: the decoded level, not packets) and the energy baresip
// recorded from the browser (its decoded audio, measured in Node).
import { executeServerCommand } from '@web/test-runner-commands';
import type { SipCall } from '../../src/index';
import { waitFor, type KamailioInfo } from './elements-helpers';

export interface PlainPhoneInfo extends KamailioInfo {
  phone: { user: 'carol'; aor: string };
  pids: Record<'rtpengine' | 'kamailio' | 'baresip', number>;
}

export interface BaresipEvent {
  type: string;
  id?: string;
  param?: string;
}

/** What baresip decoded from its peer from second `from` of the call on. */
export interface Received {
  /** The recording (one per call), null before any. */
  file: string | null;
  seconds: number;
  rms: number;
}

/** RTP packets rtpengine received on each leg of a call, or that it does not know the call. */
export type Relayed =
  { secure: number; plain: number; unknown?: undefined } | { unknown: true; secure?: undefined; plain?: undefined };

const command = (payload: Record<string, unknown>) => executeServerCommand('plain-phone', payload);

export const plainPhone = {
  info: () => command({ action: 'info' }) as Promise<PlainPhoneInfo>,
  /** A baresip menu command: "accept", "hangup", "hold", "resume", "dial sip:...". */
  run: (line: string) => command({ action: 'command', line }) as Promise<string>,
  event: (type: string, timeoutMs = 10000) => command({ action: 'event', type, timeoutMs }) as Promise<BaresipEvent>,
  events: () => command({ action: 'events' }) as Promise<BaresipEvent[]>,
  /** Hangs up whatever is left and forgets the events. */
  clear: () => command({ action: 'clear' }),
  received: (from = 0) => command({ action: 'audio', from }) as Promise<Received>,
  /** RTP packets rtpengine received so far on each leg: secure (the browser's), plain (baresip's). */
  relayed: (callId: string) => command({ action: 'relayed', callId }) as Promise<Relayed>,
};

/** Audio energy a call decoded, as getStats counts it (inbound-rtp totalAudioEnergy). */
async function energy(call: SipCall): Promise<number> {
  let total = 0;
  (await call.getStats()).forEach((report) => {
    if (report.type === 'inbound-rtp' && report.kind === 'audio') total += report.totalAudioEnergy ?? 0;
  });
  return total;
}

/** How much audio energy reaches `call` over `ms`. */
export async function energyOver(call: SipCall, ms = 1000): Promise<number> {
  const before = await energy(call);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (await energy(call)) - before;
}

/**
 * The tone baresip sends (a 0.5 full-scale sine: 0.125 energy per second) arrives at `call`. A
 * silent stream (held, or comfort noise) stays far below the threshold.
 */
export const SOUND = 0.02;
export async function waitForSoundAt(call: SipCall, what: string): Promise<void> {
  await waitFor(what, async () => (await energyOver(call, 500)) > SOUND / 2);
}

/**
 * The browser's fake microphone reaches baresip: its recording grows by half a second with sound
 * in it (a silent microphone sends packets too, and fails this).
 */
export async function waitForSoundAtPlainPhone(what: string): Promise<void> {
  const base = await plainPhone.received();
  await waitFor(what, async () => {
    const latest = await plainPhone.received();
    const from = latest.file === base.file ? base.seconds : 0;
    const now = await plainPhone.received(from);
    return now.file === latest.file && now.seconds > from + 0.5 && now.rms > 0.01;
  });
}

/** How many RTP packets from the browser rtpengine relays to the plain phone over `ms`. */
export async function packetsFromBrowserOver(callId: string, ms = 1000): Promise<number> {
  const before = await packetsFromBrowser(callId);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (await packetsFromBrowser(callId)) - before;
}

async function packetsFromBrowser(callId: string): Promise<number> {
  const relayed = await plainPhone.relayed(callId);
  // An unknown call must not read as "no packets" (a hold would then pass without a call).
  if (relayed.unknown) throw new Error(`rtpengine has no call ${callId}`);
  return relayed.secure;
}
