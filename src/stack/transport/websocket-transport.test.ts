import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../core/clock.fake';
import { TransportError } from '../core/errors';
import type { Logger } from '../core/logger';
import { seededRandom } from '../core/seeded-random.fake';
import type { TransportState, TransportStateInfo } from './transport';
import { FakeWebSocketServer } from './websocket.fake';
import { WebSocketTransport } from './websocket-transport';
import type { WebSocketTransportOptions } from './websocket-transport';

const URL = 'wss://sip.example.com/ws';

function setup(options: Partial<WebSocketTransportOptions> = {}) {
  const clock = new FakeClock();
  const server = new FakeWebSocketServer();
  const errors: unknown[][] = [];
  const logger: Logger = { debug() {}, info() {}, warn() {}, error: (...args) => void errors.push(args) };
  const transport = new WebSocketTransport({
    url: URL,
    webSocket: server.WebSocket,
    clock,
    random: seededRandom(1),
    logger,
    ...options,
  });
  const changes: { state: TransportState; info: TransportStateInfo }[] = [];
  transport.onStateChange((state, info) => changes.push({ state, info }));
  const messages: string[] = [];
  transport.onMessage((text) => messages.push(text));
  const states = (): string[] => changes.map((c) => c.state);
  const connect = async (): Promise<void> => {
    const done = transport.connect();
    server.last.accept();
    await done;
  };
  return { clock, server, transport, changes, states, messages, errors, connect };
}

const lastChange = (changes: { state: TransportState; info: TransportStateInfo }[]) => changes.at(-1)!;

describe('WebSocketTransport: setup', () => {
  it('accepts ws:// and wss:// URLs and names the Via transport after them (RFC 7118 §5.2.1)', () => {
    assert.equal(setup({ url: 'ws://127.0.0.1:8080' }).transport.protocol, 'WS');
    assert.equal(setup({ url: 'WSS://Example.COM/sip?x=1' }).transport.protocol, 'WSS');
    assert.equal(setup({ url: 'wss://[2001:db8::1]:65535/ws' }).transport.protocol, 'WSS');
    const { transport } = setup();
    assert.equal(transport.reliable, true);
    assert.equal(transport.state, 'disconnected');
    assert.equal(transport.flowId, undefined);
  });

  it('rejects any other URL with a clear TransportError', () => {
    for (const url of [
      'http://example.com',
      'example.com',
      '',
      'ws://',
      'ws:// space.example',
      'sip:alice@example.com',
      'wss://example.com:99999/ws',
      'ws://example.com:0',
      'ws://example.com:-1',
    ]) {
      assert.throws(
        () => setup({ url }),
        (error: unknown) =>
          error instanceof TransportError && error.code === 'invalid-url' && /ws:\/\/ or wss:\/\//.test(error.message),
        url,
      );
    }
  });

  it('refuses a URL with user:password@ and never repeats the credentials in the error', () => {
    for (const url of [
      'wss://alice:s3cret@example.com/ws',
      'ws://alice@example.com',
      'http://alice:s3cret@example.com',
    ]) {
      assert.throws(
        () => setup({ url }),
        (error: unknown) =>
          error instanceof TransportError &&
          error.code === 'invalid-url' &&
          /without user:password@/.test(error.message) &&
          !error.message.includes('alice'),
        url,
      );
    }
  });

  it('uses a random, stable *.invalid host for Via and Contact (RFC 7118 App. B.1)', async () => {
    const { transport, server, connect } = setup();
    assert.match(transport.viaHost, /^[a-z0-9]{12}\.invalid$/);
    const host = transport.viaHost;
    await connect();
    server.last.serverClose(1006);
    assert.equal(transport.viaHost, host);
    assert.notEqual(setup({ random: seededRandom(2) }).transport.viaHost, host);
  });
});

