import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { webRtcMediaSessionFactory } from '../../media/webrtc-media-session-factory';
import { cryptoRandom } from '../../stack/core/random';
import { ensureInstanceId } from '../../stack/transport/outbound';
import type { TransportState, TransportStateInfo } from '../../stack/transport/transport';
import { WebSocketTransport } from '../../stack/transport/websocket-transport';
import { UserAgent, type IncomingMessage } from '../../stack/ua/user-agent';
import type { CallHandle } from '../shared/call-handle';
import { toError } from '../shared/events';
import { serverProblem, storeInstanceId, storedInstanceId } from './phone-config';
import { TracingTransport } from './tracing-transport';

export interface PhoneSettings {
  readonly server: string;
  readonly aor: string;
  readonly displayName: string;
  readonly authUser: string;
  readonly password: string;
  readonly iceServers: readonly RTCIceServer[];
}

/** What the phone hears from its user agent. */
export interface UserAgentDelegate {
  transport(state: TransportState, info: TransportStateInfo): void;
  registered(expires: number): void;
  unregistered(reason: string): void;
  registrationFailed(status: number, reason: string): void;
  message(message: IncomingMessage): void;
  incoming(call: CallHandle): void;
  trace(direction: 'sent' | 'received', text: string): void;
  error(error: Error): void;
  /** The configuration changed or the phone left the page: the old user agent, if any, is gone. */
  reset(): void;
}

function sameSettings(a: PhoneSettings | undefined, b: PhoneSettings | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.server === b.server &&
    a.aor === b.aor &&
    a.displayName === b.displayName &&
    a.authUser === b.authUser &&
    a.password === b.password &&
    JSON.stringify(a.iceServers) === JSON.stringify(b.iceServers)
  );
}

/**
 * The phone's user agent and WebSocket, for as long as the phone is in the page (STYLE habit 12):
 * made when the configuration is complete, made again when it changes, and stopped when the phone
 * leaves the page: calls hung up with their microphone and camera released, the registration
 * removed, the socket closed, and no event after that.
 */
export class UserAgentController implements ReactiveController {
  #ua: UserAgent | undefined;
  #settings: PhoneSettings | undefined;
  #off: Array<() => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly delegate: UserAgentDelegate,
  ) {
    host.addController(this);
  }

  /** The running user agent, if any. */
  get userAgent(): UserAgent | undefined {
    return this.#ua;
  }

  hostConnected(): void {
    // The host's next update configures a user agent again (see SipPhone.updated).
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    // Removed and inserted again in the same task (a move): keep the connection and the calls.
    queueMicrotask(() => {
      if (this.host.isConnected) return;
      this.#settings = undefined;
      this.#stop();
      this.delegate.reset();
    });
  }

  /**
   * Applies the configuration (undefined: not configured): a new user agent when it differs from
   * the running one's. `autoRegister` only matters for a new one.
   */
  configure(settings: PhoneSettings | undefined, autoRegister: boolean): void {
    if (sameSettings(settings, this.#settings)) return;
    this.#settings = settings;
    this.#stop();
    this.delegate.reset();
    if (settings) this.#start(settings, autoRegister);
  }

  /** Registers now; resolves true once registered (failures also arrive as events). */
  async register(): Promise<boolean> {
    const ua = this.#ua;
    if (!ua) return false;
    const { response } = await ua.register();
    return response.status >= 200 && response.status < 300;
  }

  async unregister(): Promise<void> {
    await this.#ua?.unregister();
  }

  #start(settings: PhoneSettings, autoRegister: boolean): void {
    const problem = serverProblem(settings.server, location.protocol);
    if (problem) {
      this.delegate.error(problem);
      return;
    }
    let ua: UserAgent;
    let transport: TracingTransport;
    try {
      transport = new TracingTransport(new WebSocketTransport({ url: settings.server, webSocket: WebSocket }), (direction, text) =>
        this.delegate.trace(direction, text),
      );
      const instanceId = ensureInstanceId(storedInstanceId(settings.aor), cryptoRandom);
      storeInstanceId(settings.aor, instanceId);
      ua = new UserAgent({
        aor: settings.aor,
        displayName: settings.displayName || undefined,
        authUser: settings.authUser || undefined,
        password: settings.password || undefined,
        transport,
        instanceId,
        calls: { mediaSessionFactory: webRtcMediaSessionFactory(), iceServers: settings.iceServers },
      });
    } catch (error) {
      this.delegate.error(toError(error, 'The phone configuration is not usable'));
      return;
    }
    this.#ua = ua;
    const d = this.delegate;
    this.#off.push(
      ua.events.on('transport', (state, info) => d.transport(state, info)),
      ua.events.on('registered', ({ expires }) => d.registered(expires)),
      ua.events.on('unregistered', ({ reason }) => d.unregistered(reason)),
      ua.events.on('registration-failed', ({ status, reason }) => d.registrationFailed(status, reason)),
      ua.events.on('message', (message) => d.message(message)),
      ua.events.on('incoming-call', (call) => d.incoming(call)),
      // Malformed SIP from the wire: answered (400) or dropped by the stack, told to the page here.
      ua.events.on('bad-message', ({ error, answered }) =>
        d.error(new Error(`Bad SIP message ${answered ? 'answered with an error' : 'dropped'}: ${error.message}`)),
      ),
    );
    // The page's network came back (or changed): the flow is probed or reconnected now rather than
    // after the backoff, and calls restart ICE by re-INVITE (UserAgent.networkChanged).
    const online = (): void => ua.networkChanged();
    window.addEventListener('online', online);
    this.#off.push(() => window.removeEventListener('online', online));
    ua.start().then(
      () => (autoRegister && this.#ua === ua ? this.register() : undefined),
      (error: unknown) => {
        // The transport keeps trying in the background; the page hears of the first failure.
        if (this.#ua === ua) d.error(toError(error, `Cannot connect to ${settings.server}`));
      },
    );
  }

  #stop(): void {
    const ua = this.#ua;
    if (!ua) return;
    this.#ua = undefined;
    for (const off of this.#off.splice(0)) off();
    // Media first, synchronously: the camera and microphone go off now, whatever the network does.
    for (const call of ua.calls) call.media?.close();
    ua.stop().catch(() => undefined);
  }
}
