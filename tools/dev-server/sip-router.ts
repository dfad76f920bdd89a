/**
 * What happens to each frame that arrives: keep-alives answered, broken requests answered 400 (or
 * dropped), REGISTER handed to the registrar, OPTIONS to the server answered, everything else
 * checked (RFC 3261 §16.3), authenticated (§22) and forwarded (§16.4-16.6); responses go back up
 * through the proxy. Every entry point catches everything: one bad message or socket must never
 * take the server down.
 */
import type { Logger } from '../../src/stack/core/logger';
import { isRequest, SipUri } from '../../src/stack/message/message';
import type { SipRequest } from '../../src/stack/message/message';
import { responseTo } from '../../src/stack/transaction/requests';
import type { CallStates } from './call-states';
import type { ContactAliases } from './contact-aliases';
import type { DigestVerifier } from './digest-verifier';
import type { EventServer } from './event-server';
import type { Flow, FlowTable } from './flows';
import { readFrame } from './inbound-frame';
import type { LocationService } from './location-service';
import type { Proxy } from './proxy';
import type { Registrar } from './registrar';
import type { ServerIdentity } from './server-identity';
import type { TargetResolver } from './target-resolver';
import { answerUnparsedRequest } from './unparsed-request-answer';

export interface SipRouterParts {
  readonly identity: ServerIdentity;
  readonly flows: FlowTable;
  readonly aliases: ContactAliases;
  readonly location: LocationService;
  readonly registrar: Registrar;
  readonly proxy: Proxy;
  /** The server's own presence and dialog subscriptions (event-server.ts). */
  readonly events: EventServer;
  readonly calls: CallStates;
  readonly resolver: TargetResolver;
  /** Present when a users file is in use. */
  readonly verifier: DigestVerifier | undefined;
  readonly logger: Logger;
  readonly maxMessageBytes: number;
  readonly toTag: () => string;
}

/** What the server routes; the Allow of its OPTIONS answer. */
export const ALLOWED_METHODS =
  'INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, REFER, SUBSCRIBE, NOTIFY, INFO, UPDATE, PRACK, REGISTER';
/** Requests that create a dialog, which the proxy record-routes (RFC 3261 §16.6 step 4, RFC 6665). */
const DIALOG_CREATING = new Set(['INVITE', 'SUBSCRIBE', 'REFER']);
const IPV4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i;

type ExtraHeaders = ReadonlyArray<readonly [string, string | number]>;

export class SipRouter {
  constructor(readonly parts: SipRouterParts) {}

  /** One WebSocket frame from a flow. Never throws. */
  onFrame(flow: Flow, data: Buffer, isBinary: boolean): void {
    try {
      this.#frame(flow, data, isBinary);
    } catch (error) {
      this.parts.logger.error(`${flow}: a frame could not be handled (dropped): ${(error as Error).stack ?? error}`);
    }
  }

  /** A flow has closed, cleanly or not: its bindings, aliases and branches go with it. Never throws. */
  onFlowClosed(flow: Flow, code: number): void {
    try {
      flow.markClosed();
      this.parts.flows.remove(flow);
      const users = this.parts.location.removeFlow(flow);
      this.parts.aliases.forget(flow);
      this.parts.proxy.flowClosed(flow);
      this.parts.events.flowClosed(flow);
      const unbound = users.length > 0 ? `; bindings removed for ${users.join(', ')}` : '';
      this.parts.logger.info(`${flow} closed (${code})${unbound}`);
    } catch (error) {
      this.parts.logger.error(`${flow}: cleanup after close failed: ${(error as Error).stack ?? error}`);
    }
  }

