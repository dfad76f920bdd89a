import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFixture } from '../../../test/fixtures/sdp/read-fixture';
import { copyIceCredentials } from './copy-ice-credentials';
import { readMediaLines } from './media-lines';
import { setMediaDirection } from './set-media-direction.fixtures';
import { transportIdentity } from './sdp-facts';

describe('setMediaDirection', () => {
  it('sets every stream and drops the Firefox session-level direction', () => {
    const held = setMediaDirection(readFixture('firefox-offer-audio-video'), 'sendonly');
    assert.doesNotMatch(held.split('m=')[0]!, /a=sendrecv/);
    assert.deepEqual(
      readMediaLines(held).map((line) => line.direction),
      ['sendonly', 'sendonly'],
    );
  });

  it('sets one kind and keeps the effective direction of the others', () => {
    const sdp = setMediaDirection(readFixture('firefox-offer-audio-video'), 'inactive', 'video');
    assert.deepEqual(
      readMediaLines(sdp).map((line) => line.direction),
      ['sendrecv', 'inactive'],
    );
  });

  it('leaves rejected streams rejected, with one m= line per stream', () => {
    const sdp = setMediaDirection(readFixture('gateway-answer-video-rejected'), 'recvonly');
    const lines = readMediaLines(sdp);
    assert.equal(lines.length, 2);
    assert.equal(lines[1]?.rejected, true);
    assert.equal(lines[0]?.direction, 'recvonly');
  });
});

describe('copyIceCredentials', () => {
  it('gives a new offer the credentials of the offer the far end answered', () => {
    const original = readFixture('chrome-offer-audio-video');
    const next = readFixture('firefox-offer-audio-video');
    const copied = copyIceCredentials(next, original);
    const [a, b] = readMediaLines(copied);
    const [o] = readMediaLines(original);
    assert.equal(a?.iceUfrag, o?.iceUfrag);
    assert.equal(b?.icePwd, o?.icePwd);
    assert.notEqual(transportIdentity(copied), transportIdentity(next));
    assert.equal(readMediaLines(copied).length, readMediaLines(next).length);
  });

  it('refuses a source without credentials (a bug in the caller)', () => {
    assert.throws(() => copyIceCredentials(readFixture('chrome-offer-audio-video'), readFixture('legacy-hold-offer')));
  });
});
