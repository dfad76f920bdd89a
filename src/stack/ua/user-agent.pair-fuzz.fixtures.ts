// Test support for the two-UA fuzz test: three of our UserAgents (alice, bob, carol; calls on,
// fake media, one fake clock) on the test-driven network of pair-network.fixtures.ts. Steps call
// the API of a random phone, move one queue of the network, drop a connection or move the clock;
// the rig records what the invariants need: calls, MESSAGEs sent and received, API promises,
// logged errors, messages lost with a connection (their dialogs are excused from agreeing).
import { FakeClock } from '../core/clock.fake';
import type { Logger } from '../core/logger';
import { seededRandom } from '../core/seeded-random.fake';
import { parseMessage } from '../message/parser';
import { SipUri } from '../message/message';
import { parseUri } from '../message/uri';
import type { Call } from './calls/call';
import { IncomingCall } from './calls/incoming-call';
import { FakeMediaSession } from './media-session.fake';
import type { MediaSessionOptions } from './media-session';
import { QueuedTransport, Switchboard, type Queued } from './pair-network.fixtures';
import { UserAgent } from './user-agent';
import { ClockDriver, describe, recent } from './fuzz-rig.fixtures';

export const PHONES = ['alice', 'bob', 'carol'] as const;
const DOMAIN = 'example.test';
/**
 * RFC 4028 at its shortest: refreshes (UPDATE, the peers allow it) every 45 s race the other
 * requests of a dialog, re-INVITEs included, and a dialog that lost its peer ends by expiry.
 */
const SESSION_TIMERS = { expires: 90 };
/** 64*T1 (RFC 3261 §17.1.1.2 Timer B): a message held longer is as good as lost. */
const LATE_MS = 32_000;

export type PairOp =
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
  | 'message'
  | 'call-message'
  | 'register'
  | 'unregister'
  | 'network-changed';

export type PairStep =
  | { t: 'api'; phone: number; op: PairOp; call: number; arg: number }
  /** Moves `count` messages of one non-empty queue (`queue` counts among those). */
  | { t: 'deliver'; queue: number; count: number }
  /** Every queue until all are empty: the network is fast for a moment. */
  | { t: 'flush' }
  | { t: 'drop'; phone: number; reconnectMs: number }
  | { t: 'time'; ms: number }
  | { t: 'refer-policy'; phone: number; accept: boolean }
  /** A shortcut to the races worth having: `phone` calls the next phone, which answers; all delivered. */
  | { t: 'connect'; phone: number };

interface Phone {
  readonly name: string;
  readonly ua: UserAgent;
  readonly transport: QueuedTransport;
  readonly media: ReturnType<typeof namedSessions>;
  readonly calls: Call[];
  acceptRefer: boolean;
  /** Bodies of the MESSAGEs it received, with how often. */
  readonly received: Map<string, number>;
}

interface SentMessage {
  readonly from: string;
  readonly to: string;
  outcome: 'pending' | 'resolved' | 'rejected';
}

export class PairRig {
  readonly clock = new FakeClock();
  readonly #time = new ClockDriver(this.clock, (problem) => this.report(problem));
  readonly switchboard = new Switchboard(DOMAIN, this.clock);
  readonly phones: Phone[];
  readonly #problems: string[] = [];
  readonly #pendingApi = new Set<string>();
  /** Call-IDs with a message lost with its connection, or held past 64*T1. */
  readonly #lossy = new Set<string>();
  readonly #messages = new Map<string, SentMessage>();
  #next = 0;
  #checked: number[] = PHONES.map(() => 0);

