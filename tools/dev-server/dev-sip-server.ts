/**
 * The development SIP-over-WebSocket registrar and proxy behind `npm start`: an HTTP server that
 * upgrades to WebSocket only for the `sip` subprotocol (RFC 7118 §4), one flow per connection, and
 * the router that does the SIP. Built on the project's own message model and digest code.
 */
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { realClock } from '../../src/stack/core/clock';
import { cryptoRandom } from '../../src/stack/core/random';
import { consoleLogger } from './console-logger';
import { CallStates } from './call-states';
import { ContactAliases } from './contact-aliases';
import { DigestVerifier } from './digest-verifier';
import { EventServer } from './event-server';
import { Flow, FlowTable } from './flows';
import { LocationService } from './location-service';
import { DEFAULT_DOMAIN, DEFAULT_SIP_HOST, DEFAULT_SIP_PORT } from './options';
import { originAllowed } from './origin-check';
import type { DevSipServerOptions } from './options';
import { Proxy } from './proxy';
import { Registrar } from './registrar';
import { ServerIdentity } from './server-identity';
import { SipRouter } from './sip-router';
import { TargetResolver } from './target-resolver';
import { readUsersFile } from './users-file';

export interface DevSipServer {
  /** `ws://host:port`: what a phone's `server` attribute takes. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly domain: string;
  /** The digest realm when a users file is in use; undefined in open-registration mode. */
  readonly realm: string | undefined;
  /** Open WebSocket connections. */
  readonly connections: number;
  /** Subscriptions the server holds as notifier (event-server.ts). */
  readonly subscriptions: number;
  /** Requests being forwarded or lingering after their final response. */
  readonly pendingTransactions: number;
  /** A user's current bindings: Contact text and remaining seconds. */
  bindings(user: string): Array<{ readonly contact: string; readonly expires: number }>;
  /** Closes every connection and the listening socket. */
  stop(): Promise<void>;
}

const SUBPROTOCOL = 'sip';

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** ws hands a frame over as one Buffer unless told otherwise; the other shapes are folded in. */
function frameBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** RFC 7118 §4: the client must offer the `sip` subprotocol (tokens, comma-separated). */
function offersSip(request: IncomingMessage): boolean {
  const header = request.headers['sec-websocket-protocol'];
  return typeof header === 'string' && header.split(',').some((token) => token.trim() === SUBPROTOCOL);
}