  #frame(flow: Flow, data: Buffer, isBinary: boolean): void {
    const { logger, maxMessageBytes } = this.parts;
    const frame = readFrame(data, isBinary, maxMessageBytes);
    switch (frame.kind) {
      case 'ping':
        flow.sendText('\r\n'); // RFC 5626 §4.4.1 pong
        return;
      case 'blank':
        return;
      case 'too-large':
        logger.warn(`${flow}: ${frame.bytes}-byte message exceeds ${maxMessageBytes} bytes`);
        this.#answerUnparsed(
          flow,
          frame.text,
          513,
          'Message Too Large',
          `message larger than ${maxMessageBytes} bytes`,
        );
        return;
      case 'malformed':
        logger.warn(`${flow}: malformed message: ${frame.error.message}`);
        this.#answerUnparsed(flow, frame.text, 400, 'Bad Request', frame.error.message);
        return;
      case 'message': {
        const { message } = frame;
        this.parts.aliases.learn(message, flow);
        if (isRequest(message)) {
          this.#request(flow, message);
        } else if (
          !this.parts.proxy.handleResponse(flow, message) &&
          !this.parts.events.handleResponse(flow, message)
        ) {
          logger.debug(`${flow}: ${message.status} ${message.cseq.method} matches no request here (dropped)`);
        }
        return;
      }
    }
  }

  #answerUnparsed(flow: Flow, text: string, status: number, reason: string, detail: string): void {
    const answer = answerUnparsedRequest(text, {
      status,
      reason,
      detail,
      agent: this.#agent(),
      toTag: this.parts.toTag(),
    });
    if (answer === undefined) {
      this.parts.logger.warn(`${flow}: not a request that can be answered (dropped)`);
      return;
    }
    flow.sendText(answer);
  }

  #request(flow: Flow, request: SipRequest): void {
    const { proxy, identity, resolver, logger } = this.parts;
    stampVia(request, flow);
    // What the client's digest covers (RFC 3261 §22.4), before route processing may change it.
    const requestUri = String(request.uri);
    // Parsed, but wrong in a way the parser says to answer (505, 416, 400: RFC 3261 §8.2.2, §16.3).
    const problem = request.problems[0];
    if (problem) {
      logger.warn(`${flow}: ${request.method} refused: ${problem.reason}`);
      this.#reply(flow, request, problem.status, undefined, [
        ['Warning', `399 ${this.#agent()} "${warningText(problem.reason)}"`],
      ]);
      return;
    }
    const { method } = request;
    if (method === 'ACK' && proxy.absorbAck(request)) return;
    if (method === 'CANCEL') {
      // §16.10: a CANCEL is answered hop by hop; without a matching INVITE there is nothing to cancel.
      if (proxy.cancel(request)) this.#reply(flow, request, 200);
      else this.#reply(flow, request, 481);
      return;
    }
    if (method !== 'ACK' && proxy.absorbRetransmission(request)) return;
    // A refresh or end of a subscription this server holds: its Request-URI is the server's Contact.
    if (this.parts.events.resubscribe(flow, request)) return;
    const inDialog = this.#consumeOwnRoutes(request) && request.to.tag !== undefined;
    if (request.route.length === 0 && identity.isMe(request.uri)) {
      if (method === 'REGISTER') return this.#register(flow, request, requestUri);
      if ((request.uri as SipUri).user === undefined) return this.#forServer(flow, request);
    }
    if (method === 'REGISTER') {
      // §10.3 step 1: a REGISTER for another domain would have to be forwarded there: refused.
      this.#reply(flow, request, 403, 'Forbidden (not relaying)');
      return;
    }
    // §16.3 step 3: a request that has used up its hops.
    if (request.maxForwards === 0) return this.#reply(flow, request, 483);
    // §16.3 step 5: this proxy supports no extension that a proxy must understand.
    const proxyRequire = request.headers('Proxy-Require');
    if (proxyRequire.length > 0)
      return this.#reply(flow, request, 420, undefined, [['Unsupported', proxyRequire.join(', ')]]);
    if (!this.#authorized(flow, request, requestUri, inDialog)) return;
    this.#dropOwnCredentials(request);
    // RFC 6665 §4.2: this server is the notifier of its users' presence and dialogs (event-server.ts).
    if (method === 'SUBSCRIBE' && request.route.length === 0 && this.parts.events.subscribe(flow, request)) return;
    const resolution = resolver.resolve(request);
    if ('status' in resolution) {
      logger.info(`${flow}: ${method} ${request.uri} -> ${resolution.status}`);
      this.#reply(flow, request, resolution.status, resolution.reason);
      return;
    }
    if (method === 'ACK') {
      proxy.forwardStateless(request, resolution.targets[0]!);
      return;
    }
    const recordRoute = (DIALOG_CREATING.has(method) && request.to.tag === undefined) || method === 'NOTIFY';
    if (method === 'INVITE') this.parts.calls.invite(request);
    if (method === 'BYE') this.parts.calls.bye(request);
    logger.info(
      `${flow}: ${method} ${request.uri} -> ${resolution.targets.map((target) => `${target.flow.id}`).join(', ')}`,
    );
    proxy.forward(flow, request, resolution.targets, recordRoute);
  }

  /**
   * §16.4: a Route naming this proxy is consumed (loose routing). A previous hop that strict-routed
   * put this proxy's Record-Route value in the Request-URI; the real one is then the last Route.
   * Says whether one of them was this proxy's Record-Route of the request's dialog.
   */
  #consumeOwnRoutes(request: SipRequest): boolean {
    const { identity } = this.parts;
    const uri = request.uri;
    let dialog = false;
    if (
      uri instanceof SipUri &&
      uri.user === undefined &&
      uri.params.has('lr') &&
      identity.isMe(uri) &&
      request.route.length > 0
    ) {
      dialog = identity.routesDialog(uri, request.callId);
      const routes = request.route;
      request.uri = routes[routes.length - 1]!.uri;
      request.route = routes.slice(0, -1);
    }
    while (request.route.length > 0 && identity.isMe(request.route[0]!.uri)) {
      dialog ||= identity.routesDialog(request.route[0]!.uri, request.callId);
      request.removeFirstValue('Route');
    }
    return dialog;
  }

  #register(flow: Flow, request: SipRequest, requestUri: string): void {
    const { verifier, registrar, logger } = this.parts;
    if (verifier) {
      const to = request.to.uri;
      const user = to instanceof SipUri ? (to.user ?? '') : '';
      if (!this.#checkCredentials(flow, request, 'www', user, requestUri)) return;
    }
    const response = registrar.register(request, flow);
    flow.sendMessage(response);
    const contacts = response.contact.length;
    logger.info(
      `${flow}: REGISTER ${request.to.uri} -> ${response.status}${response.status === 200 ? ` (${contacts} binding${contacts === 1 ? '' : 's'})` : ''}`,
    );
  }

  /** Requests to the server itself (no user part): OPTIONS is answered, the rest has no one to reach. */
  #forServer(flow: Flow, request: SipRequest): void {
    if (request.method === 'OPTIONS') {
      this.#reply(flow, request, 200, undefined, [
        ['Allow', ALLOWED_METHODS],
        ['Supported', 'outbound'],
        ['Accept', 'application/sdp'],
      ]);
      return;
    }
    this.#reply(flow, request, 484);
  }

  /**
   * RFC 3261 §22.3: requests from this domain's users must carry credentials, except ACK and CANCEL
   * (§22.1: they cannot be challenged) and requests inside a dialog, which was authorized when it
   * was made. A To tag alone proves no dialog (anyone can write one): only a request that brings
   * back this proxy's Record-Route of its dialog (`inDialog`, see ServerIdentity.recordRoute) is
   * let through unchallenged; any other is challenged, and a real dialog peer that lost its route
   * set can still answer. Requests from other domains may reach local users only (the resolver
   * refuses the rest).
   */
  #authorized(flow: Flow, request: SipRequest, requestUri: string, inDialog: boolean): boolean {
    const { verifier, identity } = this.parts;
    if (!verifier || request.method === 'ACK' || inDialog) return true;
    const from = request.from.uri;
    if (!(from instanceof SipUri) || !identity.isLocalHost(from.host)) return true;
    return this.#checkCredentials(flow, request, 'proxy', from.user ?? '', requestUri);
  }

  /**
   * RFC 3261 §22.3: credentials for this realm are this proxy's and go no further, in a dialog or
   * not, checked or not; a next hop would otherwise hold a digest it could replay as the sender.
   * Those for other realms (a proxy further on) are left alone.
   */
  #dropOwnCredentials(request: SipRequest): void {
    const verifier = this.parts.verifier;
    if (!verifier) return;
    for (const name of ['Authorization', 'Proxy-Authorization']) {
      const values = request.headers(name);
      const kept = values.filter((value) => !verifier.isForThisRealm(value));
      if (kept.length === values.length) continue;
      request.removeHeader(name);
      if (kept.length > 0) request.setHeader(name, kept);
    }
  }

  /** Verifies credentials, answering 401/407 (challenge) or 403 when they do not do. */
  #checkCredentials(flow: Flow, request: SipRequest, kind: 'www' | 'proxy', user: string, requestUri: string): boolean {
    const verifier = this.parts.verifier!;
    const header = kind === 'www' ? 'Authorization' : 'Proxy-Authorization';
    const verdict = verifier.verify(request.headers(header), request.method, user, requestUri);
    if (verdict.kind === 'ok') return true;
    if (verdict.kind === 'forbidden') {
      this.parts.logger.warn(`${flow}: ${request.method} for "${user}" refused: ${verdict.reason}`);
      this.#reply(flow, request, 403, 'Forbidden');
      return false;
    }
    // A wrong password gets a fresh challenge, as Kamailio does: the client then knows it failed.
    if (verdict.kind === 'wrong') this.parts.logger.warn(`${flow}: ${request.method} for "${user}": ${verdict.reason}`);
    const challengeHeader = kind === 'www' ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    const challenges = verifier.challenges(verdict.kind === 'stale');
    this.#reply(
      flow,
      request,
      kind === 'www' ? 401 : 407,
      undefined,
      challenges.map((value) => [challengeHeader, value] as const),
    );
    return false;
  }

  /** A response made here (§8.2.6.2, with a To tag for anything but 100). No response to an ACK. */
  #reply(flow: Flow, request: SipRequest, status: number, reason?: string, headers: ExtraHeaders = []): void {
    if (request.method === 'ACK') return;
    const response = responseTo(request, status, reason, status === 100 ? undefined : this.parts.toTag());
    for (const [name, value] of headers) response.addHeader(name, value);
    flow.sendMessage(response);
  }

  #agent(): string {
    return `${this.parts.identity.host}:${this.parts.identity.port}`;
  }
}

/**
 * RFC 3261 §18.2.1: the server notes where a request really came from in its top Via (`received`,
 * and `rport` when asked, RFC 3581), as the sent-by of a WebSocket client is a made-up name.
 */
function stampVia(request: SipRequest, flow: Flow): void {
  const top = request.topVia;
  const address = IPV4.exec(flow.remoteAddress)?.[1];
  if (!top || address === undefined) return;
  try {
    let stamped = top.withParam('received', address);
    if (top.rport === null) stamped = stamped.withParam('rport', String(flow.remotePort));
    request.via = [stamped, ...request.via.slice(1)];
  } catch {
    // A sent-by the parser took but the builder would not write: the request goes on unstamped
    // (responses find their way back by transaction, not by Via).
  }
}

/** Text for a Warning's quoted warn-text: no quotes, backslashes or control characters. */
function warningText(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, '?').slice(0, 200);
}