  constructor() {
    const logger = (name: string): Logger => ({
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (message: string, ...data: unknown[]) =>
        this.report(`${name} logged an error: ${message} ${data.map(describe).join(' ')}`),
    });
    this.phones = PHONES.map((name, i) => {
      const transport = new QueuedTransport(
        name,
        this.clock,
        seededRandom(30 + i),
        (text) => this.#excuse(text),
        (from) => this.#flushUp(from),
      );
      this.switchboard.add(transport);
      const media = namedSessions(name);
      const ua = new UserAgent({
        aor: `sip:${name}@${DOMAIN}`,
        displayName: name,
        transport,
        clock: this.clock,
        random: seededRandom(40 + i),
        logger: logger(name),
        calls: { mediaSessionFactory: media, sessionTimers: SESSION_TIMERS },
      });
      const phone: Phone = { name, ua, transport, media, calls: [], acceptRefer: true, received: new Map() };
      ua.events.on('incoming-call', (call) => this.#watch(phone, call));
      ua.events.on('message', ({ body }) => phone.received.set(body, (phone.received.get(body) ?? 0) + 1));
      ua.events.on('bad-message', ({ error }) =>
        this.report(`${name} got a bad message from a correct peer: ${error.message}`),
      );
      return phone;
    });
  }

  async start(): Promise<void> {
    for (const phone of this.phones) await phone.ua.start();
    await this.settle();
  }

  report(problem: string): void {
    this.#problems.push(problem);
  }

  /** Problems found since the last call, and what the phones sent that does not parse. */
  problems(): string[] {
    this.phones.forEach((phone, i) => {
      const sent = phone.transport.sent;
      for (; this.#checked[i]! < sent.length; this.#checked[i]!++) {
        const text = sent[this.#checked[i]!]!;
        try {
          const message = parseMessage(text);
          const problem = message.problems[0];
          if (problem)
            this.report(
              `${phone.name} sent a message its own parser flags (${problem.status} ${problem.reason}):\n${text}`,
            );
          // RFC 3264 §6: between two correct ends every offer can be answered.
          if (text.startsWith('SIP/2.0 488 '))
            this.report(
              `${phone.name} refused an offer of a correct peer: 488 to ${message.cseq.method} ${message.callId}`,
            );
        } catch (error) {
          this.report(`${phone.name} sent a message that does not parse (${describe(error)}):\n${text}`);
        }
      }
    });
    return this.#problems.splice(0);
  }

  // ------------------------------------------------------------------ steps

  async run(step: PairStep): Promise<void> {
    switch (step.t) {
      case 'api': {
        // A call operation goes to the first phone, from the one chosen, that has a call it fits.
        const order = this.phones.map((_, i) => this.phones[(step.phone + i) % this.phones.length]!);
        const phone = order.find((p) => p.calls.some((call) => fits(step.op, call))) ?? order[0]!;
        this.#api(phone, step.op, step.call, step.arg);
        break;
      }
      case 'deliver': {
        const queues = this.#queues().filter((queue) => queue.items.length > 0);
        const queue = queues[step.queue % Math.max(1, queues.length)];
        for (let i = 0; queue && i < step.count && queue.items.length > 0; i++) {
          this.#late(queue.items[0]!);
          await this.#deliver(queue.move);
        }
        break;
      }
      case 'flush':
        await this.#deliverAll();
        break;
      case 'drop':
        this.phones[step.phone % this.phones.length]!.transport.drop(step.reconnectMs);
        break;
      case 'time':
        return this.advance(step.ms);
      case 'refer-policy':
        this.phones[step.phone % this.phones.length]!.acceptRefer = step.accept;
        break;
      case 'connect':
        return this.#connect(step.phone % this.phones.length);
    }
    await this.settle();
  }

  /**
   * Lets promise chains run and 0 ms timers fire, a few rounds, as an event loop would between
   * two network events.
   */
  settle(rounds = 6): Promise<void> {
    return this.#time.settle(rounds);
  }

  /** Moves the clock timer by timer; with `deliver`, the network delivers everything between timers. */
  advance(ms: number, network: 'hold' | 'deliver' = 'hold'): Promise<void> {
    return this.#time.advance(ms, network === 'deliver' ? () => this.#deliverAll() : undefined);
  }

  /**
   * The network behaves and time runs out every timer a call or transaction has (BYE waits a
   * minute). Then what real media would do: a call whose peer has ended gets no more media, and
   * ICE consent freshness fails within 30 s (RFC 7675 §5.1), which a WebRTC session reports as
   * ICE failed; the user agent's recovery then learns of the end (a re-INVITE meets 481).
   */
  async quiesce(): Promise<void> {
    await this.advance(5 * 60_000, 'deliver');
    let orphans = 0;
    for (const phone of this.phones) {
      for (const call of phone.calls) {
        if (call.state !== 'connected' && call.state !== 'held') continue;
        if (this.#peerOf(call)?.peer.state !== 'ended') continue;
        (call.media as FakeMediaSession).simulate('ice-failed');
        orphans++;
      }
    }
    if (orphans > 0) await this.advance(5 * 60_000, 'deliver');
  }

  #queues(): Array<{ items: Queued[]; move: () => void }> {
    return this.phones.flatMap(({ transport }) => [
      { items: transport.up, move: () => this.switchboard.forward(transport) },
      { items: transport.down, move: () => transport.deliverDown() },
    ]);
  }

  /**
   * One message moves; then promise jobs run, as between two socket events of an event loop (each
   * WebSocket message is a task of its own).
   */
  async #deliver(move: () => void): Promise<void> {
    this.#move(move);
    await new Promise((resolve) => setImmediate(resolve));
  }

  #move(move: () => void): void {
    try {
      move();
    } catch (error) {
      this.report(`an error was thrown into the transport's receive path: ${describe(error)}`);
    }
  }

