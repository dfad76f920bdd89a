// Test support for the user agent's stateful fuzz test: one UserAgent (calls enabled, fake media,
// fake clock) on an in-memory transport, and the far end of the wire, which sends well-formed but
// hostile or out-of-order requests and responses as the test's steps say. The rig records what the
// invariants need: every error the UA reports, every final response to each far request, every
// message the UA sent, every call and media session it made.
import { FakeClock } from '../core/clock.fake';
import type { Logger } from '../core/logger';
import { seededRandom } from '../core/seeded-random.fake';
import { isRequest, type SipRequest, type SipResponse } from '../message/message';
import { parseMessage } from '../message/parser';
import { responseTo } from '../transaction/requests';
import { createMemoryTransportPair, type MemoryTransportPair } from '../transport/memory-transport.fake';
import type { Call } from './calls/call';
import { IncomingCall } from './calls/incoming-call';
import { FakeMediaSession, fakeMediaSessionFactory } from './media-session.fake';
import { UserAgent } from './user-agent';
import { MAX_MESSAGE_BODY } from './message-policy';
import { ClockDriver, describe, recent } from './fuzz-rig.fixtures';
import { FarReliable } from './reliable-provisional.fuzz.fixtures';

/** The SDP a far request or response carries. */
export type SdpChoice = 'offer' | 'hold' | 'none' | 'garbage' | 'no-media' | 'no-codec' | 'not-sdp';

/** The methods the far end sends; FOO stands for any method nobody knows (§8.2.1: 501). */
/** Headers an INVITE, UPDATE or their 2xx may carry: session timers (RFC 4028) and identities (RFC 3325). */
const SESSION_HEADERS: ReadonlyArray<readonly string[]> = [
  [],
  ['Session-Expires: 90;refresher=uac', 'Supported: timer'],
  ['Session-Expires: 90;refresher=uas'],
  ['Session-Expires: 30', 'Min-SE: 30'],
  ['Session-Expires: 4294967295;refresher=uac'],
  ['P-Asserted-Identity: "Carol" <sip:carol@far.example.test>'],
  ['Remote-Party-ID: "Dave" <sip:dave@far.example.test>;party=calling;privacy=off'],
  ['P-Asserted-Identity: <mailto:nobody@far.example.test>'],
];

export const FAR_METHODS = [
  'INVITE',
  'UPDATE',
  'BYE',
  'PRACK',
  'INFO',
  'REFER',
  'NOTIFY',
  'MESSAGE',
  'OPTIONS',
  'SUBSCRIBE',
  'FOO',
] as const;
export type FarMethod = (typeof FAR_METHODS)[number];

/** INVITEs asking to be auto-answered (auto-answer.ts), in each dialect, well-formed or not. */
export const AUTO_ANSWER_EXTRAS = [
  'answer-mode',
  'answer-mode-require',
  'call-info',
  'alert-info',
  'auto-answer-bad',
] as const;
type AutoAnswerExtra = (typeof AUTO_ANSWER_EXTRAS)[number];
const AUTO_ANSWER_HEADERS: Record<AutoAnswerExtra, string[]> = {
  'answer-mode': ['Answer-Mode: Auto'],
  'answer-mode-require': ['Priv-Answer-Mode: Auto;require'],
  'call-info': ['Call-Info: <sip:pbx.example.test>;answer-after=0'],
  'alert-info': ['Alert-Info: <http://notused.example>;info=alert-autoanswer;delay=1'],
  'auto-answer-bad': [
    'Call-Info: <<;answer-after=999999999;answer-after',
    'Alert-Info: info=, ;info',
    'Answer-Mode: ;require;;',
  ],
};

/** How a response to one of the UA's requests goes wrong (or not). */
export type ResponseVariant =
  'ok' | 'again' | 'fork' | 'cseq' | 'branch' | 'via-host' | 'call-id' | 'reliable' | 'reliable-gap';

/** The authentication challenge of a 401/407. */
export type ChallengeChoice = 'md5' | 'sha-256' | 'stale' | 'unknown-algorithm' | 'malformed' | 'basic' | 'missing';

export type ApiOp =
  | 'call'
  | 'answer'
  | 'decline'
  | 'hangup'
  | 'hold'
  | 'unhold'
  | 'video'
  | 'transfer'
  | 'attended-transfer'
  | 'dtmf'
  | 'dtmf-info'
  | 'ice-failed'
  | 'early-media'
  | 'message'
  | 'call-message'
  | 'auto-answer'
  | 'register'
  | 'unregister'
  | 'network-changed'
  | 'stop';

