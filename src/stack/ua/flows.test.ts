import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SipRequest } from '../message/message';
import { parseMessage } from '../message/parser';
import { responseTo } from '../transaction/requests';
import { twoFlows } from './flows.fixtures';

/** Two flows up and registered. */
async function registered() {
  const t = twoFlows();
  const started = t.ua.start();
  t.acceptAll();
  await started;
  const done = t.ua.register();
  await t.settle();
  assert.equal((await done).response.status, 200);
  return t;
}

describe('RFC 5626 flows: one registration per flow', () => {
  it('registers each flow on its own connection with the same instance, reg-id 1 and 2, and its own Call-ID', async () => {
    const t = await registered();
    const [one] = t.requests('REGISTER', 1);
    const [two] = t.requests('REGISTER', 2);
    assert.ok(one && two, 'a REGISTER on each flow');
    assert.equal(t.requests('REGISTER').length, 2, 'one each, no more');
    const param = (request: typeof one, name: string) =>
      request.message.contact[0] !== '*' && request.message.contact[0]?.params.get(name);
    assert.equal(param(one, 'reg-id'), '1');
    assert.equal(param(two, 'reg-id'), '2');
    assert.equal(param(one, '+sip.instance'), param(two, '+sip.instance'), '§4.2.1: one instance');
    assert.notEqual(one.message.callId, two.message.callId, 'each flow registers in its own Call-ID');
    assert.equal(t.ua.registrations.all.filter((r) => r.registered).length, 2);
    assert.equal(t.ua.registered, true);
  });

  it('answers a request on the flow it came on (RFC 3261 §18.2.2)', async () => {
    const t = await registered();
    const socket = t.servers[1]!.last;
    const before = socket.sent.length;
    const message = [
      'MESSAGE sip:alice@example.test SIP/2.0',
      'Via: SIP/2.0/WSS edge2.example.test;branch=z9hG4bKfromtwo',
      'Max-Forwards: 70',
      'From: <sip:bob@example.test>;tag=b1',
      'To: <sip:alice@example.test>',
      'Call-ID: m1',
      'CSeq: 1 MESSAGE',
      'Content-Type: text/plain',
      'Content-Length: 2',
      '',
      'hi',
    ].join('\r\n');
    const other = t.servers[0]!.last.sent.length;
    socket.message(message);
    await t.settle();
    assert.match(socket.sent.slice(before).join('\n'), /^SIP\/2\.0 200/m, 'the 200 went back on flow 2');
    assert.equal(
      t.servers[0]!.last.sent.filter((text, i) => i >= other && text.startsWith('SIP/2.0')).length,
      0,
      'nothing on flow 1',
    );
  });
});

describe('RFC 5626 flows: a dead flow', () => {
  it('is noticed by the keep-alive, leaves the phone registered on the other flow, and comes back with backoff', async () => {
    const t = await registered();
    t.silent.add(1); // edge 1 dies without closing the connection
    const lost = new Promise<number>((resolve) => {
      t.ua.events.on('flow', (flow, state, info) => {
        if (flow === 1 && state === 'disconnected' && info.previous === 'connected') resolve(info.reconnectInMs ?? -1);
      });
    });
    let unregistered = 0;
    t.ua.events.on('unregistered', () => unregistered++);
    await t.pass(30_000 + 10_000); // a ping at 80-100 % of 30 s, then the 10 s pong wait
    const retryIn = await lost;
    assert.equal(
      t.flowEvents.filter((e) => e.flow === 1 && e.state === 'disconnected').at(-1)?.info.error?.code,
      'keep-alive-timeout',
    );
    assert.ok(retryIn >= 0 && retryIn <= 250, `the first retry comes quickly, got ${retryIn} ms`);
    assert.equal(t.ua.registrations.all[0]!.registered, false, 'flow 1 lost its binding');
    assert.equal(t.ua.registered, true, 'still registered through flow 2');
    assert.equal(unregistered, 0, 'the page is not told "unregistered" while a flow holds');

    // Edge 1 is still down: the quick retry fails, and the next one is drawn from the jittered window.
    await t.pass(1000);
    t.servers[0]!.last.refuse('ECONNREFUSED');
    const second = t.flowEvents.at(-1)!;
    assert.equal(second.flow, 1);
    assert.ok(
      second.info.reconnectInMs! > 250 && second.info.reconnectInMs! <= 25_000,
      `then jittered over 25 s, got ${second.info.reconnectInMs}`,
    );

    // Edge 1 is back: the next attempt connects and registers flow 1 again, reg-id 1.
    t.silent.delete(1);
    const registers = t.requests('REGISTER', 1).length;
    await t.pass(second.info.reconnectInMs! + 1000);
    t.acceptAll();
    await t.settle();
    const again = t.requests('REGISTER', 1).slice(registers);
    assert.equal(again.length, 1, 'flow 1 registers again over its new connection');
    assert.match(again[0]!.message.header('Contact')!, /reg-id=1/);
    assert.equal(t.ua.registrations.all[0]!.registered, true);
  });

  it('fails only the transactions sent on the lost flow', async () => {
    const t = await registered();
    t.silent.add(2); // flow 2 will not answer its MESSAGE
    // Make flow 2 the live one: flow 1 drops and comes back.
    t.servers[0]!.last.serverClose(1006);
    await t.settle();
    assert.equal(t.flows.liveFlow, 2);
    const pending = t.ua.sendMessage('bob', 'on flow 2');
    await t.settle();
    assert.equal(
      t.servers[1]!.last.sent.filter((text) => text.startsWith('MESSAGE')).length,
      1,
      'the MESSAGE went out on flow 2',
    );
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    // Flow 1 reconnects and drops again: the MESSAGE on flow 2 must not be failed (nor resent).
    await t.pass(1000);
    t.acceptAll();
    await t.settle();
    t.servers[0]!.last.serverClose(1006);
    await t.settle();
    assert.equal(settled, false, 'still waiting for its answer on flow 2');
    assert.equal(t.servers[1]!.last.sent.filter((text) => text.startsWith('MESSAGE')).length, 1, 'not resent');
    // Edge 2 answers at last.
    const message = t.requests('MESSAGE').at(-1);
    assert.equal(message, undefined, 'the silent server never read it');
    const sent = t.servers[1]!.last.sent.find((text) => text.startsWith('MESSAGE'))!;
    const request = parseMessage(sent) as SipRequest;
    t.servers[1]!.last.message(responseTo(request, 200, undefined, 'late').toString());
    await t.settle();
    assert.equal(settled, true);
  });
});