describe('WebSocketTransport: connecting', () => {
  it('opens the socket with the sip subprotocol and binary frames as ArrayBuffer, then reports connected', async () => {
    const { transport, server, states, changes } = setup();
    const done = transport.connect();
    assert.equal(transport.state, 'connecting');
    const socket = server.last;
    assert.equal(socket.url, URL);
    assert.deepEqual(socket.protocols, ['sip']);
    assert.equal(socket.binaryType, 'arraybuffer');
    socket.accept('sip');
    await done;
    assert.equal(transport.state, 'connected');
    assert.deepEqual(states(), ['connecting', 'connected']);
    const connected = lastChange(changes).info;
    assert.equal(connected.previous, 'connecting');
    assert.equal(connected.flowId, transport.flowId);
    assert.match(connected.reason, /connected to wss:\/\/sip\.example\.com/);
    assert.equal(changes[0]!.info.attempt, 1);
    await transport.connect(); // already connected: resolves at once
    assert.equal(server.sockets.length, 1);
  });

  it('fails with a clear error when the server does not select the sip subprotocol (RFC 7118 §4.1)', async () => {
    const { transport, server, changes } = setup({ reconnect: false });
    const done = transport.connect();
    server.last.accept('');
    await assert.rejects(done, (error: unknown) => {
      assert.ok(error instanceof TransportError);
      assert.equal(error.code, 'subprotocol-refused');
      assert.match(error.message, /did not accept the WebSocket subprotocol "sip" \(RFC 7118 §4\.1\): it chose none/);
      return true;
    });
    assert.equal(server.last.closeCalls.length, 1, 'the client closes the socket');
    assert.equal(transport.state, 'disconnected');
    assert.equal(lastChange(changes).info.error?.code, 'subprotocol-refused');
  });

  it("maps `ws`'s handshake errors to readable reasons", async () => {
    const cases: [string | undefined, RegExp, string][] = [
      ['Server sent no subprotocol', /subprotocol "sip".*Server sent no subprotocol/, 'subprotocol-refused'],
      [
        'connect ECONNREFUSED 127.0.0.1:9',
        /^connection refused by wss:\/\/sip\.example\.com\/ws$/,
        'connection-failed',
      ],
      [
        'Unexpected server response: 404',
        /could not connect to .*: Unexpected server response: 404 \(code 1006\)/,
        'connection-failed',
      ],
      [undefined, /^could not connect to wss:\/\/sip\.example\.com\/ws \(code 1006\)$/, 'connection-failed'],
    ];
    for (const [message, reason, code] of cases) {
      const { transport, server, changes } = setup({ reconnect: false });
      const done = transport.connect();
      server.last.refuse(message);
      await assert.rejects(done, TransportError);
      const info = lastChange(changes).info;
      assert.match(info.reason, reason);
      assert.equal(info.error?.code, code);
    }
  });

  it('gives up an opening handshake that hangs', async () => {
    const { transport, server, clock, changes } = setup({ reconnect: false, connectTimeoutMs: 5_000 });
    const done = transport.connect();
    clock.advance(5_000);
    await assert.rejects(done, /timed out after 5000 ms/);
    assert.equal(server.last.closeCalls.length, 1);
    assert.equal(lastChange(changes).state, 'disconnected');
  });

  it('reports a WebSocket constructor that throws (mixed content, bad URL in a browser)', async () => {
    const { transport, changes } = setup({
      reconnect: false,
      webSocket: class {
        constructor() {
          throw new Error('SecurityError: insecure WebSocket from an https page');
        }
      } as unknown as WebSocketTransportOptions['webSocket'],
    });
    await assert.rejects(transport.connect(), /could not open a WebSocket to .*SecurityError/);
    assert.equal(lastChange(changes).state, 'disconnected');
  });
});

