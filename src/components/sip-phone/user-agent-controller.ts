import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { webRtcMediaSessionFactory } from '../../media/webrtc-media-session-factory';
import type { Transport } from '../../stack/transport/transport';
import { UserAgent } from '../../stack/ua/user-agent';
import { toError } from '../shared/events';
import type { DigestPolicy } from './digest-policy';
import { instanceIdFor, serverProblem } from './phone-config';
import { flowTransport, serverUrls } from './flow-transport';

export interface PhoneSettings {
  /** One ws:// or wss:// URL, or several, space-separated: a flow to each (RFC 5626 §4.2). */
  readonly server: string;
  /** How many of the servers to keep a flow to (the first ones). */
  readonly flows: number;
  readonly aor: string;
  readonly displayName: string;
  readonly authUser: string;
  readonly password: string;
  /** Which digest challenges the password answers (auth-realm, refuse-md5, require-qop). */
  readonly digest: DigestPolicy;
  readonly iceServers: readonly RTCIceServer[];
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  readonly registeredContact: boolean;
  readonly acceptHtmlMessages?: boolean;
}

/** What the phone does with its user agent. */
export interface UserAgentDelegate {
  /** Listens to a new user agent's events; returns what removes the listeners. */
  listen(ua: UserAgent): Array<() => void>;
  /** A message went over the WebSocket (for the trace panel). */
  trace(direction: 'sent' | 'received', text: string): void;
  error(error: Error): void;
  /** The configuration changed or the phone left the page: the old user agent, if any, is gone. */
  reset(): void;
}

/**
 * The phone's user agent and WebSocket, for as long as the phone is in the page (STYLE habit 12):
 * made when the configuration is complete, made again when it changes, and stopped when the phone
 * leaves the page: calls hung up with their microphone and camera released, the registration
 * removed, the socket closed, and no event after that.
 */
export class UserAgentController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #delegate: UserAgentDelegate;
  #ua: UserAgent | undefined;
  /** The settings of the running user agent, as JSON (compared whole: every field matters). */
  #settings: string | undefined;
  #off: Array<() => void> = [];

  constructor(host: ReactiveControllerHost & HTMLElement, delegate: UserAgentDelegate) {
    (this.#host = host).addController(this);
    this.#delegate = delegate;
  }

  /** The running user agent, if any. */
  get userAgent(): UserAgent | undefined {
    return this.#ua;
  }

  hostConnected(): void {
    // The host's next update configures a user agent again (see SipPhone.willUpdate).
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    // Removed and inserted again in the same task (a move): keep the connection and the calls.
    queueMicrotask(() => this.#host.isConnected || this.configure());
  }

  /**
   * Applies the configuration (none: not configured, or gone from the page): a new user agent when
   * it differs from the running one's. `autoRegister` only matters for a new one.
   */
  configure(settings?: PhoneSettings, autoRegister = false): void {
    const json = settings && JSON.stringify(settings);
    if (json === this.#settings) return;
    this.#settings = json;
    this.#stop();
    this.#delegate.reset();
    if (settings) this.#start(settings, autoRegister);
  }

  /** Registers now; resolves true once registered (failures also arrive as events). */
  async register(): Promise<boolean> {
    const status = (await this.#ua?.register())?.response.status ?? 0;
    return status >= 200 && status < 300;
  }

  async unregister(): Promise<void> {
    await this.#ua?.unregister();
  }

  #start(settings: PhoneSettings, autoRegister: boolean): void {
    const d = this.#delegate;
    const { server, aor } = settings;
    const urls = serverUrls(server, settings.flows);
    const problem = urls.map((url) => serverProblem(url, location.protocol)).find(Boolean);
    if (problem) return d.error(problem);
    let ua: UserAgent;
    let transport: Transport;
    try {
      // The trace sees every message at the component layer, so the stack needs no trace hook.
      transport = flowTransport(urls);
      const send = transport.send.bind(transport);
      // The flow goes through too: a REGISTER and a response belong on theirs (RFC 5626 §4.2).
      transport.send = (text, flow) => {
        send(text, flow);
        d.trace('sent', text);
      };
      transport.onMessage((text) => d.trace('received', text));
      ua = new UserAgent({
        aor,
        displayName: settings.displayName || undefined,
        authUser: settings.authUser || undefined,
        password: settings.password || undefined,
        ...settings.digest,
        transport,
        instanceId: instanceIdFor(aor),
        acceptHtmlMessages: settings.acceptHtmlMessages,
        registeredContact: settings.registeredContact,
        calls: {
          mediaSessionFactory: webRtcMediaSessionFactory({
            rtcConfiguration: { iceTransportPolicy: settings.iceTransportPolicy },
          }),
          iceServers: settings.iceServers,
        },
      });
    } catch (error) {
      return d.error(toError(error, 'The phone configuration is not usable'));
    }
    this.#ua = ua;
    // The page's network came back (or changed): the flow is probed or reconnected now rather than
    // after the backoff, and calls restart ICE by re-INVITE (UserAgent.networkChanged).
    const online = (): void => ua.networkChanged();
    addEventListener('online', online);
    // A hidden tab's timers are throttled (Chromium: up to once a minute after five minutes), so a
    // backoff or keep-alive timer may run late while the user is away. Back in view, the flow is
    // probed, or a pending reconnect tried, at once; calls keep their media (no ICE restart).
    const visible = (): void => {
      if (document.visibilityState === 'visible') transport.networkChanged();
    };
    document.addEventListener('visibilitychange', visible);
    this.#off = [
      ...d.listen(ua),
      // Malformed SIP from the wire: answered (400) or dropped by the stack, told to the page here.
      ua.events.on('bad-message', ({ error, answered }) =>
        d.error(new Error(`Bad SIP message ${answered ? 'answered with an error' : 'dropped'}: ${error.message}`)),
      ),
      () => removeEventListener('online', online),
      () => document.removeEventListener('visibilitychange', visible),
    ];
    ua.start().then(
      () => (autoRegister && this.#ua === ua ? this.register() : undefined),
      (error: unknown) => {
        // The transport keeps trying in the background; the page hears of the first failure.
        if (this.#ua === ua) d.error(toError(error, `Cannot connect to ${server}`));
      },
    );
  }

  #stop(): void {
    const ua = this.#ua;
    if (!ua) return;
    this.#ua = undefined;
    for (const off of this.#off) off();
    // Media first, synchronously: the camera and microphone go off now, whatever the network does.
    for (const call of ua.calls) call.media?.close();
    ua.stop().catch(() => undefined);
  }
}