describe('RFC 5626 flows: the live flow', () => {
  it('sends new requests on the live flow, moves dialogs when it dies, and stays on the new one when the old comes back', async () => {
    const t = await registered();
    let moved = 0;
    const subscriptions = t.ua.subscriptions;
    const original = subscriptions.flowChanged.bind(subscriptions);
    subscriptions.flowChanged = () => {
      moved++;
      original();
    };
    await Promise.all([t.ua.sendMessage('bob', 'one'), t.settle()]);
    assert.deepEqual(
      t.requests('MESSAGE').map((r) => r.flow),
      [1],
      'flow 1 is live first',
    );

    t.servers[0]!.last.serverClose(1006);
    await t.settle();
    assert.equal(t.flows.liveFlow, 2);
    assert.equal(moved, 1, 'dialogs move to the new live flow (as after a reconnect)');
    await Promise.all([t.ua.sendMessage('bob', 'two'), t.settle()]);
    assert.deepEqual(
      t.requests('MESSAGE').map((r) => r.flow),
      [1, 2],
      'then flow 2',
    );

    await t.pass(1000);
    t.acceptAll();
    await t.settle();
    assert.equal(t.flows.flowState(1), 'connected', 'flow 1 is back');
    await Promise.all([t.ua.sendMessage('bob', 'three'), t.settle()]);
    assert.deepEqual(
      t.requests('MESSAGE').map((r) => r.flow),
      [1, 2, 2],
      'the live flow stays where the dialogs are',
    );
    assert.equal(moved, 1, 'no second move');
    assert.equal(t.flows.state, 'connected', 'connected throughout');
  });

  it('is disconnected as a whole only when every flow is', async () => {
    const t = await registered();
    const whole: string[] = [];
    t.ua.events.on('transport', (state) => whole.push(state));
    t.servers[0]!.last.serverClose(1006);
    await t.settle();
    assert.deepEqual(whole, []);
    t.servers[1]!.last.serverClose(1006);
    await t.settle();
    assert.deepEqual(whole, ['disconnected']);
    assert.equal(t.ua.registered, false);
    assert.equal(t.flows.liveFlow, undefined);
  });
});

describe('RFC 5626 flows: stopping', () => {
  it('does not wait for a flow whose server is down', async () => {
    const t = twoFlows();
    const started = t.ua.start();
    t.servers[0]!.last.accept(); // edge 2 never answers the handshake
    await started;
    const registering = t.ua.register();
    await t.settle();
    assert.equal((await registering).response.status, 200, 'registered over flow 1 without waiting for flow 2');
    let stopped = false;
    void t.ua.stop().then(() => (stopped = true));
    for (let i = 0; i < 5 && !stopped; i++) {
      await t.settle();
      for (const server of t.servers)
        for (const socket of server.sockets) if (socket.readyState === 2) socket.finishClose();
    }
    assert.equal(stopped, true, 'stopped without the 30 s wait for flow 2');
    assert.equal(t.clock.now() < 10_000, true);
    assert.equal(
      t.requests('REGISTER', 1).filter((r) => r.message.expires === 0 || r.message.header('Expires') === '0').length,
      1,
      'flow 1 unregistered',
    );
  });
});
