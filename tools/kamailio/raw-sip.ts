// A deliberately tiny SIP-over-WebSocket (and UDP) client for the Kamailio smoke test. It writes
// requests by hand and reads replies with a few regular expressions, so the test proves the server
// and its configuration without depending on the project's own SIP stack (which is tested against
// this server separately).
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import WebSocket from 'ws';
import { Mailbox } from '../test-support/mailbox';

/** A received SIP message, split just enough for assertions. */
export interface SipText {
  raw: string;
  /** Response status, or undefined for a request. */
  status?: number;
  /** Request method, or the CSeq method of a response. */
  method: string;
  /** Request-URI of a request. */
  uri?: string;
  header(name: string): string | undefined;
  headers(name: string): string[];
  body: string;
}

export function parseSip(raw: string): SipText {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const [startLine, ...lines] = head.split('\r\n');
  const fields: [string, string][] = lines.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
  const headers = (name: string) => fields.filter(([key]) => key === name.toLowerCase()).map(([, value]) => value);
  const response = /^SIP\/2\.0 (\d{3})/.exec(startLine);
  const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(startLine);
  if (!response && !request) throw new Error(`Not a SIP message: ${JSON.stringify(startLine)}`);
  const cseqMethod = /\d+\s+(\S+)/.exec(headers('cseq')[0] ?? '')?.[1] ?? '';
  return {
    raw,
    status: response ? Number(response[1]) : undefined,
    method: request ? request[1] : cseqMethod,
    uri: request?.[2],
    header: (name) => headers(name)[0],
    headers,
    body: rest.join('\r\n\r\n'),
  };
}

export interface RequestSpec {
  method: string;
  uri: string;
  from: string;
  to: string;
  callId: string;
  cseq: number;
  /** The Via sent-by; a new branch is made unless one is given. */
  via: string;
  branch?: string;
  contact?: string;
  /** Extra header lines, e.g. 'Authorization: Digest ...'. */
  headers?: string[];
  body?: string;
  contentType?: string;
}