export type Step =
  | {
      t: 'invite';
      sdp: SdpChoice;
      extra:
        | 'plain'
        | 'replaces'
        | 'replaces-unknown'
        | 'replaces-bad'
        | 'require-unknown'
        | 'require-100rel'
        | 'no-contact'
        | 'record-route'
        | 'record-route-bad'
        | AutoAnswerExtra;
    }
  | {
      t: 'in-dialog';
      dialog: number;
      method: FarMethod;
      sdp: SdpChoice;
      body: number;
      cseq: 'next' | 'same' | 'old';
      tags: 'right' | 'to' | 'from' | 'call-id';
    }
  /** The far end PRACKs in a dialog (RFC 3262): the RAck right when `rack` % 3 is 0. */
  | { t: 'prack'; dialog: number; rack: number }
  | { t: 'out-of-dialog'; method: FarMethod; body: number }
  | { t: 'ack'; invite: number; sdp: SdpChoice; stray: boolean }
  | { t: 'cancel'; invite: number; stray: boolean }
  | { t: 'again'; request: number }
  | {
      t: 'respond';
      request: number;
      status: number;
      variant: ResponseVariant;
      sdp: 'answer' | 'none' | 'garbage' | 'mismatch';
      challenge: ChallengeChoice;
    }
  | { t: 'stray-response'; status: number; method: 'INVITE' | 'BYE' | 'REGISTER' | 'ACK' }
  | { t: 'link'; how: 'sever' | 'restore' | 'reconnect' | 'fail-next-send' | 'slow' | 'fast' }
  | { t: 'api'; op: ApiOp; call: number; arg: number }
  | { t: 'time'; ms: number }
  | { t: 'refer-policy'; accept: boolean }
  /** The far end behaves for once: ACKs its answered INVITEs and answers every open request 200 (202 REFER). */
  | { t: 'cooperate' };

/** A request the far end sent: it is owed exactly one final response once delivered (ACK: none). */
interface FarRequest {
  readonly label: string;
  delivered: boolean;
  /** How many copies reached the UA when no server transaction of it existed. */
  deliveries: number;
  /** The transport lost the answer (refused to send it, or dropped it in flight). */
  excused: boolean;
  /** Distinct final responses seen for it, as `status tag`. */
  readonly finals: Set<string>;
}

/** An INVITE the far end sent, with what the UA answered. */
interface FarInvite {
  readonly request: FarRequest;
  readonly uri: string;
  readonly branch: string;
  readonly callId: string;
  readonly tag: string;
  readonly seq: number;
  uaTag?: string;
  uaTarget?: string;
  final?: number;
  acked?: boolean;
}

/** A dialog (early or confirmed) as the far end sees it. */
interface FarDialog {
  readonly callId: string;
  readonly farTag: string;
  readonly uaTag: string;
  readonly uaTarget: string;
  seq: number;
}

/** A request the UA sent to the far end, and how the far end answered it. */
interface UaRequest {
  readonly message: SipRequest;
  readonly tag: string;
  answered: boolean;
  last?: string;
}

const FAR_HOST = 'far.invalid';
const FAR = 'sip:bob@far.example.test';
const UA_AOR = 'sip:alice@example.test';
const FAR_CONTACT = `<sip:bob@${FAR_HOST};transport=ws>`;
const GARBAGE_SDP = 'v=0\r\nthis is not SDP at all\r\n';
const NO_MEDIA_SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

const INFO_BODIES: ReadonlyArray<readonly [string, string]> = [
  ['application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n'],
  ['application/dtmf-relay', 'Signal=Q\r\nDuration=-3\r\n'],
  ['application/x-unknown', 'anything'],
  ['', ''],
];
const NOTIFY_BODIES: ReadonlyArray<readonly [string, string, string]> = [
  ['refer', 'message/sipfrag', 'SIP/2.0 200 OK\r\n'],
  ['refer', 'message/sipfrag', 'SIP/2.0 180 Ringing\r\n'],
  ['refer;id=7', 'message/sipfrag', 'SIP/2.0 603 Declined\r\n'],
  ['refer', 'message/sipfrag', 'not a status line'],
  ['dialog', 'application/dialog-info+xml', '<dialog-info/>'],
  ['', '', ''],
];
const MESSAGE_BODIES: ReadonlyArray<readonly [string, string]> = [
  ['text/plain;charset=utf-8', 'hello \u00e9\u00e8'],
  ['application/x-bogus', 'binary?'],
  ['', ''],
  ['text/html', '<b>not for pages that did not opt in</b>'],
  ['text/plain', 'x'.repeat(MAX_MESSAGE_BODY + 1)],
];
const API_TARGETS = ['bob', 'sip:carol@far.example.test', 'tel:+15551234567', '', 'bob@@bad host'];

export interface FuzzRig {
  /** Runs one step and lets the stack settle. */
  run(step: Step): Promise<void>;
  /** The invariants that hold after every step; returns the violations found since the last call. */
  check(): string[];
  /** Stops the UA, runs the clock far ahead, and checks the end-state invariants. */
  finish(): Promise<string[]>;
  /** Reports a problem found outside the rig (an unhandled rejection). */
  report(problem: string): void;
}

/** Builds a UA and its far end. */
export async function createFuzzRig(): Promise<FuzzRig> {
  const rig = new Rig();
  await rig.start();
  return rig;
}

