import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../core/clock.fake';
import { seededRandom } from '../core/seeded-random.fake';
import { KeepAlive } from './keep-alive';

function setup(intervalMs = 30_000, pongTimeoutMs = 10_000) {
  const clock = new FakeClock();
  const pings: number[] = [];
  const dead: string[] = [];
  let failPing = false;
  const keepAlive = new KeepAlive(
    { intervalMs, pongTimeoutMs },
    {
      clock,
      random: seededRandom(21),
      sendPing: () => {
        if (failPing) throw new Error('socket gone');
        pings.push(clock.now());
      },
      onDead: (reason) => dead.push(reason),
    },
  );
  return { clock, pings, dead, keepAlive, failNextPing: () => (failPing = true) };
}

describe('KeepAlive (RFC 5626 §4.4.1)', () => {
  it('pings between 80% and 100% of the interval, again after each pong', () => {
    const { clock, pings, keepAlive, dead } = setup();
    keepAlive.start();
    clock.advance(23_999);
    assert.deepEqual(pings, [], 'no ping before 80% of the interval');
    clock.advance(6_001);
    assert.equal(pings.length, 1, 'one ping by 100% of the interval');
    assert.ok(keepAlive.awaitingPong);

    const gaps: number[] = [];
    for (let i = 0; i < 20; i++) {
      clock.advance(50);
      keepAlive.pongReceived();
      const pongAt = clock.now();
      assert.equal(clock.pending, 1, 'only the next ping is scheduled');
      clock.runNext();
      assert.equal(pings.length, i + 2);
      gaps.push(pings.at(-1)! - pongAt);
    }
    for (const gap of gaps) assert.ok(gap >= 24_000 && gap <= 30_000, `gap ${gap} within 80–100%`);
    assert.ok(new Set(gaps).size > 5, 'the intervals vary (jitter)');
    assert.deepEqual(dead, []);
  });

  it('declares the flow dead when no pong comes within the timeout', () => {
    const { clock, pings, dead, keepAlive } = setup();
    keepAlive.start();
    clock.runNext();
    assert.equal(pings.length, 1);
    clock.advance(9_999);
    assert.deepEqual(dead, []);
    clock.advance(1);
    assert.deepEqual(dead, ['keep-alive pong missing after 10000 ms']);
    clock.advance(120_000);
    assert.equal(pings.length, 1, 'no more pings on a dead flow');
    assert.equal(clock.pending, 0);
  });

  it('declares the flow dead when the ping cannot be sent', () => {
    const { clock, dead, keepAlive, failNextPing } = setup();
    keepAlive.start();
    failNextPing();
    clock.advance(30_000);
    assert.equal(dead.length, 1);
    assert.match(dead[0]!, /could not be sent: socket gone/);
  });

  it('ignores a pong nobody asked for, and stop() cancels everything', () => {
    const { clock, pings, keepAlive } = setup();
    keepAlive.start();
    keepAlive.pongReceived();
    clock.advance(30_000);
    assert.equal(pings.length, 1);
    keepAlive.stop();
    assert.equal(clock.pending, 0);
    clock.advance(100_000);
    assert.equal(pings.length, 1);
  });

  it('probe() pings at once unless a pong is awaited', () => {
    const { clock, pings, keepAlive } = setup();
    keepAlive.probe();
    assert.deepEqual(pings, [], 'not running: no probe');
    keepAlive.start();
    clock.advance(1_000);
    keepAlive.probe();
    assert.deepEqual(pings, [1_000]);
    keepAlive.probe();
    assert.deepEqual(pings, [1_000], 'one outstanding ping at a time');
  });

  it('setInterval() (Flow-Timer) reschedules the next ping', () => {
    const { clock, pings, keepAlive } = setup();
    keepAlive.start();
    keepAlive.setInterval(5_000);
    clock.advance(5_000);
    assert.equal(pings.length, 1);
    assert.ok(pings[0]! >= 4_000);
    assert.equal(keepAlive.intervalMs, 5_000);
  });

  it('an interval of 0 sends no periodic pings but still probes', () => {
    const { clock, pings, keepAlive } = setup(0);
    keepAlive.start();
    clock.advance(1_000_000);
    assert.deepEqual(pings, []);
    keepAlive.probe();
    assert.equal(pings.length, 1);
  });
});
