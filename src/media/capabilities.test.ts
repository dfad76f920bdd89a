// Capability detection (issues 20 and 23): what a page offers for calls, from the globals a page
// has. The environments below are the ones browsers really present: an http:// page of another
// host has no navigator.mediaDevices (but RTCPeerConnection), WebKitGTK has no RTCPeerConnection.
import { expect } from '@open-wc/testing';
import { CallsUnavailableError, detectMediaCapabilities, mediaCapabilities, type MediaEnvironment } from './capabilities';

const fn = (): void => undefined;
const media = { getUserMedia: fn, enumerateDevices: fn };
const sinkable = { prototype: { setSinkId: fn } };
const secure: MediaEnvironment = { isSecureContext: true, navigator: { mediaDevices: media }, RTCPeerConnection: fn, HTMLMediaElement: sinkable };

describe('media capabilities', () => {
  it('finds calls possible where WebRTC and device access are there, as in this test page', () => {
    const here = mediaCapabilities();
    expect(here.callsUnavailable).to.equal(undefined);
    expect(here).to.include({ peerConnection: true, getUserMedia: true, enumerateDevices: true, setSinkId: true });
    expect(here.selectAudioOutput).to.equal(typeof (navigator.mediaDevices as { selectAudioOutput?: unknown }).selectAudioOutput === 'function');
    expect(mediaCapabilities()).to.equal(here, 'detected once');
    expect(detectMediaCapabilities(secure).callsUnavailable).to.equal(undefined);
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
    expect(found).to.include({ peerConnection: true, getUserMedia: false, enumerateDevices: false, selectAudioOutput: false });
  });

  it('names each missing WebRTC API in a secure page', () => {
    const noPeer = detectMediaCapabilities({ ...secure, RTCPeerConnection: undefined }).callsUnavailable!;
    expect([noPeer.code, ...noPeer.missing]).to.deep.equal(['no-webrtc', 'RTCPeerConnection']);
    expect(noPeer.message).to.match(/^Calls need WebRTC, and this browser does not provide RTCPeerConnection/);
    const noCapture = detectMediaCapabilities({ ...secure, navigator: { mediaDevices: { enumerateDevices: fn } } }).callsUnavailable!;
    expect([noCapture.code, ...noCapture.missing]).to.deep.equal(['no-webrtc', 'navigator.mediaDevices.getUserMedia']);
    const neither = detectMediaCapabilities({ isSecureContext: true }).callsUnavailable!;
    expect(neither.missing).to.deep.equal(['RTCPeerConnection', 'navigator.mediaDevices']);
    expect(neither.message).to.contain('RTCPeerConnection and navigator.mediaDevices');
  });

  it('tells the speaker APIs apart from the call ones', () => {
    const noSink = detectMediaCapabilities({ ...secure, HTMLMediaElement: { prototype: {} } });
    expect(noSink.callsUnavailable).to.equal(undefined);
    expect(noSink.setSinkId).to.equal(false);
    expect(detectMediaCapabilities({ ...secure, navigator: { mediaDevices: { ...media, selectAudioOutput: fn } } }).selectAudioOutput).to.equal(true);
  });

  it('tells one event about the same cause', () => {
    const reason = detectMediaCapabilities({ ...secure, RTCPeerConnection: undefined }).callsUnavailable!;
    const told = reason.about('Cannot place the call');
    expect(told).to.be.instanceOf(CallsUnavailableError);
    expect([told.code, ...told.missing]).to.deep.equal(['no-webrtc', 'RTCPeerConnection']);
    expect(told.message).to.equal(`Cannot place the call: ${reason.message}`);
  });
});
