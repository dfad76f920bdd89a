/**
 * The WebSocket transport over real sockets: a `ws` WebSocketServer on 127.0.0.1 (port chosen by
 * the OS) and `ws`'s client class injected as the WebSocket implementation. Real clock, short
 * delays, every wait bounded.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData, WebSocket as ServerSocket } from 'ws';
import { TransportError } from '../core/errors';
import type { TransportState, TransportStateInfo } from './transport';
import { WebSocketTransport } from './websocket-transport';
import type { WebSocketTransportOptions } from './websocket-transport';

interface Received {
  readonly text: string;
  readonly binary: boolean;
}

interface TestServer {
  readonly wss: WebSocketServer;
  readonly url: string;
  readonly port: number;
  /** Server-side sockets, in connection order. */
  readonly sockets: ServerSocket[];
  readonly protocolsAsked: string[];
  readonly received: Received[];
  stop(): Promise<void>;
}

interface ServerOptions {
  port?: number;
  /** Select 'sip' when offered (default), or refuse every subprotocol. */
  acceptSip?: boolean;
  /** Answer CRLF pings with a CRLF pong (default). */
  pong?: boolean;
}

const servers: TestServer[] = [];
const transports: WebSocketTransport[] = [];

async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const { acceptSip = true, pong = true } = options;
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: options.port ?? 0,
    handleProtocols: (protocols) => (acceptSip && protocols.has('sip') ? 'sip' : false),
  });
  await once(wss, 'listening');
  const port = (wss.address() as AddressInfo).port;
  const sockets: ServerSocket[] = [];
  const protocolsAsked: string[] = [];
  const received: Received[] = [];
  wss.on('connection', (socket, request) => {
    sockets.push(socket);
    protocolsAsked.push(String(request.headers['sec-websocket-protocol']));
    socket.on('message', (data: RawData, binary: boolean) => {
      const text = data.toString();
      received.push({ text, binary });
      if (text === '\r\n\r\n' && pong) socket.send('\r\n');
    });
  });
  const server: TestServer = {
    wss,
    url: `ws://127.0.0.1:${port}/sip`,
    port,
    sockets,
    protocolsAsked,
    received,
    async stop() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  servers.push(server);
  return server;
}

function createTransport(url: string, options: Partial<WebSocketTransportOptions> = {}) {
  const transport = new WebSocketTransport({
    url,
    webSocket: WebSocket,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100, factor: 2, jitter: 'full', stableAfterMs: 1_000 },
    keepAlive: false,
    ...options,
  });
  transports.push(transport);
  const changes: { state: TransportState; info: TransportStateInfo }[] = [];
  transport.onStateChange((state, info) => changes.push({ state, info }));
  const messages: string[] = [];
  transport.onMessage((text) => messages.push(text));
  return { transport, changes, messages };
}

