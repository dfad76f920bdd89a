import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StateError } from '../core/errors';
import { OfferAnswerState } from './offer-answer-state';

describe('OfferAnswerState (RFC 3264 §4, RFC 3261 §14)', () => {
  it('walks an INVITE offer, early answers and the final answer', () => {
    const state = new OfferAnswerState();
    assert.equal(state.transition('local-offer'), 'have-local-offer');
    assert.equal(state.transition('remote-pranswer'), 'have-remote-pranswer');
    assert.equal(state.transition('remote-pranswer'), 'have-remote-pranswer', 'a second 183, maybe another fork');
    assert.equal(state.transition('remote-answer'), 'stable');
  });

  it('walks an offer in a 200 answered in the ACK', () => {
    const state = new OfferAnswerState();
    state.transition('remote-offer');
    assert.equal(state.transition('local-answer'), 'stable');
  });

  it('reports glare (491) for a remote offer while ours is out, and 500 while we owe an answer', () => {
    const state = new OfferAnswerState();
    assert.equal(state.remoteOfferConflict(), undefined);
    state.transition('local-offer');
    assert.equal(state.remoteOfferConflict(), 'glare');
    assert.equal(state.localOfferConflict(), 'awaiting-answer');
    state.transition('remote-pranswer');
    assert.equal(state.remoteOfferConflict(), 'glare');
    state.transition('remote-answer');
    state.transition('remote-offer');
    assert.equal(state.remoteOfferConflict(), 'answer-owed');
    assert.equal(state.localOfferConflict(), 'answer-owed');
  });

  it('rolls back a rejected re-offer and a rejected remote offer', () => {
    const state = new OfferAnswerState();
    state.transition('local-offer');
    assert.equal(state.transition('rollback'), 'stable');
    state.transition('remote-offer');
    assert.equal(state.transition('rollback'), 'stable');
  });

  it('refuses illegal moves with a StateError and stays put', () => {
    const state = new OfferAnswerState();
    assert.equal(state.can('remote-answer'), false);
    assert.throws(
      () => state.transition('remote-answer'),
      (error) => error instanceof StateError && error.state === 'stable',
    );
    assert.equal(state.phase, 'stable');
    state.transition('local-offer');
    state.transition('remote-pranswer');
    assert.throws(
      () => state.transition('rollback'),
      StateError,
      'an early-answered INVITE is cancelled, not rolled back',
    );
    assert.throws(() => state.transition('local-offer'), StateError);
    assert.equal(state.phase, 'have-remote-pranswer');
  });
});
