// Which tone the phone picks for its calls, and that the TonePlayer plays the call-waiting tone
// (observed through its `tone` state, not by listening to audio).
import { expect } from '@open-wc/testing';
import { FakeCall } from '../shared/call.fake';
import { TonePlayer } from '../shared/tone-player';
import { phoneTone } from './call-waiting';

const ringing = () => new FakeCall('incoming', { uri: 'sip:carol@example.com', displayName: 'Carol' });
const inCall = (state: 'connected' | 'held') =>
  new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: undefined }, state);

describe('call waiting: the phone tone', () => {
  it('rings with the ringtone when no other call is up', () => {
    expect(phoneTone([ringing()])).to.equal('ringtone');
    expect(
      phoneTone([
        new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: undefined }, 'calling'),
        ringing(),
      ]),
    ).to.equal('ringtone');
  });

  it('announces a call with the call-waiting tone while another is connected or held', () => {
    expect(phoneTone([inCall('connected'), ringing()])).to.equal('call-waiting');
    expect(phoneTone([inCall('held'), ringing()])).to.equal('call-waiting');
  });

  it('plays ringback for an outgoing call the far end rings, and nothing otherwise', () => {
    expect(
      phoneTone([new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: undefined }, 'ringing')]),
    ).to.equal('ringback');
    expect(phoneTone([inCall('connected')])).to.equal(undefined);
    expect(phoneTone([])).to.equal(undefined);
  });

  it('TonePlayer plays the call-waiting tone, a single 440 Hz tone, and switches from it', () => {
    // The oscillators the player starts, seen through the WebAudio API it calls.
    let frequencies: number[] = [];
    const Native = window.OscillatorNode;
    window.OscillatorNode = class extends Native {
      constructor(context: BaseAudioContext, options?: OscillatorOptions) {
        super(context, options);
        frequencies.push(options?.frequency ?? 0);
      }
    };
    const player = new TonePlayer();
    try {
      player.play('call-waiting');
      expect(player.tone).to.equal('call-waiting');
      expect(frequencies).to.deep.equal([440]);
      frequencies = [];
      player.play('ringtone');
      expect(player.tone).to.equal('ringtone');
      expect(frequencies).to.deep.equal([440, 480]);
    } finally {
      window.OscillatorNode = Native;
      player.close();
    }
    expect(player.tone).to.equal(undefined);
  });
});
