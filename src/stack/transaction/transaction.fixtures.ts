// Shared test fixtures for the transaction tests: a recording transport, a recording TU, and
// requests in wire form, parsed by the real parser.
import { FakeClock } from '../core/clock.fake';
import { seededRandom } from '../core/seeded-random.fake';
import { TransportError } from '../core/errors';
import { parseMessage } from '../message/parser';
import type { SipRequest, SipResponse } from '../message/message';
import type { ClientTransactionUser } from './client-transaction-user';
import { TransactionLayer, type ServerTransaction } from './transaction-layer';

export class RecordingTransport {
  readonly sent: string[] = [];
  failNext = false;
  constructor(readonly reliable: boolean) {}
  send(text: string): void {
    if (this.failNext) {
      this.failNext = false;
      throw new TransportError('not-connected', 'the WebSocket is not open');
    }
    this.sent.push(text);
  }
  /** Start lines of what was sent, e.g. 'INVITE sip:bob@b.example SIP/2.0' or 'SIP/2.0 100 Trying'. */
  get lines(): string[] {
    return this.sent.map((text) => text.slice(0, text.indexOf('\r\n')));
  }
}

export class RecordingUser implements ClientTransactionUser {
  readonly responses: SipResponse[] = [];
  readonly failures: Array<{ status: number; message: string; name: string }> = [];
  onResponse(response: SipResponse): void {
    this.responses.push(response);
  }
  onFailure(error: Error & { status: number }): void {
    this.failures.push({ status: error.status, message: error.message, name: error.name });
  }
}

export function request(method: string, branch = 'z9hG4bKabc123', extra = ''): SipRequest {
  return parseMessage(
    `${method} sip:bob@b.example SIP/2.0\r\n` +
      `Via: SIP/2.0/WS a1b2.invalid;branch=${branch}\r\n` +
      'Max-Forwards: 70\r\n' +
      'From: <sip:alice@a.example>;tag=from1\r\n' +
      'To: <sip:bob@b.example>\r\n' +
      'Call-ID: call-1@a.example\r\n' +
      `CSeq: 7 ${method}\r\n` +
      'Route: <sip:proxy.example;lr>\r\n' +
      extra +
      'Content-Length: 0\r\n\r\n',
  ) as SipRequest;
}

export function response(status: number, to: SipRequest, toTag = 'to9', reason = 'Whatever'): SipResponse {
  const via = to.via.map(String).join(', ');
  return parseMessage(
    `SIP/2.0 ${status} ${reason}\r\n` +
      `Via: ${via}\r\n` +
      'From: <sip:alice@a.example>;tag=from1\r\n' +
      `To: <sip:bob@b.example>${status > 100 ? `;tag=${toTag}` : ''}\r\n` +
      'Call-ID: call-1@a.example\r\n' +
      `CSeq: ${to.cseq.seq} ${to.cseq.method}\r\n` +
      'Content-Length: 0\r\n\r\n',
  ) as SipResponse;
}

export function layer(reliable: boolean) {
  const clock = new FakeClock();
  const transport = new RecordingTransport(reliable);
  const requests: SipRequest[] = [];
  const servers: ServerTransaction[] = [];
  const acks: SipRequest[] = [];
  const strays: SipResponse[] = [];
  const transactions = new TransactionLayer({
    transport,
    clock,
    random: seededRandom(1),
    onRequest: (r, tx) => {
      requests.push(r);
      servers.push(tx);
    },
    onAck: (a) => acks.push(a),
    onStrayResponse: (r) => strays.push(r),
  });
  return { clock, transport, transactions, requests, servers, acks, strays };
}