class Rig implements FuzzRig {
  readonly clock = new FakeClock();
  readonly #time = new ClockDriver(this.clock, (problem) => this.report(problem));
  readonly pair: MemoryTransportPair = createMemoryTransportPair({ clock: this.clock, random: seededRandom(5) });
  readonly media = fakeMediaSessionFactory();
  readonly problems: string[] = [];
  readonly ua: UserAgent;
  readonly calls: Call[] = [];
  readonly #pendingApi = new Set<string>();
  readonly #byText = new Map<string, FarRequest>();
  readonly #byKey = new Map<string, FarRequest>();
  readonly #invites: FarInvite[] = [];
  readonly #dialogs: FarDialog[] = [];
  readonly #uaRequests: UaRequest[] = [];
  readonly #farTexts: string[] = [];
  /** What the UA sent that has not reached the far end yet. */
  readonly #inFlight = new Set<string>();
  #sentChecked = 0;
  #next = 0;
  #acceptRefer = false;
  #offer = '';
  /** RFC 3262 both ways: RSeq and RAck of the far end, and the UA's reliable 1xx and PRACKs checked. */
  readonly #reliable = new FarReliable((problem) => this.report(problem));
  /** stop() was called: the transport stays down (a stopped UA is not restarted). */
  #stopped = false;

  constructor() {
    const pair = this.pair;
    // Registered before the UA's own listener: a request is delivered when the UA's end emits it.
    pair.a.onMessage((text) => {
      const request = this.#byText.get(text);
      if (!request) return;
      request.delivered = true;
      // A copy that no server transaction absorbs is a new request to the UA: over a reliable
      // transport Timer J is zero (§17.2.2) and Timer L 64*T1 (RFC 6026 §8.7), after which the
      // same text is processed, and answered, afresh.
      if (!this.ua.core.transactions.serverTransactionFor(parseMessage(text) as SipRequest)) request.deliveries++;
    });
    // A far request is excused from its answer only when the transport lost that answer: it
    // refused to send it, or the connection dropped while it was in flight. One the UA never
    // tried to answer is not excused.
    const send = pair.a.send.bind(pair.a);
    pair.a.send = (text: string) => {
      try {
        send(text);
      } catch (error) {
        this.#lost(text);
        throw error;
      }
      this.#inFlight.add(text);
    };
    pair.a.onStateChange((state) => {
      if (state === 'connected') return;
      for (const text of this.#inFlight) this.#lost(text);
      this.#inFlight.clear();
    });
    const fail = (message: string, ...data: unknown[]) =>
      this.report(`logged as an error: ${message} ${data.map(describe).join(' ')}`);
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: fail };
    this.ua = new UserAgent({
      aor: UA_AOR,
      displayName: 'Alice',
      password: 'secret',
      transport: pair.a,
      clock: this.clock,
      random: seededRandom(9),
      logger,
      calls: { mediaSessionFactory: this.media },
    });
    this.ua.events.on('bad-message', ({ error }) => this.#reported(error, 'bad-message event'));
    this.ua.events.on('incoming-call', (call) => this.#watch(call));
    pair.b.onMessage((text) => this.#farReceives(text));
  }

  async start(): Promise<void> {
    this.#offer = await new FakeMediaSession({ name: 'far' }).createOffer();
    await this.ua.start();
    await this.#time.settle();
  }

  report(problem: string): void {
    this.problems.push(problem);
  }

  check(): string[] {
    const sent = this.pair.a.sent;
    for (; this.#sentChecked < sent.length; this.#sentChecked++) {
      const text = sent[this.#sentChecked]!;
      try {
        const message = parseMessage(text);
        const problem = message.problems[0];
        if (problem)
          this.report(`the UA sent a message its own parser flags (${problem.status} ${problem.reason}):\n${text}`);
      } catch (error) {
        this.report(`the UA sent a message its own parser rejects (${describe(error)}):\n${text}`);
      }
    }
    for (const request of this.#byKey.values()) {
      if (request.finals.size > Math.max(1, request.deliveries))
        this.report(
          `${request.label} got ${request.finals.size} different final responses: ${[...request.finals].join(', ')}`,
        );
    }
    return this.problems.splice(0);
  }

  async finish(): Promise<string[]> {
    this.#api('stop', () => this.ua.stop());
    for (let i = 0; i < 12; i++) await this.#time.advance(60_000);
    const clock = this.clock;
    if (clock.pending > 0) this.report(`${clock.pending} timer(s) still pending after stop() and 12 minutes`);
    for (const what of this.#pendingApi) this.report(`${what} never settled (a hang)`);
    if (this.ua.calls.length > 0) this.report(`${this.ua.calls.length} call(s) still live after stop()`);
    for (const call of this.calls)
      if (call.state !== 'ended') this.report(`${call.id} (${call.direction}) left in state ${call.state}`);
    this.media.sessions.forEach(
      (session, index) => session.closed || this.report(`media session ${index + 1} never closed`),
    );
    for (const request of this.#byKey.values()) {
      if (request.delivered && !request.excused && request.finals.size === 0)
        this.report(`${request.label} never got a final response`);
    }
    return this.check();
  }

  // ------------------------------------------------------------------ steps

  async run(step: Step): Promise<void> {
    switch (step.t) {
      case 'invite':
        this.#sendInvite(step.sdp, step.extra);
        break;
      case 'in-dialog':
        this.#sendInDialog(step);
        break;
      case 'prack':
        this.#sendInDialog({
          t: 'in-dialog',
          dialog: step.dialog,
          method: 'PRACK',
          sdp: 'none',
          body: step.rack,
          cseq: 'next',
          tags: 'right',
        });
        break;
      case 'out-of-dialog':
        this.#sendOutOfDialog(step.method, step.body);
        break;
      case 'ack':
        this.#sendAck(step.invite, step.sdp, step.stray);
        break;
      case 'cancel':
        this.#sendCancel(step.invite, step.stray);
        break;
      case 'again': {
        const text = pick(this.#farTexts, step.request);
        if (text) this.#farSend(text);
        break;
      }
      case 'respond':
        await this.#respond(step);
        break;
      case 'stray-response':
        this.#strayResponse(step.status, step.method);
        break;
      case 'link':
        this.#link(step.how);
        break;
      case 'api':
        this.#apiStep(step.op, step.call, step.arg);
        break;
      case 'time':
        await this.#time.advance(step.ms);
        return;
      case 'refer-policy':
        this.#acceptRefer = step.accept;
        break;
      case 'cooperate':
        await this.#cooperate();
        break;
    }
    await this.#time.settle();
  }

  /**
   * Lets promise chains run, then delivery (a 0 ms timer), a few rounds. Promise jobs always run
   * first, as in an event loop, where no timer or socket event comes between an API call and the
   * promise jobs it started.
   */
  // ------------------------------------------------------------------ the far end sends

  #id(prefix: string): string {
    return `${prefix}${(this.#next++).toString(36)}`;
  }

  /** Builds, records and sends a far request; returns its record (none for ACK). */
  #request(
    method: string,
    fields: {
      uri?: string;
      callId?: string;
      fromTag?: string;
      toTag?: string;
      seq?: number;
      branch?: string;
      cseqMethod?: string;
      headers?: string[];
      body?: string;
      contentType?: string;
    },
  ): { request: FarRequest | undefined; branch: string } {
    const branch = fields.branch ?? this.#id('z9hG4bKfar');
    const cseqMethod = fields.cseqMethod ?? method;
    const body = fields.body ?? '';
    const lines = [
      `${method} ${fields.uri ?? UA_AOR} SIP/2.0`,
      `Via: SIP/2.0/WSS ${FAR_HOST};branch=${branch}`,
      'Max-Forwards: 70',
      `From: <${FAR}>;tag=${fields.fromTag ?? this.#id('ft')}`,
      `To: <${UA_AOR}>${fields.toTag ? `;tag=${fields.toTag}` : ''}`,
      `Call-ID: ${fields.callId ?? this.#id('far-call-')}`,
      `CSeq: ${fields.seq ?? 1} ${cseqMethod}`,
      ...(fields.headers ?? []),
      ...(fields.contentType ? [`Content-Type: ${fields.contentType}`] : []),
      `Content-Length: ${new TextEncoder().encode(body).length}`,
    ];
    const text = `${lines.join('\r\n')}\r\n\r\n${body}`;
    let request: FarRequest | undefined;
    if (method !== 'ACK') {
      const key = `${branch}\u0000${cseqMethod}`;
      request = this.#byKey.get(key);
      if (!request)
        this.#byKey.set(
          key,
          (request = {
            label: `far ${method} #${this.#byKey.size + 1} (${fields.callId ?? 'new call'})`,
            delivered: false,
            deliveries: 0,
            excused: false,
            finals: new Set(),
          }),
        );
      this.#byText.set(text, request);
    }
    this.#farTexts.push(text);
    this.#farSend(text);
    return { request, branch };
  }

  /** Sends from the far end; while the link is down nothing goes (and nothing is owed an answer). */
  #farSend(text: string): void {
    try {
      this.pair.b.send(text);
    } catch {
      // Not connected: the request never reaches the UA.
    }
  }

