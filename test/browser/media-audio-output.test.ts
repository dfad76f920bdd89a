// Choosing the speaker differs by engine: Chromium lists speakers in enumerateDevices() and sets
// one with setSinkId; Firefox sets one too but hands speakers out only through selectAudioOutput(),
// a user prompt; WebKitGTK has no setSinkId at all, so the phone offers no speaker choice there.
// The helpers report which way applies, and set the default output where the browser can.
import { expect } from '@open-wc/testing';
import {
  audioOutputSelection,
  canChooseAudioOutput,
  listAudioOutputs,
  setAudioOutput,
} from '../../src/media/audio-output';
import { isFirefox, isWebKit } from './media-test-helpers';

const expected = isFirefox ? 'prompt' : isWebKit ? 'none' : 'list';

describe('audio output', () => {
  it('says how this browser chooses a speaker', async () => {
    expect(audioOutputSelection()).to.equal(expected);
    expect(canChooseAudioOutput()).to.equal(expected !== 'none');
    // Permission first: Chromium lists devices only for a page that may use media.
    (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks().forEach((track) => track.stop());
    const outputs = await listAudioOutputs();
    if (expected === 'list') expect(outputs.length).to.be.above(0);
    if (expected === 'none') expect(outputs).to.have.length(0);
    // Firefox lists the outputs of its sound backend (cubeb's mock one in the tests, tools/browsers.mjs).
    if (outputs.length)
      expect(await setAudioOutput(document.createElement('audio'), outputs.at(-1)!.deviceId)).to.equal(true);
  });

  it('plays an element on the default output where the browser can choose one, and refuses an unknown device', async () => {
    const audio = document.createElement('audio');
    expect(await setAudioOutput(audio, '')).to.equal(expected !== 'none');
    if (expected !== 'none') expect(audio.sinkId).to.equal('');
    expect(await setAudioOutput(audio, 'no-such-device')).to.equal(false);
  });
});
