import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from './emitter';

type Events = { message: [text: string]; change: [from: number, to: number] };

describe('Emitter', () => {
  it('calls listeners of the emitted event with its arguments, in order', () => {
    const events = new Emitter<Events>();
    const calls: string[] = [];
    events.on('message', (text) => calls.push(`1:${text}`));
    events.on('message', (text) => calls.push(`2:${text}`));
    events.on('change', (from, to) => calls.push(`change ${from}->${to}`));
    events.emit('message', 'hi');
    events.emit('change', 1, 2);
    assert.deepEqual(calls, ['1:hi', '2:hi', 'change 1->2']);
    assert.equal(events.listenerCount('message'), 2);
  });

  it('on() returns the function that removes the listener; off() removes too', () => {
    const events = new Emitter<Events>();
    const calls: string[] = [];
    const listener = (text: string): void => void calls.push(text);
    const off = events.on('message', listener);
    events.emit('message', 'a');
    off();
    events.emit('message', 'b');
    events.on('message', listener);
    events.off('message', listener);
    events.emit('message', 'c');
    assert.deepEqual(calls, ['a']);
    assert.equal(events.listenerCount('message'), 0);
  });

  it('emits to the listeners present when emit() started', () => {
    const events = new Emitter<Events>();
    const calls: string[] = [];
    let offSecond = (): void => {};
    events.on('message', () => {
      calls.push('first');
      offSecond();
      events.on('message', () => calls.push('added'));
    });
    offSecond = events.on('message', () => calls.push('second'));
    events.emit('message', 'x');
    assert.deepEqual(calls, ['first', 'second']);
  });

  it('runs every listener when one throws, reporting to the error handler', () => {
    const errors: unknown[] = [];
    const events = new Emitter<Events>((error, event) => errors.push([event, (error as Error).message]));
    const calls: string[] = [];
    events.on('message', () => {
      throw new Error('page bug');
    });
    events.on('message', (text) => calls.push(text));
    events.emit('message', 'still delivered');
    assert.deepEqual(calls, ['still delivered']);
    assert.deepEqual(errors, [['message', 'page bug']]);
  });

  it('without an error handler, rethrows the first error after all listeners ran', () => {
    const events = new Emitter<Events>();
    const calls: string[] = [];
    events.on('message', () => {
      throw new Error('first');
    });
    events.on('message', () => {
      throw new Error('second');
    });
    events.on('message', () => calls.push('ran'));
    assert.throws(() => events.emit('message', 'x'), /first/);
    assert.deepEqual(calls, ['ran']);
  });

  it('clear() removes every listener', () => {
    const events = new Emitter<Events>();
    events.on('message', () => assert.fail('cleared'));
    events.clear();
    events.emit('message', 'x');
  });
});