/** Writes a request; Content-Length counts bytes, as RFC 3261 requires. */
export function buildRequest(spec: RequestSpec): string {
  const body = spec.body ?? '';
  const lines = [
    `${spec.method} ${spec.uri} SIP/2.0`,
    `Via: ${spec.via};branch=${spec.branch ?? newBranch()};rport`,
    'Max-Forwards: 70',
    `From: ${spec.from}`,
    `To: ${spec.to}`,
    `Call-ID: ${spec.callId}`,
    `CSeq: ${spec.cseq} ${spec.method}`,
    ...(spec.contact ? [`Contact: ${spec.contact}`] : []),
    ...(spec.headers ?? []),
    ...(body ? [`Content-Type: ${spec.contentType ?? 'text/plain'}`] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Answers a request with the given status, copying what RFC 3261 section 8.2.6.2 says to copy. */
export function buildResponse(request: SipText, status: number, reason: string, extra: string[] = []): string {
  const to = request.header('to') ?? '';
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...request.headers('via').map((via) => `Via: ${via}`),
    ...request.headers('record-route').map((rr) => `Record-Route: ${rr}`),
    `From: ${request.header('from')}`,
    `To: ${/;tag=/.test(to) ? to : `${to};tag=${token()}`}`,
    `Call-ID: ${request.header('call-id')}`,
    `CSeq: ${request.header('cseq')}`,
    ...extra,
    'Content-Length: 0',
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export const newBranch = () => `z9hG4bK${token()}`;
export const token = () => randomBytes(6).toString('hex');

/** The parameters of a Digest challenge (WWW-Authenticate / Proxy-Authenticate value). */
export function parseChallenge(value: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of value.replace(/^Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g)) {
    params[key.toLowerCase()] = quoted ?? bare;
  }
  return params;
}

/**
 * The Authorization / Proxy-Authorization value answering a challenge (RFC 7616 / RFC 2617,
 * qop=auth when offered). MD5 and SHA-256 are the algorithms Kamailio 5.6 can ask for.
 */
export function digestAuthorization(
  challenge: Record<string, string>,
  credentials: { user: string; password: string },
  method: string,
  uri: string,
): string {
  const algorithm = challenge.algorithm ?? 'MD5';
  const hashName = { MD5: 'md5', 'SHA-256': 'sha256' }[algorithm.toUpperCase()];
  if (!hashName) throw new Error(`Unsupported digest algorithm ${algorithm}`);
  const hash = (text: string) => createHash(hashName).update(text).digest('hex');
  const ha1 = hash(`${credentials.user}:${challenge.realm}:${credentials.password}`);
  const ha2 = hash(`${method}:${uri}`);
  const qop = challenge.qop
    ?.split(',')
    .map((q) => q.trim())
    .includes('auth')
    ? 'auth'
    : undefined;
  const nc = '00000001';
  const cnonce = token();
  const response = qop
    ? hash(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
    : hash(`${ha1}:${challenge.nonce}:${ha2}`);
  const fields = [
    `username="${credentials.user}"`,
    `realm="${challenge.realm}"`,
    `nonce="${challenge.nonce}"`,
    `uri="${uri}"`,
    `response="${response}"`,
    `algorithm=${algorithm}`,
    ...(qop ? [`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`] : []),
    ...(challenge.opaque !== undefined ? [`opaque="${challenge.opaque}"`] : []),
  ];
  return `Digest ${fields.join(', ')}`;
}

/** Collects incoming messages and hands each to the first waiter that wants it. */
abstract class SipPeer {
  #mailbox: Mailbox<SipText> | undefined;

  // Created on first use: `name` is a subclass getter, not ready while this constructor runs.
  private get mailbox(): Mailbox<SipText> {
    return (this.#mailbox ??= new Mailbox<SipText>(this.name, (m) => m.raw.split('\r\n')[0]!));
  }

  protected deliver(raw: string): void {
    if (raw.trim() === '') return; // keepalive
    this.mailbox.deliver(parseSip(raw));
  }

  abstract send(text: string): void;

  /** The next message (already received or still to come) that matches, within a bounded wait. */
  receive(match: (message: SipText) => boolean, what: string, timeoutMs = 3000): Promise<SipText> {
    return this.mailbox.receive(match, what, timeoutMs);
  }

  /** Sends a request and waits for its final response (or the given status). */
  async request(text: string, what = text.split(' ')[0]): Promise<SipText> {
    const callId = parseSip(text).header('call-id');
    const cseq = parseSip(text).header('cseq');
    this.send(text);
    return this.receive(
      (m) => m.status !== undefined && m.status >= 200 && m.header('call-id') === callId && m.header('cseq') === cseq,
      `final response to ${what}`,
    );
  }

  protected abstract get name(): string;
}

/** One WebSocket connection speaking SIP (subprotocol "sip", RFC 7118). */
export class WsSipClient extends SipPeer {
  /** The unroutable host RFC 7118 clients put in Via and Contact. */
  readonly viaHost = `${token()}.invalid`;
  readonly closed: Promise<number>;

  private constructor(
    private readonly socket: WebSocket,
    readonly label: string,
  ) {
    super();
    socket.on('message', (data) => this.deliver(String(data)));
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
  }

  static connect(url: string, label: string, options: WebSocket.ClientOptions = {}): Promise<WsSipClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, 'sip', { handshakeTimeout: 3000, ...options });
      socket.once('open', () => {
        socket.off('error', reject);
        socket.on('error', () => {}); // a close event follows; tests await `closed`
        resolve(new WsSipClient(socket, label));
      });
      socket.once('error', reject);
    });
  }

  get protocol(): string {
    return this.socket.protocol;
  }

  get via(): string {
    return `SIP/2.0/WS ${this.viaHost}`;
  }

  send(text: string): void {
    this.socket.send(text);
  }

  /** Sends an RFC 5626 double-CRLF keepalive; resolves with the next blank frame (the pong). */
  keepalive(timeoutMs = 2000): Promise<string> {
    return new Promise((resolve, reject) => {
      const onMessage = (data: WebSocket.RawData) => {
        if (String(data).trim() !== '') return;
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        resolve(String(data));
      };
      const timer = setTimeout(() => {
        this.socket.off('message', onMessage);
        reject(new Error(`${this.label}: no answer to a CRLF keepalive within ${timeoutMs} ms`));
      }, timeoutMs);
      this.socket.on('message', onMessage);
      this.socket.send('\r\n\r\n');
    });
  }

  close(): void {
    this.socket.close();
  }

  protected get name(): string {
    return this.label;
  }
}

/** A SIP peer on UDP, like the sipp peers of later tests. */
export class UdpSipClient extends SipPeer {
  private constructor(
    private readonly socket: UdpSocket,
    private readonly server: { host: string; port: number },
    readonly port: number,
  ) {
    super();
    socket.on('message', (data) => this.deliver(String(data)));
  }

  static async open(server: { host: string; port: number }): Promise<UdpSipClient> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    return new UdpSipClient(socket, server, socket.address().port);
  }

  get via(): string {
    return `SIP/2.0/UDP 127.0.0.1:${this.port}`;
  }

  send(text: string): void {
    this.socket.send(text, this.server.port, this.server.host);
  }

  close(): void {
    this.socket.close();
  }

  protected get name(): string {
    return `udp:${this.port}`;
  }
}
