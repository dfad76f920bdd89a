// Screen sharing between two <sip-phone> elements at Kamailio. In Chromium (getDisplayMedia picks
// its fake screen under --use-fake-ui-for-media-stream): on an audio call shareScreen() adds a
// sendonly video stream by re-INVITE and the peer's <sip-video> shows the screen's frames; on a
// video call the screen replaces the camera with no re-INVITE, and the camera comes back when the
// user ends the sharing. Headless Firefox has no screen to capture: getDisplayMedia, called from a
// real click (it needs user activation), rejects with NotFoundError, which the call reports as a
// sip-error and goes on unchanged.
import { expect, oneEvent } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import type { SipPhone, SipVideo } from '../../src/index';
import { readMediaLines } from '../../src/stack/sdp/media-lines';
import { kamailio, makePhone, removePhones, waitFor, waitForMedia, type KamailioInfo } from './elements-helpers';
import { connectedCall, invites, recordSent, sentTrack, sessionOf } from './elements-media-helpers';
import { isFirefox } from './media-test-helpers';
import { describeNeedingWebRTC } from './webrtc-capability';

const videoDirection = (message: string) =>
  readMediaLines(message.slice(message.indexOf('\r\n\r\n') + 4)).find((line) => line.kind === 'video')?.direction;

describeNeedingWebRTC('<sip-call> at Kamailio: screen sharing', () => {
  let info: KamailioInfo;
  let alice: SipPhone;
  let bob: SipPhone;
  let view: SipVideo;

  before(async () => {
    info = await kamailio();
  });
  beforeEach(async () => {
    alice = await makePhone(info, 'alice');
    bob = await makePhone(info, 'bob');
    view = document.createElement('sip-video') as SipVideo;
    view.setAttribute('for', 'bob-phone');
    document.body.append(view);
  });
  afterEach(async () => {
    view.remove();
    await removePhones();
  });

  const remoteVideo = () => view.shadowRoot!.querySelector<HTMLVideoElement>('[part="remote"]')!;

  if (isFirefox) {
    it('reports that headless Firefox has no screen to share, and the call goes on', async () => {
      const [outgoing] = await connectedCall(alice, bob);
      const sent = recordSent(alice);
      await outgoing.updateComplete;
      const button = outgoing.shadowRoot!.querySelector<HTMLButtonElement>('[part~="share-button"]')!;
      button.scrollIntoView();
      const box = button.getBoundingClientRect();
      const error = oneEvent(outgoing, 'sip-error');
      await sendMouse({
        type: 'click',
        position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)],
      });
      expect((await error).detail.error.message).to.match(/^Share screen: .*can not be found/);
      expect(outgoing.sharingScreen).to.equal(false);
      expect(outgoing.state).to.equal('connected');
      expect(invites(sent)).to.deep.equal([]);
    });
    return;
  }

  it('adds the screen to an audio call as a sendonly video stream (re-INVITE), shown in the peer’s <sip-video>', async () => {
    const [outgoing, incoming] = await connectedCall(alice, bob);
    const sent = recordSent(alice);
    await outgoing.shareScreen();
    expect(outgoing.sharingScreen).to.equal(true);
    expect(invites(sent)).to.have.length(1);
    expect(videoDirection(invites(sent)[0]!), 'we only send video').to.equal('sendonly');
    const screen = sentTrack(outgoing, 'video')!;
    expect(screen.getSettings().displaySurface, 'the screen on the video sender').to.be.a('string');
    expect(sessionOf(outgoing).localStream.getVideoTracks()).to.deep.equal([screen]);
    await waitForMedia(incoming, 'video', 'the screen reaching bob');
    await waitFor('bob’s <sip-video> to show it', () => view.hasAttribute('active') && remoteVideo().videoWidth > 0);
    await outgoing.updateComplete;
    expect(outgoing.shadowRoot!.querySelector('[part~="share-button"]')!.getAttribute('aria-pressed')).to.equal('true');

    await outgoing.stopSharing();
    expect(outgoing.sharingScreen).to.equal(false);
    expect(invites(sent)).to.have.length(2);
    expect(videoDirection(invites(sent)[1]!), 'the video stream stays, inactive').to.equal('inactive');
    expect(screen.readyState, 'the capture stopped').to.equal('ended');
    await waitForMedia(incoming, 'audio', 'audio going on');
  });

  it('replaces the camera on a video call with no re-INVITE, and brings it back when the user ends sharing', async () => {
    const [outgoing, incoming] = await connectedCall(alice, bob, true);
    const camera = sentTrack(outgoing, 'video')!;
    expect(camera.getSettings().displaySurface).to.equal(undefined);
    const sent = recordSent(alice);
    await outgoing.shareScreen();
    const screen = sentTrack(outgoing, 'video')!;
    expect(screen).not.to.equal(camera);
    expect(screen.getSettings().displaySurface).to.be.a('string');
    await waitForMedia(incoming, 'video', 'the screen reaching bob');

    // The user stops sharing from the browser: the capture track ends by itself.
    screen.stop();
    screen.dispatchEvent(new Event('ended'));
    await waitFor('the camera back on the sender', () => sentTrack(outgoing, 'video') === camera);
    expect(outgoing.sharingScreen).to.equal(false);
    expect(camera.readyState).to.equal('live');
    await waitForMedia(incoming, 'video', 'the camera reaching bob again');
    expect(invites(sent)).to.deep.equal([]);
  });
});
