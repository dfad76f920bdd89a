import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { responseTo } from '../transaction/requests';
import { authorized, challenge, setup } from './user-agent.fixtures';

describe('registration (RFC 3261 §10.2, RFC 5626)', () => {
  it('answers the 401 with digest credentials and reports the granted expiry', async () => {
    const t = setup();
    t.serve((request) => {
      if (!authorized(request, 'secret')) return challenge(request);
      const ok = responseTo(request, 200, undefined, 'srv');
      ok.setHeader('Contact', `${request.contact[0]!.toString()};expires=300`);
      return ok;
    });
    const registered: number[] = [];
    t.ua.events.on('registered', ({ expires }) => registered.push(expires));
    await t.ua.start();
    const done = t.ua.register();
    await t.flush();
    const { response } = await done;
    assert.equal(response.status, 200);
    assert.deepEqual(registered, [300]);
    assert.equal(t.ua.registered, true);
    const [first, second] = t.requests('REGISTER');
    assert.equal(first!.uri.toString(), 'sip:example.test', '§10.2: the Request-URI is the domain');
    assert.equal(first!.to.uri.toString(), 'sip:alice@example.test');
    assert.equal(first!.header('Authorization'), undefined);
    assert.ok(second!.header('Authorization')?.includes('username="alice"'));
    assert.equal(second!.callId, first!.callId, '§10.2.4: one Call-ID for all REGISTERs');
    assert.equal(second!.cseq.seq, first!.cseq.seq + 1);
    const contact = first!.header('Contact')!;
    assert.match(contact, /;transport=ws;ob>/);
    assert.match(contact, /reg-id=1/);
    assert.match(contact, /\+sip\.instance="<urn:uuid:[0-9a-f-]{36}>"/);
  });

  it('refreshes before expiry with the same Call-ID and a higher CSeq', async () => {
    const t = setup();
    t.serve((request) => {
      const ok = responseTo(request, 200, undefined, 'srv');
      ok.setHeader('Contact', `${request.contact[0]!.toString()};expires=120`);
      return ok;
    });
    await t.ua.start();
    const done = t.ua.register();
    await t.flush();
    await done;
    t.clock.advance(89_999);
    await t.flush();
    assert.equal(t.requests('REGISTER').length, 1);
    t.clock.advance(1);
    await t.flush();
    const [first, refresh] = t.requests('REGISTER');
    assert.ok(refresh, 'a refresh at expires - 30 s');
    assert.equal(refresh!.callId, first!.callId);
    assert.ok(refresh!.cseq.seq > first!.cseq.seq);
  });

  it('retries a 423 with the Min-Expires asked for (§10.2.8)', async () => {
    const t = setup({ registerExpires: 30 });
    t.serve((request) => {
      if (request.expires! < 60) {
        const brief = responseTo(request, 423, undefined, 'srv');
        brief.setHeader('Min-Expires', '60');
        return brief;
      }
      return responseTo(request, 200, undefined, 'srv');
    });
    await t.ua.start();
    const done = t.ua.register();
    await t.flush();
    assert.equal((await done).response.status, 200);
    assert.deepEqual(
      t.requests('REGISTER').map((r) => r.expires),
      [30, 60],
    );
  });

  it('stops after credentials are refused once, with a readable reason and no loop', async () => {
    const t = setup({ password: 'wrong' });
    t.serve((request) =>
      authorized(request, 'secret') ? responseTo(request, 200, undefined, 'srv') : challenge(request),
    );
    const failures: Array<{ status: number; reason: string }> = [];
    t.ua.events.on('registration-failed', (info) => failures.push(info));
    await t.ua.start();
    const done = t.ua.register();
    await t.flush();
    await done;
    assert.equal(t.requests('REGISTER').length, 2);
    assert.equal(failures[0]?.status, 401);
    assert.match(failures[0]!.reason, /rejected|refused|wrong/i);
    assert.ok(!JSON.stringify(failures).includes('wrong"'), 'the password never appears in the reason');
  });

  it('registers again by itself on a new flow after the connection comes back (RFC 5626 §4.2.1)', async () => {
    const t = setup();
    t.serve((request) => responseTo(request, 200, undefined, 'srv'));
    const events: string[] = [];
    t.ua.events.on('registered', () => events.push('registered'));
    t.ua.events.on('unregistered', ({ reason }) => events.push(`unregistered: ${reason}`));
    await t.ua.start();
    const done = t.ua.register();
    await t.flush();
    await done;
    t.pair.sever('cable pulled');
    await t.flush();
    assert.equal(t.ua.registered, false);
    t.pair.restore();
    await t.flush();
    assert.equal(t.requests('REGISTER').length, 2);
    assert.equal(t.ua.registered, true);
    assert.equal(events[0], 'registered');
    assert.match(events[1]!, /^unregistered: connection lost/);
    assert.equal(events[2], 'registered');
  });

  it('waits for the connection when register() comes before it, as a MESSAGE does', async () => {
    const t = setup();
    t.serve((request) => responseTo(request, 200, undefined, 'srv'));
    const failures: number[] = [];
    t.ua.events.on('registration-failed', ({ status }) => failures.push(status));
    // A page calls register() while the WebSocket is still opening.
    const done = t.ua.register();
    const started = t.ua.start();
    await t.flush();
    await started;
    assert.equal((await done).response.status, 200);
    assert.deepEqual(failures, [], 'no 503 for a REGISTER sent before the connection was up');
    assert.equal(t.requests('REGISTER').length, 1);
    assert.equal(t.ua.registered, true);
  });

  it('fails as a 503 when no connection comes within the wait, and a stop ends the wait at once', async () => {
    const t = setup({ messageQueueTimeoutMs: 5000 });
    const failures: number[] = [];
    t.ua.events.on('registration-failed', ({ status }) => failures.push(status));
    let settled = false;
    const done = t.ua.register().finally(() => (settled = true));
    t.clock.advance(4999);
    await t.flush();
    assert.equal(settled, false, 'still waiting for the connection');
    t.clock.advance(1);
    await t.flush();
    assert.equal((await done).response.status, 503);
    assert.deepEqual(failures, [503]);

    const stopping = setup();
    let ended = false;
    const waiting = stopping.ua.register().finally(() => (ended = true));
    await stopping.ua.stop();
    await stopping.flush();
    assert.equal(ended, true, 'stop() does not leave the REGISTER waiting for 30 s');
    assert.equal((await waiting).response.status, 503);
    assert.equal(stopping.clock.pending, 0, 'no timer of the wait outlives the user agent');
  });

  it('unregisters with Expires 0 on our Contact', async () => {
    const t = setup();
    t.serve((request) => responseTo(request, 200, undefined, 'srv'));
    await t.ua.start();
    const done = t.ua.register();
    await t.flush();
    await done;
    const off = t.ua.unregister();
    await t.flush();
    await off;
    const last = t.requests('REGISTER').at(-1)!;
    assert.equal(last.expires, 0);
    assert.equal(t.ua.registered, false);
  });
});

