import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../core/clock.fake';
import { TransportError } from '../core/errors';
import { seededRandom } from '../core/seeded-random.fake';
import { createMemoryTransportPair } from './memory-transport.fake';
import type { Transport, TransportState, TransportStateInfo } from './transport';

function setup() {
  const clock = new FakeClock();
  const pair = createMemoryTransportPair({ clock, random: seededRandom(4) });
  const record = (transport: Transport) => {
    const received: string[] = [];
    const changes: { state: TransportState; info: TransportStateInfo }[] = [];
    transport.onMessage((text) => received.push(text));
    transport.onStateChange((state, info) => changes.push({ state, info }));
    return { received, changes, states: () => changes.map((c) => c.state) };
  };
  return { clock, pair, a: pair.a, b: pair.b, atA: record(pair.a), atB: record(pair.b) };
}

const isTransportError = (code: string) => (error: unknown) => error instanceof TransportError && error.code === code;

describe('memory transport pair', () => {
  it('connects both ends on one flow, and reports like a real transport', async () => {
    const { a, b, atA, atB } = setup();
    assert.equal(a.state, 'disconnected');
    await a.connect();
    assert.equal(a.state, 'connected');
    assert.equal(b.state, 'connected');
    assert.ok(a.flowId);
    assert.equal(a.flowId, b.flowId);
    assert.deepEqual(atA.states(), ['connecting', 'connected']);
    assert.deepEqual(atB.states(), ['connecting', 'connected']);
    assert.equal(atA.changes[1]!.info.flowId, a.flowId);
    assert.equal(a.reliable, true);
    assert.equal(a.protocol, 'WSS');
    assert.match(a.viaHost, /^[a-z0-9]{12}\.invalid$/);
    assert.notEqual(a.viaHost, b.viaHost);
  });

  it('delivers asynchronously on the clock, in order, and logs what was sent', async () => {
    const { clock, a, b, atA, atB } = setup();
    await a.connect();
    a.send('one');
    a.send('two');
    b.send('reply');
    assert.deepEqual(atB.received, [], 'nothing arrives inside send()');
    clock.advance(0);
    assert.deepEqual(atB.received, ['one', 'two']);
    assert.deepEqual(atA.received, ['reply']);
    assert.deepEqual(a.sent, ['one', 'two']);
    assert.deepEqual(b.sent, ['reply']);
  });

  it('refuses to send when not connected', () => {
    const { a } = setup();
    assert.throws(() => a.send('x'), isTransportError('not-connected'));
  });

  it('drop() swallows matching messages until its remover is called', async () => {
    const { clock, a, atB } = setup();
    await a.connect();
    const stop = a.drop((text) => text.startsWith('INVITE'));
    a.send('INVITE sip:b SIP/2.0');
    a.send('OPTIONS sip:b SIP/2.0');
    clock.advance(0);
    assert.deepEqual(atB.received, ['OPTIONS sip:b SIP/2.0']);
    assert.deepEqual(a.dropped, ['INVITE sip:b SIP/2.0']);
    assert.equal(a.sent.length, 2, 'dropped messages were still sent');
    stop();
    a.send('INVITE sip:b SIP/2.0');
    clock.advance(0);
    assert.equal(atB.received.length, 2);
  });

  it('delay() holds delivery for the given time on the clock', async () => {
    const { clock, a, atB } = setup();
    await a.connect();
    a.delay(500);
    a.send('slow');
    clock.advance(499);
    assert.deepEqual(atB.received, []);
    clock.advance(1);
    assert.deepEqual(atB.received, ['slow']);
    assert.throws(() => a.delay(-1), RangeError);
  });

  it('failNextSend() makes exactly the next send throw a TransportError', async () => {
    const { clock, a, atB } = setup();
    await a.connect();
    a.failNextSend('boom');
    assert.throws(
      () => a.send('lost'),
      (e: unknown) => isTransportError('send-failed')(e) && (e as Error).message === 'boom',
    );
    a.send('ok');
    clock.advance(0);
    assert.deepEqual(atB.received, ['ok']);
    assert.deepEqual(a.sent, ['ok']);
  });

  it('sever() loses the connection and messages in flight; restore() reconnects on a new flow', async () => {
    const { clock, pair, a, b, atA, atB } = setup();
    await a.connect();
    const flow = a.flowId;
    a.send('in flight');
    pair.sever('cable pulled');
    assert.equal(pair.linked, false);
    assert.equal(a.state, 'disconnected');
    assert.equal(b.state, 'disconnected');
    assert.equal(a.flowId, undefined);
    const lost = atA.changes.at(-1)!.info;
    assert.equal(lost.reason, 'cable pulled');
    assert.equal(lost.error?.code, 'connection-closed');
    clock.advance(0);
    assert.deepEqual(atB.received, []);
    await assert.rejects(a.connect(), isTransportError('connection-failed'));

    pair.restore();
    assert.equal(a.state, 'connected');
    assert.equal(b.state, 'connected');
    assert.ok(a.flowId && a.flowId !== flow);
    a.send('after');
    clock.advance(0);
    assert.deepEqual(atB.received, ['after']);
    assert.equal(clock.pending, 0);
  });

  it('reconnectNow() moves both ends to a new flow, losing what was in flight', async () => {
    const { clock, a, b, atA, atB } = setup();
    await a.connect();
    const flow = a.flowId;
    a.send('old flow');
    a.reconnectNow('test');
    assert.deepEqual(atA.states().slice(-3), ['disconnected', 'connecting', 'connected']);
    assert.equal(atA.changes.at(-3)!.info.reason, 'test');
    assert.notEqual(a.flowId, flow);
    assert.equal(a.flowId, b.flowId);
    clock.advance(0);
    assert.deepEqual(atB.received, []);
  });

  it('disconnect() closes this end and tells the other; networkChanged() brings back a wanted end', async () => {
    const { a, b, atA, atB } = setup();
    await a.connect();
    await b.disconnect();
    assert.deepEqual(atB.states().slice(-2), ['closing', 'disconnected']);
    assert.equal(atA.changes.at(-1)!.info.error?.code, 'connection-closed');
    assert.equal(a.state, 'disconnected');

    b.networkChanged();
    assert.equal(b.state, 'disconnected', 'b disconnected on purpose: stays down');
    a.networkChanged();
    assert.equal(a.state, 'connected');
  });

  it('records the Flow-Timer the UA passes on', () => {
    const { a } = setup();
    a.setFlowTimer(120);
    assert.equal(a.flowTimerSeconds, 120);
  });
});
