/**
 * Test side of the dev server's tests: a WebSocket client speaking SIP (subprotocol `sip`) and a
 * small phone on top of it that builds requests with the stack's message model. Deliberately not
 * the stack's user agent: these tests prove the server, message by message.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { CSeq, NameAddr, SipRequest, Via, isRequest } from '../../src/stack/message/message';
import type { SipMessage, SipResponse } from '../../src/stack/message/message';
import { parseMessage } from '../../src/stack/message/parser';
import { cryptoRandom } from '../../src/stack/core/random';
import { responseTo } from '../../src/stack/transaction/requests';
import { Mailbox } from '../test-support/mailbox';

export type Received = SipRequest | SipResponse;

export const token = (length = 10) => cryptoRandom.token(length);
export const newBranch = () => `z9hG4bK${token(12)}`;

export const isRequestFor = (method: string) => (message: Received) => isRequest(message) && message.method === method;
export const isFinalFor = (request: SipRequest) => (message: Received) =>
  !isRequest(message) &&
  message.status >= 200 &&
  message.branch === request.branch &&
  message.cseq.method === request.method;

/** One WebSocket connection that collects SIP messages and hands each to the first waiter for it. */
export class SipTestClient {
  /** The made-up host of Via and Contact (RFC 7118 Appendix B.1). */
  readonly host = `${token(12).toLowerCase()}.invalid`;
  /** Frames that did not parse as SIP (keep-alive answers, anything else), in order. */
  readonly otherFrames: string[] = [];
  readonly closed: Promise<number>;
  readonly #mailbox: Mailbox<Received>;
  readonly #frameWaiters: Array<(text: string) => void> = [];

  private constructor(
    readonly socket: WebSocket,
    readonly label: string,
  ) {
    this.#mailbox = new Mailbox<Received>(label, (m) => m.startLine());
    socket.on('message', (data) => this.#deliver(String(data)));
    socket.on('error', () => {}); // close follows; tests await `closed`
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
  }

  static connect(url: string, label: string, protocols: string[] = ['sip']): Promise<SipTestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, protocols, { handshakeTimeout: 2000 });
      socket.once('open', () => {
        socket.off('error', reject);
        resolve(new SipTestClient(socket, label));
      });
      socket.once('error', reject);
    });
  }

  get via(): Via {
    return new Via({ transport: 'WS', host: this.host, branch: newBranch(), params: { rport: null } });
  }

  send(message: SipMessage | string | Uint8Array, binary = false): void {
    this.socket.send(typeof message === 'string' || message instanceof Uint8Array ? message : message.toString(), {
      binary,
    });
  }

  /** The next message (already here or still to come) that matches, within a bounded wait. */
  receive(match: (message: Received) => boolean, what: string, timeoutMs = 2000): Promise<Received> {
    return this.#mailbox.receive(match, what, timeoutMs);
  }

  receiveRequest(method: string, timeoutMs?: number): Promise<SipRequest> {
    return this.receive(isRequestFor(method), `${method} request`, timeoutMs) as Promise<SipRequest>;
  }

  /** Sends a request and resolves with its final response. */
  request(request: SipRequest, timeoutMs?: number): Promise<SipResponse> {
    const final = this.receive(isFinalFor(request), `final response to ${request.method}`, timeoutMs);
    this.send(request);
    return final as Promise<SipResponse>;
  }

  /** The next frame that is not a SIP message (e.g. the CRLF answering a keep-alive). */
  nextOtherFrame(timeoutMs = 2000): Promise<string> {
    const queued = this.otherFrames.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.label}: no non-SIP frame within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#frameWaiters.push((text) => {
        clearTimeout(timer);
        resolve(text);
      });
    });
  }

  /** Messages received that no waiter took (to prove that something did not arrive). */
  get unclaimed(): readonly Received[] {
    return this.#mailbox.unclaimed;
  }

  close(): void {
    this.socket.close();
  }

  /** Drops the TCP connection with no closing handshake, as a crashed browser would. */
  terminate(): void {
    this.socket.terminate();
  }

  #deliver(text: string): void {
    let message: Received;
    try {
      message = parseMessage(text);
    } catch {
      const waiter = this.#frameWaiters.shift();
      if (waiter) waiter(text);
      else this.otherFrames.push(text);
      return;
    }
    this.#mailbox.deliver(message);
  }
}