describe('GRUU (RFC 5627)', () => {
  it('asks for a GRUU and then uses the public GRUU as Contact in dialogs', async () => {
    const t = setup();
    const gruu = 'sip:alice@example.test;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6';
    t.serve((request) => {
      const ok = responseTo(request, 200, undefined, 'srv');
      ok.setHeader(
        'Contact',
        `${request.contact[0]!.toString()};expires=300;pub-gruu="${gruu}";temp-gruu="sip:tgruu.7hs==@example.test;gr"`,
      );
      return ok;
    });
    await t.ua.start();
    const done = t.ua.register();
    await t.flush();
    await done;
    const [register] = t.requests('REGISTER');
    assert.ok(register!.headers('Supported').includes('gruu'), '§4.1: Supported: gruu in REGISTER');
    assert.equal(String(t.ua.core.gruu), gruu);
    assert.equal(t.ua.core.contact().toString(), `<${gruu}>`, 'dialogs use the GRUU (§4.3)');
    assert.match(
      t.ua.core.contact(true).toString(),
      /\.invalid;transport=ws;ob>/,
      'REGISTER keeps the instance Contact',
    );
  });
});

describe('cached credentials (RFC 3261 §22.3, RFC 7616 §3.4)', () => {
  it('sends the refresh with credentials up front, the next nonce count, and no second challenge', async () => {
    const t = setup();
    t.serve((request) => {
      if (!authorized(request, 'secret')) return challenge(request);
      const ok = responseTo(request, 200, undefined, 'srv');
      ok.setHeader('Contact', `${request.contact[0]!.toString()};expires=120`);
      return ok;
    });
    await t.ua.start();
    const done = t.ua.register();
    await t.flush();
    await done;
    assert.equal(t.requests('REGISTER').length, 2, 'challenged once at first');
    t.clock.advance(90_000);
    await t.flush();
    const registers = t.requests('REGISTER');
    assert.equal(registers.length, 3, 'the refresh needed no challenge');
    assert.match(registers[2]!.header('Authorization')!, /nc=00000002/);
    assert.equal(t.ua.registered, true);
  });
});

// Issue 15 item 5: a 200 with Expires 0 made a REGISTER loop of hundreds per second.
describe('registration refresh bounds', () => {
  for (const granted of [0, 1]) {
    it(`waits at least 30 s before refreshing a binding granted ${granted} s`, async () => {
      const t = setup();
      t.serve((request) => {
        const ok = responseTo(request, 200, undefined, 'srv');
        ok.setHeader('Contact', `${request.contact[0]!.toString()};expires=${granted}`);
        return ok;
      });
      await t.ua.start();
      const done = t.ua.register();
      await t.flush();
      await done;
      t.clock.advance(29_999);
      await t.flush();
      assert.equal(t.requests('REGISTER').length, 1, 'no refresh within 30 s');
      t.clock.advance(1);
      await t.flush();
      assert.equal(t.requests('REGISTER').length, 2, 'the refresh after 30 s');
      for (let i = 0; i < 4; i++) {
        t.clock.advance(15_000);
        await t.flush();
      }
      assert.equal(t.requests('REGISTER').length, 4, 'one every 30 s, not more');
    });
  }

  it('waits at least 30 s after a 503 with Retry-After: 1', async () => {
    const t = setup();
    t.serve((request) => {
      const busy = responseTo(request, 503, undefined, 'srv');
      busy.setHeader('Retry-After', '1');
      return busy;
    });
    await t.ua.start();
    const done = t.ua.register();
    await t.flush();
    await done;
    t.clock.advance(29_000);
    await t.flush();
    assert.equal(t.requests('REGISTER').length, 1);
    t.clock.advance(1_000);
    await t.flush();
    assert.equal(t.requests('REGISTER').length, 2);
  });

  it('refreshes a binding granted 4294967295 s within the longest delay a timer can wait, not at once', async () => {
    const t = setup();
    t.serve((request) => {
      const ok = responseTo(request, 200, undefined, 'srv');
      ok.setHeader('Contact', `${request.contact[0]!.toString()};expires=4294967295`);
      return ok;
    });
    await t.ua.start();
    const done = t.ua.register();
    await t.flush();
    await done;
    t.clock.advance(0x7fffffff - 1);
    await t.flush();
    assert.equal(t.requests('REGISTER').length, 1);
    t.clock.advance(1);
    await t.flush();
    assert.equal(t.requests('REGISTER').length, 2);
  });
});
