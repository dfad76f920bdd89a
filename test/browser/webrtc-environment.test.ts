// Proves what every media test relies on: fake camera and microphone, and two peer connections
// that reach each other over loopback ICE with media flowing (TESTING.md flags and preferences).
import { expect } from '@open-wc/testing';
import { itNeedingWebRTC } from './webrtc-capability';

async function inboundBytes(pc: RTCPeerConnection, kind: 'audio' | 'video'): Promise<number> {
  const stats = await pc.getStats();
  let bytes = 0;
  stats.forEach((report) => {
    if (report.type === 'inbound-rtp' && report.kind === kind) bytes += report.bytesReceived ?? 0;
  });
  return bytes;
}

async function until(check: () => Promise<boolean>, what: string, ms = 10000): Promise<void> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('browser WebRTC environment', () => {
  it('gives fake audio and video devices', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    expect(stream.getAudioTracks()).to.have.length(1);
    expect(stream.getVideoTracks()).to.have.length(1);
    stream.getTracks().forEach((track) => track.stop());
  });

  itNeedingWebRTC('connects two peer connections over loopback and carries audio and video', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const a = new RTCPeerConnection({ iceServers: [] });
    const b = new RTCPeerConnection({ iceServers: [] });
    a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
    b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
    stream.getTracks().forEach((track) => a.addTrack(track, stream));
    try {
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription!);
      await until(async () => (await inboundBytes(b, 'audio')) > 0, 'audio bytes');
      await until(async () => (await inboundBytes(b, 'video')) > 0, 'video bytes');
      expect(await inboundBytes(b, 'audio')).to.be.greaterThan(0);
    } finally {
      a.close();
      b.close();
      stream.getTracks().forEach((track) => track.stop());
    }
  });
});
