import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { mediaCapabilities } from '../../media/capabilities';

/**
 * The microphones, cameras and speakers for the phone's device menus, listed on demand (the menu
 * is opened) and again on `devicechange` while the phone is in the page.
 */
export class DeviceController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #devices: MediaDeviceInfo[] = [];
  #listed = false;

  constructor(host: ReactiveControllerHost) {
    (this.#host = host).addController(this);
  }

  hostConnected(): void {
    navigator.mediaDevices?.addEventListener('devicechange', this.#changed);
  }

  hostDisconnected(): void {
    navigator.mediaDevices?.removeEventListener('devicechange', this.#changed);
  }

  /**
   * Devices of a kind, each with a label: browsers hide labels until media permission is given, so
   * an unlabelled one is `${name} 1`, `${name} 2`...
   */
  of(kind: MediaDeviceKind, name: string): Array<{ id: string; label: string }> {
    return this.#devices
      .filter((device) => device.kind === kind && device.deviceId && device.deviceId !== 'default')
      .map((device, index) => ({ id: device.deviceId, label: device.label || `${name} ${index + 1}` }));
  }

  async refresh(): Promise<void> {
    this.#listed = true;
    try {
      // No enumerateDevices (a page that is not secure has no mediaDevices): only the defaults.
      this.#devices = mediaCapabilities().enumerateDevices ? await navigator.mediaDevices.enumerateDevices() : [];
    } catch {
      this.#devices = [];
    }
    this.#host.requestUpdate();
  }

  #changed = (): void => {
    if (this.#listed) void this.refresh();
  };
}
