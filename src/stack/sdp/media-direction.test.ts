import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { answerDirection, offerDirection, reverseDirection, type MediaDirection } from './media-direction';

const ALL: MediaDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

describe('answerDirection (RFC 3264 §6.1)', () => {
  it('answers a willing answerer with the mirror of the offer', () => {
    assert.equal(answerDirection('sendrecv', 'sendrecv'), 'sendrecv');
    assert.equal(answerDirection('sendonly', 'sendrecv'), 'recvonly');
    assert.equal(answerDirection('recvonly', 'sendrecv'), 'sendonly');
    assert.equal(answerDirection('inactive', 'sendrecv'), 'inactive');
  });

  it('answers a hold with inactive when the answerer holds too (RFC 6337 §5.3)', () => {
    assert.equal(answerDirection('sendonly', 'sendonly'), 'inactive');
  });

  it('never lets the answer send what the offer will not receive, for every pair', () => {
    for (const offered of ALL) {
      for (const willing of ALL) {
        const answer = answerDirection(offered, willing);
        const allowed = reverseDirection(offered);
        if (answer === 'sendrecv') assert.equal(allowed, 'sendrecv', `${offered}/${willing}`);
        if (answer === 'sendonly') assert.ok(allowed === 'sendonly' || allowed === 'sendrecv', `${offered}/${willing}`);
        if (answer === 'recvonly') assert.ok(allowed === 'recvonly' || allowed === 'sendrecv', `${offered}/${willing}`);
      }
    }
  });
});

describe('offerDirection (RFC 3264 §8.4, RFC 6337 §5.3)', () => {
  const base = { canSend: true, wantsToReceive: true, localHold: false, peerRefusesToReceive: false };

  it('offers sendrecv with no hold and sendonly when holding', () => {
    assert.equal(offerDirection(base), 'sendrecv');
    assert.equal(offerDirection({ ...base, localHold: true }), 'sendonly');
  });

  it('keeps the peer hold in force: recvonly to resume, inactive to hold', () => {
    assert.equal(offerDirection({ ...base, peerRefusesToReceive: true }), 'recvonly');
    assert.equal(offerDirection({ ...base, peerRefusesToReceive: true, localHold: true }), 'inactive');
  });

  it('offers a stream it does not want (video off) as inactive', () => {
    assert.equal(offerDirection({ ...base, canSend: false, wantsToReceive: false }), 'inactive');
  });
});
