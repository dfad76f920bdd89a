// A SIP.js 0.21 phone (npm `sip.js`, bundled by the dev server at /__peers/sip.js) registered at
// the test Kamailio, for interop tests in the page: it answers every INVITE with audio, keeps
// every session it had, answers every INFO and out-of-dialog MESSAGE with 200 and keeps them, and
// lets a test decide what to do with a REFER. Only the slice of SIP.js's
// API these tests use is typed here (from its lib/api/*.d.ts).
import { waitFor } from './media-test-helpers';
import { within, type KamailioInfo } from './phone-fixtures';

const SIPJS_URL = '/__peers/sip.js';

export interface SipJsRequest {
  body: string;
  getHeader(name: string): string | undefined;
}

export interface SipJsIncoming {
  request: SipJsRequest;
  accept(): Promise<void>;
}

/** An incoming REFER (SIP.js's Referral). */
export interface SipJsReferral extends SipJsIncoming {
  /** The Replaces value of the Refer-To URI, as received (percent-encoded). */
  readonly replaces: string | undefined;
  reject(options?: { statusCode?: number }): Promise<void>;
  /** The INVITE to the Refer-To target (its Replaces header set), linked to the REFER's session for NOTIFYs. */
  makeInviter(options: object): SipJsSession;
}

export interface SipJsResponse {
  message: { statusCode: number; reasonPhrase?: string; body: string };
}

export interface RequestDelegate {
  onAccept?(response: SipJsResponse): void;
  onReject?(response: SipJsResponse): void;
}

export interface SipJsSession {
  readonly id: string;
  readonly state: string;
  /** For an INVITE with Replaces (SIP.js as RFC 3891 target): the session it replaces. */
  readonly replacee: SipJsSession | undefined;
  readonly request?: SipJsRequest;
  readonly dialog?: { callId: string; localTag: string; remoteTag: string };
  delegate: { onInfo?(info: SipJsIncoming): void; onRefer?(referral: SipJsReferral): void } | undefined;
  sessionDescriptionHandler?: {
    peerConnection: RTCPeerConnection;
    remoteMediaStream: MediaStream;
    sendDtmf(tones: string, options?: object): boolean;
  };
  sessionDescriptionHandlerOptionsReInvite: object;
  stateChange: { addListener(fn: (state: string) => void): void };
  bye(): Promise<unknown>;
  invite(options?: object): Promise<unknown>;
  info(options: { requestDelegate?: RequestDelegate; requestOptions?: object }): Promise<unknown>;
  refer(
    target: unknown,
    options?: { onNotify?(notification: SipJsIncoming): void; requestDelegate?: RequestDelegate },
  ): Promise<unknown>;
}

export interface SipJsPhone {
  /** Every session, incoming and outgoing, in the order they began (referred ones included). */
  readonly sessions: SipJsSession[];
  /** INFO bodies received in any session, in order (each answered 200). */
  readonly infos: string[];
  /** MESSAGE requests received outside dialogs (each answered 200). */
  readonly messages: SipJsRequest[];
  /**
   * Set per test: how an incoming REFER is handled; unset, the REFER is declined (603), so no test follows one by
   * accident.
   */
  onRefer: ((referral: SipJsReferral, session: SipJsSession) => void) | undefined;
  /** With `answerLater`: answers the newest incoming session that is not answered yet. */
  answer(): Promise<void>;
  /** Calls `target` (a SIP URI); resolves once the INVITE is sent. */
  call(target: string): Promise<SipJsSession>;
  /** Follows a REFER as the transferee: 202, then the INVITE to its target (RFC 3515 §2.4.4). */
  follow(referral: SipJsReferral): Promise<SipJsSession>;
  /** Sends MESSAGE and resolves with the final status. */
  message(target: string, text: string): Promise<number>;
  uri(target: string): unknown;
  stop(): Promise<void>;
}

export interface SipJsPhoneOptions {
  /**
   * SIP.js's `sipExtensionReplaces` option: with `Supported`, an INVITE with Replaces (RFC 3891 §3)
   * is matched to a dialog (481 or 486 when it should be) and the matched session is given as the
   * invitation's `replacee`, to which SIP.js sends BYE once the invitation is accepted. SIP.js's
   * default, `Unsupported`, ignores the header: the INVITE arrives as a new call.
   */
  replaces?: 'Supported' | 'Unsupported';
  /**
   * SIP.js's `sipExtension100rel` (RFC 3262). With `Required` its INVITEs carry Require: 100rel,
   * and an INVITE that supports 100rel gets, before the application sees it, a reliable 183 with
   * SIP.js's answer (lib/api/invitation.js: progress() with no options, sent reliably because
   * the option is Required), and the application only once that 183 is PRACKed.
   */
  rel100?: 'Required' | 'Supported' | 'Unsupported';
  /** Leave incoming calls unanswered until the test calls `answer()` (to look at early media first). */
  answerLater?: boolean;
  /** The Inviter's `earlyMedia` option: SIP.js plays the answer from a 1xx (its early dialog) before the 2xx. */
  earlyMedia?: boolean;
}

