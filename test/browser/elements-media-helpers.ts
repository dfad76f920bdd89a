// Shared by the elements-media-*.test.ts files: a call between two <sip-phone> elements at the
// test Kamailio, connected with audio flowing, and the SIP requests a phone sent from then on (to
// prove that something happened with, or without, a re-INVITE).
import type { SipCall, SipPhone } from '../../src/index';
import type { WebRtcMediaSession } from '../../src/media/webrtc-media-session';
import { stateOf, nextIncoming, socketOf, waitForMedia } from './elements-helpers';

/** alice calls bob (with video both ways when `video`), bob answers, and audio flows both ways. */
export async function connectedCall(alice: SipPhone, bob: SipPhone, video = false): Promise<[SipCall, SipCall]> {
  const ringing = nextIncoming(bob);
  const outgoing = await alice.call('bob', { video });
  const incoming = await ringing;
  await incoming.answer({ video });
  await Promise.all([stateOf(outgoing, 'connected'), stateOf(incoming, 'connected')]);
  await waitForMedia(incoming, 'audio', 'audio from alice to bob');
  await waitForMedia(outgoing, 'audio', 'audio from bob to alice');
  return [outgoing, incoming];
}

/** The request lines (and bodies) a phone sends over its WebSocket from now on. */
export function recordSent(phone: SipPhone): string[] {
  const socket = socketOf.get(phone)!;
  const sent: string[] = [];
  const send = socket.send.bind(socket);
  socket.send = (data) => {
    sent.push(String(data));
    send(data);
  };
  return sent;
}

/** Re-INVITEs among recorded messages. */
export const invites = (sent: string[]) => sent.filter((text) => text.startsWith('INVITE '));

export const sessionOf = (call: SipCall) => call.call!.media as unknown as WebRtcMediaSession;

/** The track a call's sender of `kind` carries now (the transceiver of that kind, whatever it sends). */
export function sentTrack(call: SipCall, kind: 'audio' | 'video'): MediaStreamTrack | null | undefined {
  const transceiver = sessionOf(call)
    .peerConnection!.getTransceivers()
    .find((t) => t.receiver.track.kind === kind);
  return transceiver?.sender.track;
}
