import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SipStackError, StateError, TimeoutError, TransportError } from './errors';

describe('stack errors', () => {
  it('TransportError is a SipStackError with a code, a cause, and the RFC 3261 §8.1.3.1 status 503', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new TransportError('connection-failed', 'connection refused', { cause });
    assert.ok(error instanceof TransportError);
    assert.ok(error instanceof SipStackError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'TransportError');
    assert.equal(error.code, 'connection-failed');
    assert.equal(error.message, 'connection refused');
    assert.equal(error.cause, cause);
    assert.equal(error.status, 503);
    assert.match(String(error), /^TransportError: connection refused$/);
  });

  it('TimeoutError names its timer and maps to 408; StateError names the state', () => {
    const timeout = new TimeoutError('B', 'no response within 64*T1');
    assert.ok(timeout instanceof SipStackError);
    assert.equal(timeout.name, 'TimeoutError');
    assert.equal(timeout.timer, 'B');
    assert.equal(timeout.status, 408);

    const state = new StateError('ended', 'cannot answer an ended call');
    assert.ok(state instanceof SipStackError);
    assert.equal(state.name, 'StateError');
    assert.equal(state.state, 'ended');
    assert.ok(!(state instanceof TransportError));
  });
});