  #sdp(choice: SdpChoice): { body?: string; contentType?: string } {
    switch (choice) {
      case 'offer':
        return { body: this.#offer, contentType: 'application/sdp' };
      case 'hold':
        return { body: this.#offer.replace(/a=sendrecv/g, 'a=sendonly'), contentType: 'application/sdp' };
      case 'garbage':
        return { body: GARBAGE_SDP, contentType: 'application/sdp' };
      case 'no-media':
        return { body: NO_MEDIA_SDP, contentType: 'application/sdp' };
      case 'no-codec':
        return {
          body: this.#offer
            .replace(/^m=audio (\d+) (\S+) .*$/m, 'm=audio $1 $2 126')
            .replace(/^a=(rtpmap|fmtp):.*\r\n/gm, ''),
          contentType: 'application/sdp',
        };
      case 'not-sdp':
        return { body: this.#offer, contentType: 'text/plain' };
      case 'none':
        return {};
    }
  }

  #sendInvite(sdp: SdpChoice, extra: Extract<Step, { t: 'invite' }>['extra']): void {
    const headers = extra === 'no-contact' ? [] : [`Contact: ${FAR_CONTACT}`];
    const dialog = this.#dialogs[this.#next % Math.max(1, this.#dialogs.length)];
    if (extra === 'replaces' && dialog)
      headers.push(`Replaces: ${dialog.callId};to-tag=${dialog.uaTag};from-tag=${dialog.farTag}`);
    if (extra === 'replaces-unknown') headers.push('Replaces: nobody@nowhere;to-tag=a;from-tag=b');
    if (extra === 'replaces-bad') headers.push('Replaces: ;;;to-tag');
    if (extra === 'require-unknown') headers.push('Require: 100rel, foo');
    if (extra === 'require-100rel') headers.push('Require: 100rel');
    if (extra === 'record-route')
      headers.push('Record-Route: <sip:proxy.example.test;transport=ws;lr>, <sip:edge.example.test;lr>');
    if (extra === 'record-route-bad') headers.push('Record-Route: <sip:proxy.example.test;lr');
    if (extra in AUTO_ANSWER_HEADERS) headers.push(...AUTO_ANSWER_HEADERS[extra as AutoAnswerExtra]);
    const callId = this.#id('far-call-');
    const tag = this.#id('ft');
    const uri = UA_AOR;
    const { request, branch } = this.#request('INVITE', { callId, fromTag: tag, uri, headers, ...this.#sdp(sdp) });
    this.#invites.push({ request: request!, uri, branch, callId, tag, seq: 1 });
    this.#reliable.invite(branch, extra === 'require-100rel');
  }

  #sendInDialog(step: Extract<Step, { t: 'in-dialog' }>): void {
    const dialog = recent(this.#dialogs, step.dialog);
    if (!dialog) return this.#sendOutOfDialog(step.method, step.body);
    const seq = step.cseq === 'next' ? ++dialog.seq : step.cseq === 'same' ? dialog.seq : Math.max(1, dialog.seq - 5);
    this.#request(step.method, {
      uri: dialog.uaTarget,
      callId: step.tags === 'call-id' ? this.#id('other-call-') : dialog.callId,
      fromTag: step.tags === 'from' ? this.#id('wrong') : dialog.farTag,
      toTag: step.tags === 'to' ? this.#id('wrong') : dialog.uaTag,
      seq,
      ...this.#content(step.method, step.body, step.sdp, dialog),
    });
  }

  #sendOutOfDialog(method: FarMethod, body: number): void {
    this.#request(method, this.#content(method, body, body % 2 ? 'offer' : 'none'));
  }

  /** Headers and body fitting a method: SDP for INVITE/UPDATE, DTMF for INFO, Refer-To, sipfrag... */
  #content(
    method: FarMethod,
    body: number,
    sdp: SdpChoice,
    dialog?: FarDialog,
  ): { headers: string[]; body?: string; contentType?: string } {
    const headers = [`Contact: ${FAR_CONTACT}`];
    switch (method) {
      case 'INVITE':
      case 'UPDATE':
        // RFC 4028 session timers (90 s, too small, refresher either way) and RFC 3325 identities.
        return { headers: [...headers, ...pick(SESSION_HEADERS, body)!], ...this.#sdp(sdp) };
      case 'INFO': {
        const [contentType, text] = pick(INFO_BODIES, body)!;
        return { headers, body: text, contentType: contentType || undefined };
      }
      case 'REFER': {
        const dialog = pick(this.#dialogs, body);
        const replaces = dialog
          ? `?Replaces=${encodeURIComponent(`${dialog.callId};to-tag=${dialog.farTag};from-tag=${dialog.uaTag}`)}`
          : '';
        const referTo = [
          '<sip:carol@far.example.test>',
          `<sip:carol@far.example.test${replaces}>`,
          '<sip:carol@far.example.test?Replaces=%3B%3B>',
          '<:not a uri>',
          '',
        ][body % 5]!;
        return { headers: referTo ? [...headers, `Refer-To: ${referTo}`, `Referred-By: <${FAR}>`] : headers };
      }
      case 'NOTIFY': {
        const [event, contentType, text] = pick(NOTIFY_BODIES, body)!;
        const state = body % 2 ? 'terminated;reason=noresource' : 'active;expires=60';
        return {
          headers: [...headers, ...(event ? [`Event: ${event}`] : []), `Subscription-State: ${state}`],
          body: text,
          contentType: contentType || undefined,
        };
      }
      case 'MESSAGE': {
        const [contentType, text] = pick(MESSAGE_BODIES, body)!;
        return { headers, body: text, contentType: contentType || undefined };
      }
      case 'PRACK': {
        // RFC 3262 §7.2: right (the UA's last reliable 1xx to that INVITE), one ahead, or unknown.
        const invite = dialog && this.#invites.find((i) => i.callId === dialog.callId && i.tag === dialog.farTag);
        return {
          headers: [
            ...headers,
            `RAck: ${this.#reliable.rack(invite?.branch, dialog?.uaTag ?? '', invite?.seq ?? 1, body)}`,
          ],
        };
      }
      case 'SUBSCRIBE':
        return { headers: [...headers, 'Event: dialog', 'Expires: 60'] };
      default:
        return { headers };
    }
  }

  #sendAck(index: number, sdp: SdpChoice, stray: boolean): void {
    const invite = recent(this.#invites, index);
    if (!invite || stray) {
      this.#request('ACK', { toTag: this.#id('tt') });
      return;
    }
    const success = invite.final !== undefined && invite.final < 300;
    invite.acked ||= invite.final !== undefined;
    // §17.1.1.3: the ACK for a non-2xx is part of the INVITE's transaction (same branch); §13.2.2.4:
    // the ACK for a 2xx is a new transaction in the dialog, sent to the remote target.
    this.#request('ACK', {
      uri: success ? invite.uaTarget : invite.uri,
      branch: success ? undefined : invite.branch,
      callId: invite.callId,
      fromTag: invite.tag,
      toTag: invite.uaTag,
      seq: invite.seq,
      ...this.#sdp(sdp),
    });
  }

  #sendCancel(index: number, stray: boolean): void {
    const invite = recent(this.#invites, index);
    if (!invite) return;
    this.#request('CANCEL', {
      uri: invite.uri,
      branch: stray ? undefined : invite.branch,
      callId: invite.callId,
      fromTag: invite.tag,
      seq: invite.seq,
    });
  }

  async #cooperate(): Promise<void> {
    this.#invites.forEach((invite, index) => {
      if (invite.final !== undefined && !invite.acked) this.#sendAck(this.#invites.length - 1 - index, 'none', false);
    });
    for (const request of this.#uaRequests.filter((r) => !r.answered)) {
      const status = request.message.method === 'REFER' ? 202 : 200;
      await this.#respond({
        t: 'respond',
        request: this.#uaRequests.filter((r) => !r.answered).indexOf(request),
        status,
        variant: 'ok',
        sdp: 'answer',
        challenge: 'md5',
      });
    }
  }

  /** The far end answers one of the UA's requests (the first unanswered one the index lands on). */
  async #respond(step: Extract<Step, { t: 'respond' }>): Promise<void> {
    const all = this.#uaRequests;
    const open = all.filter((request) => !request.answered);
    const target = step.variant === 'again' ? pick(all, step.request) : pick(open.length ? open : all, step.request);
    if (!target) return;
    if (step.variant === 'again' && target.last) return this.#farSend(target.last);
    const request = target.message;
    const status = step.status;
    const tag = step.variant === 'fork' ? this.#id('fork') : target.tag;
    const response = responseTo(request, status, undefined, status > 100 ? tag : undefined);
    const method = request.method;
    if (method === 'INVITE' && status > 100 && status < 300) response.setHeader('Contact', FAR_CONTACT);
    if (method === 'INVITE' && status > 100 && status < 200 && step.variant.startsWith('reliable')) {
      // RFC 3262 §3: a reliable 1xx, in order or (reliable-gap) one RSeq ahead, which §4 has the UA ignore.
      response.setHeader('Require', '100rel');
      response.setHeader('RSeq', this.#reliable.farRSeq(`${request.callId} ${tag}`, step.variant === 'reliable-gap'));
    }
    if (method === 'REGISTER' && status < 300 && status >= 200) {
      const contact = request.header('Contact');
      if (contact && step.request % 3 !== 0)
        response.setHeader('Contact', `${contact};expires=${[60, 0, 3600][step.request % 3]}`);
      response.setHeader('Expires', 120);
    }
    if (status === 401 || status === 407) this.#challenge(response, step.challenge);
    if (status === 423) response.setHeader('Min-Expires', step.request % 2 ? 3600 : 10);
    // RFC 4028 §6: a 422 names the interval the far end takes (sometimes absurd).
    if (status === 422) response.setHeader('Min-SE', [1800, 90, 4294967295][step.request % 3]!);
    if (status === 200 && (method === 'INVITE' || method === 'UPDATE'))
      for (const header of pick(SESSION_HEADERS, step.request)!)
        response.addHeader(...(header.split(': ') as [string, string]));
    if (status > 299 && status < 400) response.setHeader('Contact', '<sip:carol@far.example.test>');
    if (status === 503 || status === 480) response.setHeader('Retry-After', 1 + (step.request % 5));
    const offer = method === 'INVITE' && request.contentType === 'application/sdp' ? request.body : undefined;
    if (offer && status > 100 && status < 300 && (status === 183 || status >= 200))
      await this.#answerSdp(response, offer, step.sdp);
    switch (step.variant) {
      case 'cseq':
        response.setHeader('CSeq', `${request.cseq.seq + 7} ${method}`);
        break;
      case 'branch':
        response.setHeader('Via', `SIP/2.0/WSS ${request.via[0]!.host};branch=z9hG4bKnotyours${this.#next++}`);
        break;
      case 'via-host':
        response.setHeader('Via', `SIP/2.0/WSS someone.invalid;branch=${request.via[0]!.branch}`);
        break;
      case 'call-id':
        response.setHeader('Call-ID', this.#id('other-call-'));
        break;
    }
    const text = response.toString();
    if (step.variant === 'ok' || step.variant === 'fork' || step.variant.startsWith('reliable')) {
      if (status >= 200) target.answered = true;
      target.last = text;
      if (method === 'INVITE' && status > 100 && status < 300)
        this.#addDialog(request.callId, response.to.tag ?? tag, request.from.tag!, request.contact[0]);
    }
    this.#farSend(text);
  }

  async #answerSdp(
    response: SipResponse,
    offer: string,
    choice: Extract<Step, { t: 'respond' }>['sdp'],
  ): Promise<void> {
    let body: string | undefined;
    if (choice === 'answer')
      body = await new FakeMediaSession({ name: 'far' }).applyOffer(offer).catch(() => undefined);
    else if (choice === 'garbage') body = GARBAGE_SDP;
    else if (choice === 'mismatch') body = `${this.#offer}m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n`;
    if (body === undefined) return;
    response.setHeader('Content-Type', 'application/sdp');
    response.body = body;
  }

  #challenge(response: SipResponse, choice: ChallengeChoice): void {
    const name = response.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    const nonce = this.#id('nonce');
    const value = {
      md5: `Digest realm="example.test", nonce="${nonce}", qop="auth", algorithm=MD5`,
      'sha-256': `Digest realm="example.test", nonce="${nonce}", qop="auth", algorithm=SHA-256`,
      stale: `Digest realm="example.test", nonce="${nonce}", qop="auth", algorithm=MD5, stale=true`,
      'unknown-algorithm': `Digest realm="example.test", nonce="${nonce}", algorithm=SHA-999`,
      malformed: 'Digest realm="example.test, nonce=',
      basic: 'Basic realm="example.test"',
      missing: undefined,
    }[choice];
    if (value !== undefined) response.setHeader(name, value);
  }

  #strayResponse(status: number, method: string): void {
    const branch = this.#id('z9hG4bKstray');
    const text =
      `SIP/2.0 ${status} Whatever\r\nVia: SIP/2.0/WSS ${this.pair.a.viaHost};branch=${branch}\r\nFrom: <${UA_AOR}>;tag=${this.#id('x')}\r\n` +
      `To: <${FAR}>;tag=${this.#id('y')}\r\nCall-ID: ${this.#id('stray-')}\r\nCSeq: 1 ${method}\r\nContent-Length: 0\r\n\r\n`;
    this.#farSend(text);
  }

  #addDialog(callId: string, farTag: string, uaTag: string, contact: SipRequest['contact'][number] | undefined): void {
    if (this.#dialogs.some((d) => d.callId === callId && d.farTag === farTag && d.uaTag === uaTag)) return;
    const uaTarget = contact && contact !== '*' ? contact.uri.toString() : UA_AOR;
    this.#dialogs.push({ callId, farTag, uaTag, uaTarget, seq: 1 });
  }

  // ------------------------------------------------------------------ the far end receives

  /** The transport lost a message of the UA: a response in it is excused (never seen by the far end). */
  #lost(text: string): void {
    if (!text.startsWith('SIP/2.0 ')) return;
    try {
      const response = parseMessage(text);
      const request = this.#byKey.get(`${response.via[0]?.branch ?? ''}\u0000${response.cseq.method}`);
      if (request) request.excused = true;
    } catch {
      // check() reports an unparseable message.
    }
  }

  #farReceives(text: string): void {
    this.#inFlight.delete(text);
    let message: SipRequest | SipResponse;
    try {
      message = parseMessage(text);
    } catch {
      return; // check() reports it
    }
    if (isRequest(message)) {
      if (message.method === 'PRACK') this.#reliable.uaPrack(message);
      if (message.method !== 'ACK') this.#uaRequests.push({ message, tag: this.#id('tt'), answered: false });
      return;
    }
    if (message.cseq.method === 'ACK') this.report(`the UA answered an ACK: ${message.status}`);
    const branch = message.via[0]?.branch ?? '';
    const request = this.#byKey.get(`${branch}\u0000${message.cseq.method}`);
    if (request && message.status >= 200) request.finals.add(`${message.status} ${message.to.tag ?? ''}`);
    const invite = message.cseq.method === 'INVITE' ? this.#invites.find((i) => i.branch === branch) : undefined;
    if (!invite || message.status === 100) return;
    this.#reliable.uaResponse(branch, message);
    invite.uaTag ??= message.to.tag;
    const contact = message.contact[0];
    if (contact && contact !== '*') invite.uaTarget = contact.uri.toString();
    if (message.status >= 200) invite.final ??= message.status;
    if (message.status < 300 && message.to.tag) this.#addDialog(invite.callId, invite.tag, message.to.tag, contact);
  }

  // ------------------------------------------------------------------ the link and the local API

  #link(how: Extract<Step, { t: 'link' }>['how']): void {
    const pair = this.pair;
    if (how === 'sever') pair.sever('fuzz: link cut');
    else if (how === 'restore') pair.restore();
    else if (how === 'reconnect' && !this.#stopped) pair.a.reconnectNow('fuzz: reconnect');
    else if (how === 'fail-next-send') pair.a.failNextSend('fuzz: send failed');
    // The far end's messages arrive late, so they cross the UA's (a CANCEL and a 200, two re-INVITEs).
    else if (how === 'slow') pair.b.delay(600);
    else if (how === 'fast') pair.b.delay(0);
  }

  #apiStep(op: ApiOp, index: number, arg: number): void {
    const ua = this.ua;
    const live = this.calls.filter((call) => call.state !== 'ended');
    const call = pick(live.length ? live : this.calls, index);
    const incoming = call instanceof IncomingCall ? call : undefined;
    switch (op) {
      case 'call':
        return this.#api('call()', () => this.#watch(ua.call(pick(API_TARGETS, arg)!, { video: arg % 4 === 3 })));
      case 'message':
        return this.#api('sendMessage()', () => ua.sendMessage(pick(API_TARGETS, arg)!, 'hi there'));
      case 'auto-answer':
        ua.autoAnswer = arg % 2 === 0;
        return;
      case 'register':
        return this.#api('register()', () => ua.register());
      case 'unregister':
        return this.#api('unregister()', () => ua.unregister());
      case 'network-changed':
        return this.#api('networkChanged()', () => ua.networkChanged());
      case 'stop':
        this.#stopped = true;
        return this.#api('stop()', () => ua.stop());
    }
    if (!call) return;
    switch (op) {
      case 'answer':
        return incoming && this.#api(`${call.id}.answer()`, () => incoming.answer({ video: arg % 3 === 2 }));
      case 'decline':
        return incoming && this.#api(`${call.id}.decline()`, () => incoming.decline(arg % 2 ? 486 : 603));
      case 'hangup':
        return this.#api(`${call.id}.hangup()`, () => call.hangup());
      case 'hold':
        return this.#api(`${call.id}.hold()`, () => call.hold());
      case 'unhold':
        return this.#api(`${call.id}.unhold()`, () => call.unhold());
      case 'video':
        return this.#api(`${call.id}.setVideo()`, () => call.setVideo(arg % 2 === 0));
      case 'transfer':
        return this.#api(`${call.id}.transfer()`, () => call.transfer(pick(API_TARGETS, arg)!));
      case 'attended-transfer': {
        const other = pick(this.calls, arg);
        return other && this.#api(`${call.id}.transfer(call)`, () => call.transfer(other));
      }
      case 'dtmf':
        return this.#api(`${call.id}.sendDtmf()`, () => call.sendDtmf('1#', { mode: 'auto' }));
      case 'dtmf-info':
        return this.#api(`${call.id}.sendDtmf(info)`, () => call.sendDtmf(arg % 2 ? '5,9' : 'X', { mode: 'info' }));
      case 'ice-failed':
        return void (call.media as FakeMediaSession | undefined)?.simulate('ice-failed');
      case 'early-media':
        return incoming && this.#api(`${call.id}.earlyMedia()`, () => incoming.earlyMedia({ video: arg % 3 === 2 }));
      case 'call-message':
        return this.#api(`${call.id}.sendMessage()`, () =>
          call.sendMessage(arg % 2 ? 'in the call' : '', arg % 3 ? undefined : 'text/html'),
        );
    }
  }

  /** Calls the API; a throw or a rejection must be an Error with a message, and a promise must settle. */
  #api(what: string, run: () => unknown): void {
    let result: unknown;
    try {
      result = run();
    } catch (error) {
      return this.#reported(error, `${what} threw`);
    }
    if (!(result instanceof Promise)) return;
    const key = `${what} (step at ${this.clock.now()} ms, #${this.#next++})`;
    this.#pendingApi.add(key);
    result.then(
      () => this.#pendingApi.delete(key),
      (error: unknown) => {
        this.#pendingApi.delete(key);
        this.#reported(error, `${what} rejected`);
      },
    );
  }

  #watch(call: Call): void {
    if (this.calls.includes(call)) return;
    this.calls.push(call);
    call.events.on('error', (error) => this.#reported(error, `${call.id} error event`));
    call.events.on('referred-call', (next) => this.#watch(next));
    call.events.on('replaced', (next) => this.#watch(next));
    call.events.on('refer', (refer) => (this.#acceptRefer ? refer.accept() : refer.reject()));
    call.events.on('message', ({ body, contentType }) => {
      if (contentType !== 'text/plain' || body.length > MAX_MESSAGE_BODY)
        this.report(`${call.id} delivered a MESSAGE the policy refuses (${contentType}, ${body.length} chars)`);
    });
    // As <sip-phone auto-answer> does: a call allowed to be auto-answered is answered after its delay.
    const wanted = call instanceof IncomingCall ? call.autoAnswer : undefined;
    if (wanted?.allowed && !this.ua.autoAnswer) this.report(`${call.id} allowed to auto-answer with auto-answer off`);
    if (wanted?.allowed && call instanceof IncomingCall) {
      this.clock.setTimeout(
        () => call.state === 'incoming' && this.#api(`${call.id}.answer() (auto)`, () => call.answer()),
        wanted.delay * 1000,
      );
    }
  }

  /** An error the UA reported: it must be an Error with a readable message. */
  #reported(error: unknown, where: string): void {
    if (!(error instanceof Error) || !error.message)
      this.report(`${where}: not an Error with a message: ${describe(error)}`);
  }
}

function pick<T>(list: readonly T[], index: number): T | undefined {
  return list.length ? list[index % list.length] : undefined;
}
