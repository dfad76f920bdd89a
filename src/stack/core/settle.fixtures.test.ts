import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './clock.fake';
import { settle } from './settle.fixtures';

describe("settle (the tests' one way to let the fake world come to rest)", () => {
  it('runs an exchange of zero-delay timers and awaits to its end, however many rounds it takes', async () => {
    const clock = new FakeClock();
    let hops = 0;
    // Each hop is a delivery (a zero-delay timer) whose handler awaits before sending the next:
    // 50 hops is more than any fixed round count the old flush() copies used.
    const hop = () =>
      clock.setTimeout(async () => {
        await Promise.resolve();
        await Promise.resolve();
        if (++hops < 50) hop();
      }, 0);
    hop();
    await settle(clock);
    assert.equal(hops, 50);
    assert.equal(clock.now(), 0, 'time did not move');
  });

  it('leaves later timers alone', async () => {
    const clock = new FakeClock();
    let fired = false;
    clock.setTimeout(() => (fired = true), 1);
    await settle(clock);
    assert.equal(fired, false);
    assert.equal(clock.pending, 1);
  });

  it('throws on timers that re-arm at the same instant forever', async () => {
    const clock = new FakeClock();
    // Re-armed from a promise job, as the stack would: one round never ends, only the rounds do.
    const again = (): void =>
      void clock.setTimeout(async () => {
        await Promise.resolve();
        again();
      }, 0);
    again();
    await assert.rejects(settle(clock), /timers still due at 0 ms after 1000 rounds/);
  });
});
