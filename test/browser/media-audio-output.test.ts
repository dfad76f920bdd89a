// Choosing the speaker in Chromium and Firefox: both can set it (setSinkId), but Chromium lists
// speakers in enumerateDevices() while Firefox hands them out only through selectAudioOutput(), a
// user prompt; the helpers report which way applies and set the default output in both.
import { expect } from '@open-wc/testing';
import { audioOutputSelection, canChooseAudioOutput, listAudioOutputs, setAudioOutput } from '../../src/media/audio-output';
import { isFirefox } from './media-test-helpers';

describe('audio output', () => {
  it('says how this browser chooses a speaker', async () => {
    expect(canChooseAudioOutput()).to.equal(true);
    expect(audioOutputSelection()).to.equal(isFirefox ? 'prompt' : 'list');
    // Permission first: Chromium lists devices only for a page that may use media.
    (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks().forEach((track) => track.stop());
    const outputs = await listAudioOutputs();
    if (isFirefox) expect(outputs).to.have.length(0);
    else expect(outputs.length).to.be.above(0);
  });

  it('plays an element on the default output, and refuses an unknown device', async () => {
    const audio = document.createElement('audio');
    expect(await setAudioOutput(audio, '')).to.equal(true);
    expect(audio.sinkId).to.equal('');
    expect(await setAudioOutput(audio, 'no-such-device')).to.equal(false);
  });
});
