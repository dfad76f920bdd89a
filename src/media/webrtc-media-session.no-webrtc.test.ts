// A media session in a browser without WebRTC (issue 20: WebKitGTK, Lockdown Mode): RTCPeerConnection
// is taken away before anything looks, and the session must fail with a MediaSessionError that says
// why, which the user agent turns into a call that ends with that reason (or 488 for an incoming
// offer), instead of a bare ReferenceError.
import { expect } from '@open-wc/testing';
import { MediaSessionError } from '../stack/ua/media-session';
import { WebRtcMediaSession } from './webrtc-media-session';

delete (window as Partial<Window & typeof globalThis>).RTCPeerConnection;

const OFFER = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=rtpmap:111 opus/48000/2',
  '',
].join('\r\n');

async function failure(operation: () => Promise<unknown>): Promise<MediaSessionError> {
  try {
    await operation();
  } catch (error) {
    expect(error).to.be.instanceOf(MediaSessionError);
    return error as MediaSessionError;
  }
  throw new Error('the operation succeeded without RTCPeerConnection');
}

describe('WebRtcMediaSession without RTCPeerConnection', () => {
  for (const [what, run] of [
    ['an offer', (session: WebRtcMediaSession) => session.createOffer()],
    ['an answer', (session: WebRtcMediaSession) => session.applyOffer(OFFER)],
  ] as const) {
    it(`refuses ${what} with a MediaSessionError that says WebRTC is missing, and opens no microphone`, async () => {
      const opened: MediaStreamConstraints[] = [];
      const session = new WebRtcMediaSession({
        audio: true,
        video: false,
        iceServers: [],
        getUserMedia: (constraints) => (opened.push(constraints), navigator.mediaDevices.getUserMedia(constraints)),
      });
      const error = await failure(() => run(session));
      expect(error.code).to.equal('unsupported');
      expect(error.message).to.match(/^Calls need WebRTC, and this browser does not provide RTCPeerConnection/);
      expect(session.localStream.getTracks()).to.have.length(0);
      session.close();
      expect(opened).to.have.length(0);
    });
  }
});