/** Resolves at the next change to `state` (that passes `test`); fails after `timeoutMs`. */
function nextState(
  transport: WebSocketTransport,
  state: TransportState,
  test: (info: TransportStateInfo) => boolean = () => true,
  timeoutMs = 2_000,
): Promise<TransportStateInfo> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no '${state}' within ${timeoutMs} ms (now ${transport.state})`));
    }, timeoutMs);
    const off = transport.onStateChange((s, info) => {
      if (s !== state || !test(info)) return;
      clearTimeout(timer);
      off();
      resolve(info);
    });
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.disconnect()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const OPTIONS =
  'OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/WS h.invalid;branch=z9hG4bK1\r\nContent-Length: 0\r\n\r\n';

describe('WebSocketTransport over a real WebSocket (ws)', () => {
  it('negotiates the sip subprotocol and carries messages as text and binary frames', async () => {
    const server = await startServer();
    const { transport, messages } = createTransport(server.url);
    await transport.connect();
    assert.equal(transport.state, 'connected');
    assert.equal(transport.protocol, 'WS');
    assert.deepEqual(server.protocolsAsked, ['sip']);
    assert.equal(server.sockets[0]!.protocol, 'sip');

    transport.send(OPTIONS);
    await until(() => server.received.length === 1, 'the request at the server');
    assert.deepEqual(server.received, [{ text: OPTIONS, binary: false }], 'one message, one text frame');

    const response = 'SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n';
    const binary = 'MESSAGE sip:zoë@example.com SIP/2.0\r\nContent-Length: 3\r\n\r\n✓';
    server.sockets[0]!.send(response);
    server.sockets[0]!.send(Buffer.from(binary, 'utf8'), { binary: true });
    await until(() => messages.length === 2, 'both frames at the client');
    assert.deepEqual(messages, [response, binary]);
  });

  it('gets CRLF pongs for its pings and answers the server’s pings (RFC 5626 §4.4.1)', async () => {
    const server = await startServer();
    const { transport, messages } = createTransport(server.url, {
      keepAlive: { intervalMs: 40, pongTimeoutMs: 1_000 },
    });
    await transport.connect();
    await until(() => server.received.filter((r) => r.text === '\r\n\r\n').length >= 3, 'three pings');
    assert.equal(transport.state, 'connected', 'pongs keep the flow up');

    server.sockets[0]!.send('\r\n\r\n');
    await until(() => server.received.some((r) => r.text === '\r\n'), 'the pong at the server');
    assert.deepEqual(messages, [], 'keep-alives are never passed up as messages');
  });

  it('detects a dead flow when pongs stop, and comes back on a new flow', async () => {
    const server = await startServer({ pong: false });
    const { transport } = createTransport(server.url, { keepAlive: { intervalMs: 40, pongTimeoutMs: 100 } });
    await transport.connect();
    const firstFlow = transport.flowId;
    const lost = await nextState(transport, 'disconnected');
    assert.equal(lost.error?.code, 'keep-alive-timeout');
    assert.match(lost.reason, /keep-alive pong missing/);
    await nextState(transport, 'connected');
    assert.ok(transport.flowId && transport.flowId !== firstFlow);
    assert.equal(server.sockets.length, 2);
  });

  it('reconnects with backoff when the server drops the connection', async () => {
    const server = await startServer();
    const { transport } = createTransport(server.url);
    await transport.connect();
    const lost = nextState(transport, 'disconnected');
    server.sockets[0]!.terminate();
    const info = await lost;
    assert.equal(info.error?.code, 'connection-closed');
    assert.match(info.reason, /server closed with code 1006/);
    assert.ok(info.reconnectInMs !== undefined && info.reconnectInMs <= 20);
    await nextState(transport, 'connected');
    assert.equal(server.sockets.length, 2);
  });

  it('comes back when a stopped server starts again on the same port', async () => {
    const first = await startServer();
    const { transport, changes } = createTransport(first.url);
    await transport.connect();
    const flow = transport.flowId;
    await first.stop();
    await until(
      () => changes.filter((c) => c.info.error?.message.startsWith('connection refused')).length >= 2,
      'refused retries',
    );
    const second = await startServer({ port: first.port });
    // How soon is told by the scheduled delays below (the backoff's own figures, not a stopwatch);
    // the wait is only bounded so that a transport that never retries fails instead of hanging.
    await nextState(transport, 'connected', () => true, 5_000);
    assert.notEqual(transport.flowId, flow);
    assert.equal(second.sockets.length, 1);
    const retries = changes.filter((c) => c.state === 'disconnected').map((c) => c.info.reconnectInMs!);
    for (const delay of retries) assert.ok(delay >= 0 && delay <= 100, `delay ${delay} within the cap`);
  });

  it('fails with a clear error when the server does not accept the sip subprotocol', async () => {
    const server = await startServer({ acceptSip: false });
    const { transport } = createTransport(server.url, { reconnect: false });
    await assert.rejects(transport.connect(), (error: unknown) => {
      assert.ok(error instanceof TransportError);
      assert.equal(error.code, 'subprotocol-refused');
      assert.match(error.message, /did not accept the WebSocket subprotocol "sip" \(RFC 7118 §4\.1\)/);
      return true;
    });
    assert.equal(transport.state, 'disconnected');
  });

  it('reports a refused connection', async () => {
    const server = await startServer();
    const url = server.url;
    await server.stop();
    servers.splice(servers.indexOf(server), 1);
    const { transport } = createTransport(url, { reconnect: false });
    await assert.rejects(transport.connect(), /^TransportError: connection refused by ws:\/\/127\.0\.0\.1/);
  });

  it('closes cleanly on disconnect() and never reconnects', async () => {
    const server = await startServer();
    const { transport, changes } = createTransport(server.url);
    await transport.connect();
    const closedAtServer = once(server.sockets[0]!, 'close');
    await transport.disconnect();
    const [code] = (await closedAtServer) as [number];
    assert.equal(code, 1000);
    assert.deepEqual(
      changes.map((c) => c.state),
      ['connecting', 'connected', 'closing', 'disconnected'],
    );
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(server.sockets.length, 1, 'no reconnect after disconnect()');
    assert.equal(transport.state, 'disconnected');
  });
});