describe('WebSocketTransport: frames', () => {
  it('sends each message as one frame, and refuses to send when not connected', async () => {
    const { transport, server, connect } = setup();
    assert.throws(
      () => transport.send('OPTIONS sip:a SIP/2.0\r\n\r\n'),
      (error: unknown) => {
        return error instanceof TransportError && error.code === 'not-connected' && error.status === 503;
      },
    );
    await connect();
    const message = 'OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/WSS x.invalid\r\n\r\n';
    transport.send(message);
    assert.deepEqual(server.last.sent, [message]);
  });

  it('refuses to send on a socket that is closing, and wraps a socket error', async () => {
    const { transport, server, connect } = setup();
    await connect();
    server.last.failSends = true;
    assert.throws(
      () => transport.send('x'),
      (e: unknown) => e instanceof TransportError && e.code === 'send-failed',
    );
    server.last.readyState = 2;
    assert.throws(
      () => transport.send('x'),
      (e: unknown) => e instanceof TransportError && e.code === 'not-connected',
    );
  });

  it('passes text frames and UTF-8 binary frames up as messages (RFC 7118 §4.2)', async () => {
    const { server, messages, connect } = setup();
    await connect();
    const text = 'MESSAGE sip:zoë@example.com SIP/2.0\r\nContent-Length: 6\r\n\r\nhé ✓';
    server.last.message(text);
    const bytes = new TextEncoder().encode(text);
    server.last.message(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    server.last.message(bytes); // a byte view, as `ws` gives with other binaryTypes
    assert.deepEqual(messages, [text, text, text]);
  });

  it('answers a CRLF ping with a CRLF pong and passes neither up (RFC 5626 §4.4.1)', async () => {
    const { server, messages, connect } = setup();
    await connect();
    server.last.message('\r\n\r\n');
    server.last.message('\r\n');
    assert.deepEqual(server.last.sent, ['\r\n']);
    assert.deepEqual(messages, []);
  });

  it('drops frames of unknown type', async () => {
    const { server, messages, connect } = setup();
    await connect();
    server.last.message({ size: 10, type: 'blob' });
    assert.deepEqual(messages, []);
  });

  it('keeps working when a listener throws, and reports the error to the logger', async () => {
    const { transport, server, messages, errors, connect } = setup();
    transport.onMessage(() => {
      throw new Error('page bug');
    });
    await connect();
    server.last.message('SIP/2.0 200 OK\r\n\r\n');
    server.last.message('SIP/2.0 202 Accepted\r\n\r\n');
    assert.equal(messages.length, 2);
    assert.equal(errors.length, 2);
    assert.equal(transport.state, 'connected');
  });
});

describe('WebSocketTransport: keep-alive (RFC 5626 §4.4.1)', () => {
  it('pings every 80–100% of the interval while pongs come back', async () => {
    const { transport, server, clock, connect } = setup({ keepAlive: { intervalMs: 30_000, pongTimeoutMs: 10_000 } });
    await connect();
    clock.advance(23_999);
    assert.deepEqual(server.last.sent, []);
    clock.advance(6_001);
    assert.deepEqual(server.last.sent, ['\r\n\r\n']);
    for (let i = 0; i < 10; i++) {
      server.last.message('\r\n');
      clock.advance(30_000);
    }
    assert.equal(server.last.sent.length, 11);
    assert.equal(transport.state, 'connected');
    assert.equal(server.sockets.length, 1);
  });

  it('treats a missing pong as a dead flow: closes it, reports why, reconnects with a new flow id', async () => {
    const { transport, server, clock, changes, connect } = setup({
      keepAlive: { intervalMs: 30_000, pongTimeoutMs: 10_000 },
    });
    await connect();
    const firstFlow = transport.flowId;
    clock.advance(30_000);
    assert.deepEqual(server.last.sent, ['\r\n\r\n']);
    clock.runNext(); // the pong timer
    assert.equal(transport.state, 'disconnected');
    const lost = lastChange(changes).info;
    assert.equal(lost.error?.code, 'keep-alive-timeout');
    assert.match(lost.reason, /keep-alive pong missing/);
    assert.equal(typeof lost.reconnectInMs, 'number');
    assert.equal(server.sockets[0]!.closeCalls.length, 1, 'the dead socket is closed');
    assert.equal(transport.flowId, undefined);
    assert.throws(() => transport.send('x'), TransportError);

    clock.advance(lost.reconnectInMs!);
    assert.equal(server.sockets.length, 2);
    assert.equal(transport.state, 'connecting');
    server.last.accept();
    assert.equal(transport.state, 'connected');
    assert.ok(transport.flowId && transport.flowId !== firstFlow, 'a new flow id: the UA re-registers');
    server.sockets[0]!.finishClose(); // late events of the old socket change nothing
    assert.equal(transport.state, 'connected');
  });

  it('keepAlive: false sends no pings', async () => {
    const { server, clock, connect } = setup({ keepAlive: false });
    await connect();
    clock.advance(600_000);
    assert.deepEqual(server.last.sent, []);
  });

  it("setFlowTimer() takes the registrar's Flow-Timer as the interval", async () => {
    const { transport, server, clock, connect } = setup();
    await connect();
    transport.setFlowTimer(5);
    clock.advance(5_000);
    assert.deepEqual(server.last.sent, ['\r\n\r\n']);
    assert.throws(() => transport.setFlowTimer(0), RangeError);
  });
});

describe('WebSocketTransport: reconnect', () => {
  const reconnect = {
    initialDelayMs: 100,
    maxDelayMs: 1_600,
    factor: 2,
    jitter: 'full' as const,
    stableAfterMs: 5_000,
  };

  it('reconnects after the server closes, with a readable reason, and settles a new flow', async () => {
    const { transport, server, clock, changes, connect } = setup({ reconnect });
    await connect();
    server.last.serverClose(1006);
    const lost = lastChange(changes);
    assert.equal(lost.state, 'disconnected');
    assert.equal(lost.info.previous, 'connected');
    assert.equal(lost.info.error?.code, 'connection-closed');
    assert.match(lost.info.reason, /^server closed with code 1006/);
    assert.equal(lost.info.attempt, 1);
    assert.ok(lost.info.reconnectInMs! >= 0 && lost.info.reconnectInMs! <= 100);

    server.sockets.length = 0;
    clock.advance(lost.info.reconnectInMs!);
    assert.equal(server.sockets.length, 1);
    assert.match(lastChange(changes).info.reason, /reconnecting to wss:\/\/sip\.example\.com\/ws \(attempt 1\)/);
    server.last.accept();
    assert.equal(transport.state, 'connected');
  });

  it('says why the server closed when it gives a reason', async () => {
    const { server, changes, connect } = setup({ reconnect });
    await connect();
    server.last.serverClose(1001, 'going away');
    assert.equal(lastChange(changes).info.reason, 'server closed with code 1001: going away');
  });

  it('backs off exponentially with jitter up to the cap while the server stays away', async () => {
    const { transport, server, clock, changes } = setup({ reconnect });
    transport.connect().catch(() => {});
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      server.last.refuse('connect ECONNREFUSED 127.0.0.1:443');
      const info = lastChange(changes).info;
      assert.equal(info.attempt, i + 2);
      delays.push(info.reconnectInMs!);
      clock.advance(info.reconnectInMs!);
      assert.equal(server.sockets.length, i + 2);
    }
    const ceilings = [100, 200, 400, 800, 1600, 1600, 1600, 1600, 1600, 1600];
    delays.forEach((delay, n) => assert.ok(delay >= 0 && delay <= ceilings[n]!, `delay ${n}: ${delay}`));
    assert.ok(
      delays.slice(4).some((d) => d > 800),
      'later delays use the larger range',
    );
  });

  it('resets the backoff after a stable connection, not after a short one', async () => {
    const { transport, server, clock, changes } = setup({ reconnect: { ...reconnect, jitter: 'none' } });
    transport.connect().catch(() => {});
    const delays: number[] = [];
    const refuseAndWait = (): void => {
      server.last.refuse();
      delays.push(lastChange(changes).info.reconnectInMs!);
      clock.advance(delays.at(-1)!);
    };
    for (let i = 0; i < 4; i++) refuseAndWait();
    assert.deepEqual(delays, [100, 200, 400, 800]);
    server.last.accept();
    clock.advance(1_000); // up, but not for stableAfterMs
    server.last.serverClose(1006);
    assert.equal(lastChange(changes).info.reconnectInMs, 1_600, 'a short connection does not reset');
    assert.equal(lastChange(changes).info.attempt, 1, 'attempts count from the last connection');
    clock.advance(1_600);
    server.last.accept();
    clock.advance(5_000); // stable
    server.last.serverClose(1006);
    assert.equal(lastChange(changes).info.reconnectInMs, 100);
  });

  it('never reconnects after disconnect(), which closes cleanly', async () => {
    const { transport, server, clock, states, connect } = setup({ reconnect });
    await connect();
    const done = transport.disconnect();
    assert.equal(transport.state, 'closing');
    assert.deepEqual(server.last.closeCalls, [{ code: 1000, reason: 'disconnect' }]);
    assert.throws(() => transport.send('x'), TransportError);
    server.last.finishClose();
    await done;
    assert.deepEqual(states(), ['connecting', 'connected', 'closing', 'disconnected']);
    clock.advance(600_000);
    assert.equal(server.sockets.length, 1);
    assert.equal(clock.pending, 0, 'no timer left behind');
  });

  it('stops waiting for a closing handshake that never completes', async () => {
    const { transport, clock, connect } = setup({ closeTimeoutMs: 2_000 });
    await connect();
    const done = transport.disconnect('bye');
    clock.advance(2_000);
    await done;
    assert.equal(transport.state, 'disconnected');
  });

  it('disconnect() during the reconnect wait cancels the reconnect and says so', async () => {
    const { transport, server, clock, changes, connect } = setup({ reconnect });
    await connect();
    server.last.serverClose(1006);
    await transport.disconnect('user logged out');
    const info = lastChange(changes);
    assert.equal(info.state, 'disconnected');
    assert.equal(info.info.reason, 'user logged out');
    assert.equal(info.info.reconnectInMs, undefined);
    clock.advance(60_000);
    assert.equal(server.sockets.length, 1);
  });

  it('disconnect() while connecting rejects the pending connect()', async () => {
    const { transport, server } = setup({ reconnect });
    const connecting = transport.connect();
    const closed = transport.disconnect();
    await assert.rejects(connecting, (e: unknown) => e instanceof TransportError && e.code === 'disconnected');
    server.last.refuse();
    await closed;
    assert.equal(transport.state, 'disconnected');
  });

  it('a listener may disconnect() when told of a lost connection', async () => {
    const { transport, server, clock, connect } = setup({ reconnect });
    await connect();
    transport.onStateChange((state) => {
      if (state === 'disconnected') void transport.disconnect();
    });
    server.last.serverClose(1006);
    clock.advance(60_000);
    assert.equal(server.sockets.length, 1);
    assert.equal(clock.pending, 0);
  });

  it('connect() during the reconnect wait tries at once', async () => {
    const { transport, server, connect } = setup({ reconnect });
    await connect();
    server.last.serverClose(1006);
    const again = transport.connect();
    assert.equal(server.sockets.length, 2);
    server.last.accept();
    await again;
  });

  it('reconnect: false stays down after a loss', async () => {
    const { transport, server, clock, changes, connect } = setup({ reconnect: false });
    await connect();
    server.last.serverClose(1006);
    assert.equal(lastChange(changes).info.reconnectInMs, undefined);
    clock.advance(60_000);
    assert.equal(server.sockets.length, 1);
    assert.equal(transport.state, 'disconnected');
  });

  it('reconnectNow() drops the flow and connects at once, from any state', async () => {
    const { transport, server, clock, states, changes, connect } = setup({ reconnect });
    await connect();
    const flow = transport.flowId;
    transport.reconnectNow('user pressed retry');
    assert.deepEqual(states().slice(-2), ['disconnected', 'connecting']);
    assert.equal(changes.at(-2)!.info.reason, 'user pressed retry');
    assert.equal(server.sockets[0]!.closeCalls.length, 1);
    server.last.accept();
    assert.notEqual(transport.flowId, flow);

    for (let i = 0; i < 4; i++) {
      server.last.serverClose(1006);
      clock.advance(lastChange(changes).info.reconnectInMs!);
      server.last.refuse();
    }
    const sockets = server.sockets.length;
    transport.reconnectNow();
    assert.equal(server.sockets.length, sockets + 1, 'no backoff wait');
    assert.equal(lastChange(changes).info.attempt, 1, 'backoff reset');
  });

  it('networkChanged() probes a connected flow and hurries a waiting reconnect', async () => {
    const { transport, server, clock, changes, connect } = setup({ reconnect });
    transport.networkChanged();
    assert.equal(server.sockets.length, 0, 'nothing wanted: nothing done');
    await connect();
    transport.networkChanged();
    assert.deepEqual(server.last.sent, ['\r\n\r\n'], 'an immediate keep-alive probe');
    clock.advance(10_000);
    assert.equal(lastChange(changes).info.error?.code, 'keep-alive-timeout');
    const sockets = server.sockets.length;
    transport.networkChanged();
    assert.equal(server.sockets.length, sockets + 1, 'reconnects without waiting');
  });
});