/**
 * Options for a session: audio only, as our test phones. A new object each time: Referral.makeInviter
 * writes the Replaces and Referred-By it adds into the `extraHeaders` of the options it is given
 * (lib/api/referral.js), so a shared object would carry them into every later INVITE.
 */
export function sipJsMedia(): object {
  return { sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } };
}

export async function sipjsPhone(
  server: KamailioInfo,
  name: keyof KamailioInfo['users'],
  options: SipJsPhoneOptions = {},
): Promise<SipJsPhone> {
  const SIP = await import(/* @vite-ignore */ SIPJS_URL as string);
  const account = server.users[name];
  const sessions: SipJsSession[] = [];
  const infos: string[] = [];
  const messages: SipJsRequest[] = [];
  const unanswered: Array<SipJsSession & { accept(options: object): Promise<void> }> = [];
  const watch = (session: SipJsSession): SipJsSession => {
    sessions.push(session);
    session.delegate = {
      onInfo(info) {
        infos.push(info.request.body);
        void info.accept();
      },
      onRefer(referral) {
        // `phone` exists by the time a REFER can arrive.
        if (phone.onRefer) phone.onRefer(referral, session);
        else void referral.reject({ statusCode: 603 });
      },
    };
    return session;
  };
  const ua = new SIP.UserAgent({
    uri: SIP.UserAgent.makeURI(`sip:${account.user}@${server.domain}`),
    displayName: name[0]!.toUpperCase() + name.slice(1),
    transportOptions: { server: server.wsUrl },
    authorizationUsername: account.user,
    authorizationPassword: account.password,
    logLevel: 'error',
    sipExtensionReplaces: options.replaces ?? 'Unsupported',
    sipExtension100rel: options.rel100 ?? 'Unsupported',
    sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] } },
    delegate: {
      onInvite(invitation: SipJsSession & { accept(options: object): Promise<void> }) {
        watch(invitation);
        if (options.answerLater) unanswered.push(invitation);
        else void invitation.accept(sipJsMedia());
      },
      onMessage(message: SipJsIncoming) {
        messages.push(message.request);
        void message.accept();
      },
    },
  });
  await ua.start();
  const registerer = new SIP.Registerer(ua);
  const registered = new Promise<void>((resolve) =>
    registerer.stateChange.addListener((state: string) => state === SIP.RegistererState.Registered && resolve()),
  );
  await registerer.register();
  await within(10000, `SIP.js (${name}) to register`, registered);
  const phone: SipJsPhone = {
    sessions,
    infos,
    messages,
    onRefer: undefined,
    uri: (target) => SIP.UserAgent.makeURI(target),
    async answer() {
      const invitation = unanswered.pop();
      if (!invitation) throw new Error(`SIP.js (${name}) has no call to answer`);
      await invitation.accept(sipJsMedia());
    },
    async call(target) {
      const inviter = watch(
        new SIP.Inviter(ua, SIP.UserAgent.makeURI(target), {
          ...sipJsMedia(),
          earlyMedia: options.earlyMedia ?? false,
        }),
      );
      await inviter.invite();
      return inviter;
    },
    async follow(referral) {
      await referral.accept();
      const inviter = watch(referral.makeInviter(sipJsMedia()));
      await inviter.invite();
      return inviter;
    },
    message(target, text) {
      return within(
        10000,
        `the final response to SIP.js's (${name}) MESSAGE`,
        new Promise<number>((resolve) => {
          const done = (response: SipJsResponse) => resolve(response.message.statusCode);
          void new SIP.Messager(ua, SIP.UserAgent.makeURI(target), text, 'text/plain;charset=utf-8').message({
            requestDelegate: { onAccept: done, onReject: done },
          });
        }),
      );
    },
    async stop() {
      await registerer.unregister().catch(() => undefined);
      await ua.stop();
    },
  };
  return phone;
}

/** Waits until a SIP.js session is established (bounded; names the session). */
export function established(session: SipJsSession, what: string, ms = 10000): Promise<void> {
  return waitFor(`SIP.js's ${what} to be established`, () => session.state === 'Established', ms);
}

/** Resolves when a SIP.js session has ended (bounded). */
export function terminated(session: SipJsSession, what: string, ms = 10000): Promise<void> {
  return waitFor(`SIP.js's ${what} to end`, () => session.state === 'Terminated', ms);
}
