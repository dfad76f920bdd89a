// JsSIP (npm `jssip`) as a peer for the interop tests: a registered JsSIP user agent in the same
// page, at the same Kamailio as our phones, and the slice of its API the tests use (JsSIP ships no
// types for the browser bundle served here).
import { within, type KamailioInfo } from './phone-fixtures';

const JSSIP_URL = '/__peers/jssip.js';

/** JsSIP's media options: audio only, loopback ICE as our phones use. */
export const MEDIA = { mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } };

export interface JsSipEmitter {
  on<E>(event: string, fn: (e: E) => void): void;
  once<E>(event: string, fn: (e: E) => void): void;
}
export interface JsSipSession extends JsSipEmitter {
  connection: RTCPeerConnection;
  answer(options: object): void;
  terminate(): void;
  isEstablished(): boolean;
  isEnded(): boolean;
  hold(options?: object, done?: () => void): boolean;
  unhold(options?: object, done?: () => void): boolean;
  renegotiate(options?: object, done?: () => void): boolean;
  isOnHold(): { local: boolean; remote: boolean };
  sendDTMF(
    tones: string,
    options?: { duration?: number; interToneGap?: number; transportType?: 'INFO' | 'RFC2833' },
  ): void;
  /** `replaces`: another session, whose dialog the REFER's target is to replace (attended transfer). */
  refer(
    target: string,
    options?: { replaces?: JsSipSession; eventHandlers?: Record<string, (e: unknown) => void> },
  ): JsSipEmitter;
}
export interface JsSipUa extends JsSipEmitter {
  start(): void;
  stop(): void;
  call(target: string, options: object): JsSipSession;
  sendMessage(
    target: string,
    body: string,
    options?: { contentType?: string; eventHandlers?: Record<string, (e: never) => void> },
  ): void;
}
export interface JsSipDtmfEvent {
  originator: string;
  dtmf: { tone: string; duration: number };
}
/** A request as JsSIP shows it in events. */
export interface JsSipRequest {
  getHeader(name: string): string;
  hasHeader(name: string): boolean;
}
/**
 * A session's 'refer' event (the peer asks it to call someone) and 'replaces' event (an INVITE with Replaces for it).
 */
export interface JsSipReferEvent {
  request: JsSipRequest;
  accept(initCallback?: (session: JsSipSession) => void, options?: object): void;
  reject(): void;
}
/** A session's 'ended' event. */
export interface JsSipEndEvent {
  originator: 'local' | 'remote' | 'system';
  cause: string;
}
export interface JsSipPhone {
  ua: JsSipUa;
  sessions: JsSipSession[];
  /** The next session JsSIP starts or receives (remote ones are answered with MEDIA). */
  nextSession(): Promise<JsSipSession>;
}

/** `answer`: the options JsSIP answers calls with (MEDIA unless given: session timers, for one). */
export async function jssipPhone(server: KamailioInfo, name: 'dave', answer: object = MEDIA): Promise<JsSipPhone> {
  const JsSIP = (await import(/* @vite-ignore */ JSSIP_URL as string)).default;
  const account = server.users[name];
  const ua: JsSipUa = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(server.wsUrl)],
    uri: `sip:${account.user}@${server.domain}`,
    password: account.password,
    register: true,
  });
  const sessions: JsSipSession[] = [];
  const waiting: Array<(session: JsSipSession) => void> = [];
  const registered = new Promise<void>((resolve, reject) => {
    ua.on('registered', () => resolve());
    ua.on<{ cause?: string }>('registrationFailed', (e) => reject(new Error(`JsSIP registration failed: ${e.cause}`)));
  });
  ua.on<{ originator: string; session: JsSipSession }>('newRTCSession', ({ originator, session }) => {
    sessions.push(session);
    waiting.shift()?.(session);
    if (originator === 'remote') session.answer(answer);
  });
  ua.start();
  await within(10000, 'JsSIP to register', registered);
  return {
    ua,
    sessions,
    nextSession: () => within(10000, `a new JsSIP session at ${name}`, new Promise((resolve) => waiting.push(resolve))),
  };
}

/** The next `event` of a JsSIP emitter, within `ms`. */
export function nextEvent<E>(emitter: JsSipEmitter, event: string, what: string, ms = 10000): Promise<E> {
  return within(ms, what, new Promise<E>((resolve) => emitter.once<E>(event, resolve)));
}
