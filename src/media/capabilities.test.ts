// Capability detection (issues 20 and 23): what a page offers for calls, from the globals a page
// has. The environments below are the ones browsers really present: an http:// page of another
// host has no navigator.mediaDevices (but RTCPeerConnection), WebKitGTK has no RTCPeerConnection.
import { expect } from '@open-wc/testing';
import {
  CallsUnavailableError,
  detectMediaCapabilities,
  mediaCapabilities,
  type MediaEnvironment,
} from './capabilities';

const fn = (): void => undefined;
const media = { getUserMedia: fn, enumerateDevices: fn };
const sinkable = { prototype: { setSinkId: fn } };
const secure: MediaEnvironment = {
  isSecureContext: true,
  navigator: { mediaDevices: media },
  RTCPeerConnection: fn,
  HTMLMediaElement: sinkable,
};

describe('media capabilities', () => {
  it("reads this page's globals, once", () => {
    // Whatever this browser is (WebKitGTK has no RTCPeerConnection): what the page really has.
    const here = mediaCapabilities();
    const devices = navigator.mediaDevices as (MediaDevices & { selectAudioOutput?: unknown }) | undefined;
    expect(here).to.deep.include({
      peerConnection: typeof window.RTCPeerConnection === 'function',
      getUserMedia: typeof devices?.getUserMedia === 'function',
      enumerateDevices: typeof devices?.enumerateDevices === 'function',
      setSinkId: 'setSinkId' in HTMLMediaElement.prototype,
      selectAudioOutput: typeof devices?.selectAudioOutput === 'function',
    });
    expect(here.callsUnavailable === undefined).to.equal(here.peerConnection && here.getUserMedia);
    expect(mediaCapabilities()).to.equal(here, 'detected once');
  });

  it('finds calls possible where WebRTC and device access are there', () => {
    expect(detectMediaCapabilities(secure)).to.deep.include({
      callsUnavailable: undefined,
      peerConnection: true,
      getUserMedia: true,
      enumerateDevices: true,
      setSinkId: true,
      selectAudioOutput: false,
    });
  });

  it('names a page that is not secure as the cause when it has no navigator.mediaDevices', () => {
    const found = detectMediaCapabilities({ ...secure, isSecureContext: false, navigator: {} });
    const reason = found.callsUnavailable!;
    expect(reason).to.be.instanceOf(CallsUnavailableError);
    expect(reason.name).to.equal('CallsUnavailableError');
    expect(reason.code).to.equal('insecure-context');
    expect(reason.missing).to.deep.equal(['navigator.mediaDevices']);
    expect(reason.message).to.match(/^Calls need a secure page \(https, or localhost for development\)/);
    expect(reason.message).to.contain('Registration and messages still work');
    expect(found).to.include({
      peerConnection: true,
      getUserMedia: false,
      enumerateDevices: false,
      selectAudioOutput: false,
    });
  });

  it('names each missing WebRTC API in a secure page', () => {
    const noPeer = detectMediaCapabilities({ ...secure, RTCPeerConnection: undefined }).callsUnavailable!;
    expect([noPeer.code, ...noPeer.missing]).to.deep.equal(['no-webrtc', 'RTCPeerConnection']);
    expect(noPeer.message).to.match(/^Calls need WebRTC, and this browser does not provide RTCPeerConnection/);
    const noCapture = detectMediaCapabilities({
      ...secure,
      navigator: { mediaDevices: { enumerateDevices: fn } },
    }).callsUnavailable!;
    expect([noCapture.code, ...noCapture.missing]).to.deep.equal(['no-webrtc', 'navigator.mediaDevices.getUserMedia']);
    const neither = detectMediaCapabilities({ isSecureContext: true }).callsUnavailable!;
    expect(neither.missing).to.deep.equal(['RTCPeerConnection', 'navigator.mediaDevices']);
    expect(neither.message).to.contain('RTCPeerConnection and navigator.mediaDevices');
  });

  it('tells the speaker APIs apart from the call ones', () => {
    const noSink = detectMediaCapabilities({ ...secure, HTMLMediaElement: { prototype: {} } });
    expect(noSink.callsUnavailable).to.equal(undefined);
    expect(noSink.setSinkId).to.equal(false);
    expect(
      detectMediaCapabilities({ ...secure, navigator: { mediaDevices: { ...media, selectAudioOutput: fn } } })
        .selectAudioOutput,
    ).to.equal(true);
  });

  it('tells one event about the same cause', () => {
    const reason = detectMediaCapabilities({ ...secure, RTCPeerConnection: undefined }).callsUnavailable!;
    const told = reason.about('Cannot place the call');
    expect(told).to.be.instanceOf(CallsUnavailableError);
    expect([told.code, ...told.missing]).to.deep.equal(['no-webrtc', 'RTCPeerConnection']);
    expect(told.message).to.equal(`Cannot place the call: ${reason.message}`);
  });
});