export async function startDevSipServer(options: DevSipServerOptions = {}): Promise<DevSipServer> {
  const logger = options.logger ?? consoleLogger();
  const clock = options.clock ?? realClock;
  const host = options.host ?? DEFAULT_SIP_HOST;
  const domain = options.domain ?? DEFAULT_DOMAIN;
  const users = typeof options.users === 'string' ? readUsersFile(options.users) : options.users;
  const maxMessageBytes = options.maxMessageBytes ?? 128 * 1024;
  const toTag = () => cryptoRandom.token(10);

  const http = createServer((_request, response) => {
    response.writeHead(426, {
      'Content-Type': 'text/plain; charset=utf-8',
      Connection: 'Upgrade',
      Upgrade: 'websocket',
    });
    response.end('SIP over WebSocket (RFC 7118) development server: connect with subprotocol "sip".\n');
  });
  const address = await listen(http, options.port ?? DEFAULT_SIP_PORT, host);
  const wildcard = host === '0.0.0.0' || host === '::';
  const identity = new ServerIdentity(options.advertisedHost ?? (wildcard ? '127.0.0.1' : host), address.port, domain);

  const flows = new FlowTable();
  const location = new LocationService(clock);
  const aliases = new ContactAliases(identity);
  const verifier = users
    ? new DigestVerifier({
        realm: users.realm ?? domain,
        users: users.users,
        clock,
        nonceLifetimeMs: (options.nonceLifetime ?? 300) * 1000,
        ...(options.digestAlgorithms ? { algorithms: options.digestAlgorithms } : {}),
      })
    : undefined;
  const userExists = verifier ? (user: string) => verifier.hasUser(user) : undefined;
  const registrar = new Registrar({
    identity,
    location,
    clock,
    minExpires: options.minExpires ?? 10,
    maxExpires: options.maxExpires ?? 3600,
    defaultExpires: options.defaultExpires ?? 3600,
    userExists,
    toTag,
  });
  // The server answers SUBSCRIBE for presence (from the bindings) and dialog (from the calls it proxies).
  const calls = new CallStates(identity, (user) => events.callsChanged(user));
  const events: EventServer = new EventServer({
    identity,
    location,
    calls,
    clock,
    logger,
    userExists,
    token: () => cryptoRandom.token(12),
  });
  location.changed = (user) => events.registrationChanged(user);
  const proxy = new Proxy({
    identity,
    clock,
    logger,
    toTag,
    upstream: (request, response) => calls.response(request, response),
  });
  const resolver = new TargetResolver(identity, aliases, location, userExists);
  const router = new SipRouter({
    identity,
    flows,
    aliases,
    location,
    registrar,
    proxy,
    events,
    calls,
    resolver,
    verifier,
    logger,
    maxMessageBytes,
    toTag,
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes ?? 1024 * 1024,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  wss.on('error', (error) => logger.error(`WebSocket server: ${error.message}`));

  const accept = (socket: WebSocket, request: IncomingMessage) => {
    const flow = new Flow(
      cryptoRandom.token(12),
      request.socket.remoteAddress ?? '?',
      request.socket.remotePort ?? 0,
      socket,
      logger,
    );
    flows.add(flow);
    logger.info(`${flow} connected`);
    socket.on('message', (data, isBinary) => router.onFrame(flow, frameBuffer(data), isBinary));
    // An error (a frame over maxPayload, a broken socket) is followed by close, which cleans up.
    socket.on('error', (error) => logger.warn(`${flow}: ${error.message}`));
    socket.on('close', (code) => router.onFlowClosed(flow, code));
  };

  http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', (error) => logger.debug(`upgrade socket: ${error.message}`));
    try {
      if (!offersSip(request)) {
        logger.warn(`WebSocket handshake from ${socket.remoteAddress} without subprotocol "sip" refused`);
        socket.end(
          'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nThe "sip" WebSocket subprotocol is required (RFC 7118).\r\n',
        );
        return;
      }
      const origin = request.headers.origin;
      if (!originAllowed(origin, { allowed: options.allowedOrigins, serverHost: identity.host })) {
        logger.warn(
          `WebSocket handshake from a page of origin ${JSON.stringify(origin)?.slice(0, 200)} refused (not this host, loopback or an allowed origin)`,
        );
        socket.end(
          'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nPages of this origin may not use this SIP server.\r\n',
        );
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request));
    } catch (error) {
      logger.error(`WebSocket handshake failed: ${(error as Error).message}`);
      socket.destroy();
    }
  });
  http.on('clientError', (error, socket) => {
    logger.debug(`HTTP client error: ${error.message}`);
    socket.destroy();
  });

  const url = `ws://${identity.host}:${identity.port}`;
  logger.info(`SIP over WebSocket on ${url}, domain ${domain}`);
  if (verifier)
    logger.info(`digest authentication on: realm "${verifier.realm}", ${Object.keys(users!.users).length} users`);
  else
    logger.info(
      'open registration: any user name registers without a password (dev mode; pass a users file to require digest auth)',
    );

  let stopping: Promise<void> | undefined;
  return {
    url,
    host: identity.host,
    port: identity.port,
    domain,
    realm: verifier?.realm,
    get connections() {
      return flows.size;
    },
    get subscriptions() {
      return events.size;
    },
    get pendingTransactions() {
      return proxy.contexts;
    },
    bindings(user) {
      const now = clock.now();
      return location.lookup(user).map((binding) => ({
        contact: String(binding.contact),
        expires: Math.ceil((binding.expiresAt - now) / 1000),
      }));
    },
    stop() {
      stopping ??= (async () => {
        for (const flow of [...flows.values()]) flow.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await new Promise<void>((resolve) => http.close(() => resolve()));
        proxy.stop();
        events.stop();
        calls.clear();
        location.clear();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
