// Test support: one user agent with two RFC 5626 flows (FlowSet over two WebSocketTransports on
// scripted fake sockets, one "edge proxy" each), a fake clock, and a registrar the test plays on
// each socket: it answers REGISTER 200 (echoing the Contact) and MESSAGE 200, and answers CRLF
// pings with pongs unless told a server is dead.
import { FakeClock } from '../core/clock.fake';
import { seededRandom } from '../core/seeded-random.fake';
import { parseMessage } from '../message/parser';
import { isRequest, type SipRequest, type SipResponse } from '../message/message';
import { responseTo } from '../transaction/requests';
import { FlowSet } from '../transport/flow-set';
import type { TransportState, TransportStateInfo } from '../transport/transport';
import { FakeWebSocketServer, type FakeWebSocket } from '../transport/websocket.fake';
import { WebSocketTransport } from '../transport/websocket-transport';
import { UserAgent } from './user-agent';

export interface Seen {
  readonly flow: number;
  readonly message: SipRequest | SipResponse;
}

export function twoFlows() {
  const clock = new FakeClock();
  const servers = [new FakeWebSocketServer(), new FakeWebSocketServer()];
  const transports = servers.map(
    (server, index) =>
      new WebSocketTransport({
        url: `wss://edge${index + 1}.example.test/ws`,
        webSocket: server.WebSocket,
        clock,
        random: seededRandom(10 + index),
        keepAlive: { intervalMs: 30_000, pongTimeoutMs: 10_000 },
      }),
  );
  const flows = new FlowSet(transports, seededRandom(5));
  const ua = new UserAgent({ aor: 'sip:alice@example.test', transport: flows, clock, random: seededRandom(3) });
  /** Every SIP message each server got, in order, with the flow (1 or 2) it came on. */
  const seen: Seen[] = [];
  const flowEvents: Array<{ flow: number; state: TransportState; info: TransportStateInfo }> = [];
  ua.events.on('flow', (flow, state, info) => flowEvents.push({ flow, state, info }));
  /** Servers that stopped answering (their sockets stay open: a dead box behind a live NAT). */
  const silent = new Set<number>();
  const read = new Map<FakeWebSocket, number>();
  let tags = 0;

  /** Plays each server: reads what the phone sent since last time and answers it. */
  function serve(): void {
    servers.forEach((server, index) => {
      const flow = index + 1;
      for (const socket of server.sockets) {
        const from = read.get(socket) ?? 0;
        read.set(socket, socket.sent.length);
        if (silent.has(flow) || socket.readyState !== 1) continue;
        for (const text of socket.sent.slice(from)) {
          if (text === '\r\n\r\n') {
            socket.message('\r\n');
            continue;
          }
          const message = parseMessage(text);
          seen.push({ flow, message });
          if (!isRequest(message) || message.method === 'ACK') continue;
          const ok = responseTo(message, 200, undefined, `t${++tags}`);
          if (message.method === 'REGISTER') ok.setHeader('Contact', `${message.contact[0]!.toString()};expires=600`);
          socket.message(ok.toString());
        }
      }
    });
  }

  /** Lets timers due now run, promise chains settle and the servers answer, a few rounds. */
  async function settle(rounds = 10): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      clock.advance(0);
      serve();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Moves the clock on by `ms`, a second at a time, with the servers answering. */
  async function pass(ms: number): Promise<void> {
    for (let left = ms; left > 0; left -= 1000) {
      clock.advance(Math.min(1000, left));
      await settle(2);
    }
  }

  /** Accepts every socket still opening (the servers are up). */
  function acceptAll(): void {
    for (const [index, server] of servers.entries()) {
      if (silent.has(index + 1)) continue;
      for (const socket of server.sockets) if (socket.readyState === 0) socket.accept();
    }
  }

  const requests = (method: string, flow?: number) =>
    seen.filter(
      (entry): entry is { flow: number; message: SipRequest } =>
        isRequest(entry.message) && entry.message.method === method && (flow === undefined || entry.flow === flow),
    );

  return { clock, servers, transports, flows, ua, seen, flowEvents, silent, serve, settle, pass, acceptAll, requests };
}