  /** Delivers every queue, round robin, until all are empty; whether anything moved. */
  async #deliverAll(): Promise<boolean> {
    let moved = false;
    for (let round = 0; round < 1000; round++) {
      const queues = this.#queues().filter((queue) => queue.items.length > 0);
      if (queues.length === 0) return moved;
      for (const queue of queues) {
        this.#late(queue.items[0]!);
        await this.#deliver(queue.move);
      }
      moved = true;
    }
    this.report('the network never emptied: a message storm');
    return moved;
  }

  /** A message that waited past 64*T1 arrives after its sender gave up: as good as lost. */
  #late(item: Queued): void {
    if (this.clock.now() - item.at > LATE_MS) this.#excuse(item.text);
  }

  /**
   * A lost message excuses its call from agreeing only while the call is being set up: the initial
   * INVITE, its responses, its CANCEL and ACK. Nothing but a proxy's Timer C (§16.8), which our
   * relay lacks, ends a callee's ringing that lost its caller. Once a dialog is confirmed, our user
   * agents are meant to recover from a lost in-dialog message: a BYE is resent, a re-INVITE from a
   * new flow meets 481 when the other end has gone (§14.1), a 2xx without ACK ends with BYE.
   */
  #excuse(text: string): void {
    try {
      const message = parseMessage(text);
      const { callId, cseq } = message;
      // A lost or late REGISTER (or its answer) leaves the registrar unsure until the binding expires.
      if (cseq.method === 'REGISTER') this.#lossy.add(`REGISTER ${message.from.uri.toString()}`);
      if (!['INVITE', 'CANCEL', 'ACK'].includes(cseq.method)) return;
      const initial = this.phones
        .flatMap((phone) => phone.transport.sent)
        .find((sent) => sent.startsWith('INVITE ') && sent.includes(`\r\nCall-ID: ${callId}\r\n`));
      if (initial === undefined || parseMessage(initial).cseq.seq === cseq.seq) this.#lossy.add(callId);
    } catch {
      // problems() reports it.
    }
  }

  /** A graceful close: the phone's socket flushes what it sent before it closes. */
  #flushUp(from: QueuedTransport): void {
    while (from.up.length > 0) this.#move(() => this.switchboard.forward(from));
  }

  async #connect(from: number): Promise<void> {
    const caller = this.phones[from]!;
    const callee = this.phones[(from + 1) % this.phones.length]!;
    this.#try(`${caller.name}.call(${callee.name})`, () => this.#watch(caller, caller.ua.call(callee.name)));
    await this.settle();
    await this.#deliverAll();
    const ringing = callee.calls
      .filter((call): call is IncomingCall => call instanceof IncomingCall && call.state === 'incoming')
      .at(-1);
    if (ringing) this.#try(`${callee.name}.${ringing.id}.answer()`, () => ringing.answer());
    await this.settle();
    await this.#deliverAll();
    await this.settle();
  }

  // ------------------------------------------------------------------ the API

  #api(phone: Phone, op: PairOp, index: number, arg: number): void {
    const { ua, name } = phone;
    const others = this.phones.filter((other) => other !== phone).map((other) => other.name);
    const live = phone.calls.filter((call) => call.state !== 'ended');
    const call =
      recent(
        live.filter((c) => fits(op, c)),
        index,
      ) ?? recent(live, index);
    switch (op) {
      case 'call': {
        const target = arg % 9 === 8 ? 'dave' : others[arg % others.length]!;
        return this.#try(`${name}.call(${target})`, () =>
          this.#watch(phone, ua.call(target, { video: arg % 5 === 4 })),
        );
      }
      case 'message': {
        const to = others[arg % others.length]!;
        const body = `m${this.#next++} ${name}->${to}`;
        const record: SentMessage = { from: name, to, outcome: 'pending' };
        this.#messages.set(body, record);
        const sending = ua.sendMessage(to, body);
        sending.then(
          () => (record.outcome = 'resolved'),
          () => (record.outcome = 'rejected'),
        );
        return this.#try(`${name}.sendMessage(${body})`, () => sending);
      }
      case 'register':
        return this.#try(`${name}.register()`, () => ua.register());
      case 'unregister':
        return this.#try(`${name}.unregister()`, () => ua.unregister());
      case 'network-changed':
        return this.#try(`${name}.networkChanged()`, () => ua.networkChanged());
    }
    if (!call) return;
    const what = `${name}.${call.id}`;
    const incoming = call instanceof IncomingCall ? call : undefined;
    switch (op) {
      case 'answer':
        return incoming && this.#try(`${what}.answer()`, () => incoming.answer({ video: arg % 3 === 2 }));
      case 'decline':
        return incoming && this.#try(`${what}.decline()`, () => incoming.decline(arg % 2 ? 486 : 603));
      case 'hangup':
        return this.#try(`${what}.hangup()`, () => call.hangup());
      case 'hold':
        return this.#try(`${what}.hold()`, () => call.hold());
      case 'unhold':
        return this.#try(`${what}.unhold()`, () => call.unhold());
      case 'video':
        return this.#try(`${what}.setVideo()`, () => call.setVideo(arg % 2 === 0));
      case 'dtmf':
        return this.#try(`${what}.sendDtmf()`, () => call.sendDtmf('1', { mode: arg % 2 ? 'info' : 'auto' }));
      case 'call-message': {
        // RFC 3428 §4 inside the call: held to the same account as MESSAGE outside one (checkStopped).
        const to = userOf(call.remote.uri) ?? '';
        const body = `c${this.#next++} ${name}->${to} in ${call.id}`;
        const sending = call.sendMessage(body);
        if (this.phones.some((other) => other.name === to)) {
          const record: SentMessage = { from: name, to, outcome: 'pending' };
          this.#messages.set(body, record);
          sending.then(
            () => (record.outcome = 'resolved'),
            () => (record.outcome = 'rejected'),
          );
        }
        return this.#try(`${what}.sendMessage(${body})`, () => sending);
      }
      case 'transfer': {
        // Blind (RFC 3515): to the phone that is neither end of this call.
        const peer = userOf(call.remote.uri);
        const target = others.find((other) => other !== peer) ?? 'dave';
        return this.#try(`${what}.transfer(${target})`, () => call.transfer(target));
      }
      case 'attended-transfer': {
        const other = recent(
          live.filter((c) => c !== call),
          arg,
        );
        return other && this.#try(`${what}.transfer(${name}.${other.id})`, () => call.transfer(other));
      }
    }
  }

  /** Calls the API: a throw or a rejection must be an Error with a message; a promise must settle. */
  #try(what: string, run: () => unknown): void {
    let result: unknown;
    try {
      result = run();
    } catch (error) {
      return this.#checkError(error, `${what} threw`);
    }
    if (!(result instanceof Promise)) return;
    const key = `${what} at ${this.clock.now()} ms #${this.#next++}`;
    this.#pendingApi.add(key);
    result.then(
      () => this.#pendingApi.delete(key),
      (error: unknown) => {
        this.#pendingApi.delete(key);
        this.#checkError(error, `${what} rejected`);
      },
    );
  }

  #checkError(error: unknown, where: string): void {
    if (!(error instanceof Error) || !error.message)
      this.report(`${where}: not an Error with a message: ${describe(error)}`);
  }

  #watch(phone: Phone, call: Call): void {
    if (phone.calls.includes(call)) return;
    phone.calls.push(call);
    call.events.on('error', (error) => this.#checkError(error, `${phone.name}.${call.id} error event`));
    call.events.on('referred-call', (next) => this.#watch(phone, next));
    call.events.on('replaced', (next) => this.#watch(phone, next));
    call.events.on('refer', (refer) => (phone.acceptRefer ? refer.accept() : refer.reject()));
    call.events.on('message', ({ body }) => phone.received.set(body, (phone.received.get(body) ?? 0) + 1));
  }

  // ------------------------------------------------------------------ invariants

  /**
   * At quiescence: every ended call's media closed; no call still calling; the two ends of every dialog agree (both
   * live with
   * matching holds, or ringing on one side and incoming on the other, or both ended), unless a
   * message of that call was lost with a connection; each phone registered exactly when the
   * registrar holds a binding of it on its current flow.
   */
  checkQuiescent(): void {
    for (const phone of this.phones) {
      for (const call of phone.calls) this.#checkPair(phone, call);
      for (const call of phone.calls)
        if (call.state === 'ended' && call.media && !call.media.closed)
          this.report(`${phone.name}.${call.id} ended with its media open`);
      const binding = this.switchboard.bindings.get(phone.name);
      const bound =
        binding !== undefined && binding.flowId === phone.transport.flowId && binding.expiresAt > this.clock.now();
      if (phone.ua.registered !== bound && !this.#lossy.has(`REGISTER ${phone.ua.core.aor.toString()}`))
        this.report(
          `${phone.name}: registered is ${phone.ua.registered}, but the registrar ${binding ? `binds it on ${binding.flowId} (now ${phone.transport.flowId})` : 'has no binding'}`,
        );
    }
  }

  /**
   * The call at the other end: same dialog (Call-ID, tags crossed); for a call still calling (no
   * To tag yet: its 180 was lost), the incoming call its INVITE made, known by its unique offer.
   */
  #peerOf(call: Call): { other: Phone; peer: Call; callId: string } | undefined {
    const dialog = call.dialog;
    for (const other of this.phones) {
      for (const peer of other.calls) {
        if (peer === call) continue;
        if (
          dialog &&
          peer.dialog?.callId === dialog.callId &&
          peer.dialog.localTag === dialog.remoteTag &&
          peer.dialog.remoteTag === dialog.localTag
        )
          return { other, peer, callId: dialog.callId };
        const [caller, callee] = call instanceof IncomingCall ? [peer, call] : [call, peer];
        const offer = (caller.media as FakeMediaSession | undefined)?.calls[0];
        if (
          !caller.dialog &&
          callee instanceof IncomingCall &&
          offer?.op === 'createOffer' &&
          callee.invite.body === offer.sdp
        )
          return { other, peer, callId: callee.invite.callId };
      }
    }
    return undefined;
  }

  #checkPair(phone: Phone, call: Call): void {
    const what = `${phone.name}.${call.id} (${call.direction}, ${call.state})`;
    if (call.state === 'ended') return;
    const found = this.#peerOf(call);
    if (this.#lossy.has(found?.callId ?? call.dialog?.callId ?? '')) return;
    if (!found) return this.report(`${what} has no peer call at the other end`);
    const { other, peer } = found;
    const them = `${other.name}.${peer.id} (${peer.direction}, ${peer.state})`;
    const live = (c: Call) => c.state === 'connected' || c.state === 'held';
    // Calling: its INVITE got the callee's 100 but the 180 was lost (then the call is excused above).
    const unanswered = (c: Call) =>
      c.direction === 'outgoing' ? c.state === 'ringing' || c.state === 'early' : c.state === 'incoming';
    if (live(call) && live(peer)) {
      if (call.localHold !== peer.remoteHold || call.remoteHold !== peer.localHold) {
        this.report(
          `${what} holds ${call.localHold}, held ${call.remoteHold}; ${them} holds ${peer.localHold}, held ${peer.remoteHold}`,
        );
      }
      // (The peer's own check looks at its side.)
      const phase = (call.media as FakeMediaSession | undefined)?.state.phase;
      if (phase !== 'stable') this.report(`${what}: offer/answer left ${phase} at quiescence`);
    } else if (!(unanswered(call) && unanswered(peer))) this.report(`${what} disagrees with its peer ${them}`);
  }

  /** After stop() of every phone: nothing live, nothing pending, every MESSAGE accounted for. */
  checkStopped(): void {
    for (const phone of this.phones) {
      for (const call of phone.calls)
        if (call.state !== 'ended') this.report(`${phone.name}.${call.id} left ${call.state} after stop()`);
      if (phone.ua.calls.length > 0)
        this.report(`${phone.name} still has ${phone.ua.calls.length} call(s) after stop()`);
      phone.media.sessions.forEach(
        (session, i) => session.closed || this.report(`${phone.name}: media session ${i + 1} never closed`),
      );
    }
    if (this.clock.pending > 0) this.report(`${this.clock.pending} timer(s) pending after stop() of every phone`);
    for (const what of this.#pendingApi) this.report(`${what} never settled`);
    for (const [body, sent] of this.#messages) {
      const count = this.phones.find((phone) => phone.name === sent.to)!.received.get(body) ?? 0;
      if (count > 1) this.report(`MESSAGE "${body}" delivered ${count} times`);
      if (sent.outcome === 'resolved' && count === 0) this.report(`MESSAGE "${body}" resolved but never delivered`);
    }
  }

  /** Stops every phone at once (as three pages closing) and lets the network and clock run out. */
  async stopAll(): Promise<void> {
    for (const phone of this.phones) this.#try(`${phone.name}.stop()`, () => phone.ua.stop());
    await this.quiesce();
  }
}

/** The calls an operation makes sense on: answer and decline ring, hangup any live, the rest talk. */
function fits(op: PairOp, call: Call): boolean {
  if (op === 'answer' || op === 'decline') return call.state === 'incoming';
  if (op === 'hangup') return call.state !== 'ended';
  return call.state === 'connected' || call.state === 'held';
}

/** Media sessions named apart (alice1, alice2...), so that every first offer is unique. */
function namedSessions(name: string) {
  const sessions: FakeMediaSession[] = [];
  const factory = (options: MediaSessionOptions) => {
    const session = new FakeMediaSession({ ...options, name: `${name}${sessions.length + 1}` });
    sessions.push(session);
    return session;
  };
  return Object.assign(factory, { sessions });
}

function userOf(uri: string): string | undefined {
  try {
    const parsed = parseUri(uri);
    return parsed instanceof SipUri ? parsed.user : undefined;
  } catch {
    return undefined;
  }
}