export interface RequestOptions {
  readonly to?: string | NameAddr;
  readonly callId?: string;
  readonly cseq?: number;
  readonly contact?: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly headers?: ReadonlyArray<readonly [string, string | number]>;
}

/** A user on one connection: builds requests and answers them the way a user agent would. */
export class TestPhone {
  readonly instance = `<urn:uuid:${randomUUID()}>`;
  readonly tag = token();
  readonly registerCallId = `${token()}@test`;
  #cseq = 1;
  #registerCseq = 1;

  constructor(
    readonly client: SipTestClient,
    readonly user: string,
    readonly domain: string,
  ) {}

  static async connect(url: string, user: string, domain: string): Promise<TestPhone> {
    return new TestPhone(await SipTestClient.connect(url, user), user, domain);
  }

  get aor(): string {
    return `sip:${this.user}@${this.domain}`;
  }

  /** The Contact URI, RFC 7118 §5.2 style: the made-up host, transport=ws, and RFC 5626 `ob`. */
  get contactUri(): string {
    return `sip:${this.user}@${this.client.host};transport=ws;ob`;
  }

  build(method: string, uri: string, options: RequestOptions = {}): SipRequest {
    const request = new SipRequest(method, uri);
    request.setHeader('Via', this.client.via);
    request.setHeader('Max-Forwards', 70);
    request.setHeader('From', new NameAddr(this.aor, { params: { tag: this.tag } }));
    request.setHeader('To', options.to ?? new NameAddr(uri));
    request.setHeader('Call-ID', options.callId ?? `${token()}@test`);
    request.setHeader('CSeq', new CSeq(options.cseq ?? this.#cseq++, method));
    if (options.contact !== undefined) request.setHeader('Contact', options.contact);
    for (const [name, value] of options.headers ?? []) request.addHeader(name, value);
    if (options.body !== undefined) {
      request.setHeader('Content-Type', options.contentType ?? 'text/plain');
      request.body = options.body;
    }
    return request;
  }

  /** A REGISTER as browser phones send it (RFC 5626 outbound, RFC 7118 §5). */
  registerRequest(
    expires = 600,
    options: { contact?: string | null; headers?: RequestOptions['headers']; expiresHeader?: number } = {},
  ): SipRequest {
    return this.build('REGISTER', `sip:${this.domain}`, {
      to: new NameAddr(this.aor),
      callId: this.registerCallId,
      cseq: this.#registerCseq++,
      // null: no Contact at all, a query (RFC 3261 §10.2.3)
      contact:
        options.contact === null
          ? undefined
          : (options.contact ?? `<${this.contactUri}>;+sip.instance="${this.instance}";reg-id=1;expires=${expires}`),
      headers: [
        ['Supported', 'path, outbound, gruu'],
        ...(options.expiresHeader === undefined ? [] : [['Expires', options.expiresHeader] as const]),
        ...(options.headers ?? []),
      ],
    });
  }

  register(expires = 600): Promise<SipResponse> {
    return this.client.request(this.registerRequest(expires));
  }

  /**
   * A UAS response (RFC 3261 §8.2.6.2), with the Record-Route a dialog-creating request carried
   * (§12.1.1) and this phone's Contact for dialog-creating answers.
   */
  answer(request: SipRequest, status: number, toTag = this.tag, body?: string): SipResponse {
    const response = responseTo(request, status, undefined, status === 100 ? undefined : toTag);
    if (request.recordRoute.length > 0) response.setHeader('Record-Route', request.recordRoute);
    if (status < 300 && status > 100 && request.method !== 'MESSAGE')
      response.setHeader('Contact', `<${this.contactUri}>`);
    if (body !== undefined) {
      response.setHeader('Content-Type', 'application/sdp');
      response.body = body;
    }
    this.client.send(response);
    return response;
  }
}
