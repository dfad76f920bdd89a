import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { mediaCapabilities } from '../../media/capabilities';
import { emitError } from '../shared/events';

/** The phone's device choices ('' is the default device). */
export interface DeviceChoices {
  microphone: string;
  camera: string;
  speaker: string;
}

const KIND_OF = { microphone: 'audioinput', camera: 'videoinput', speaker: 'audiooutput' } as const;
/** The sip-error when a chosen device is gone: English, for the page's developers (the menu shows the default). */
const DEVICE_GONE = (role: keyof DeviceChoices) =>
  `The chosen ${role} is no longer available: using the default ${role}`;

/**
 * The microphones, cameras and speakers for the phone's device menus, listed on demand (the menu
 * is opened) and again on `devicechange` while the phone is in the page (a headset plugged in or
 * out). A chosen device that is no longer listed falls back to the default, with a sip-error.
 */
export class DeviceController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement & DeviceChoices;
  #devices: MediaDeviceInfo[] = [];
  #listed = false;

  constructor(host: ReactiveControllerHost & HTMLElement & DeviceChoices) {
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
    this.#dropGone();
    this.#host.requestUpdate();
  }

  /** A chosen device the list no longer has (unplugged): back to the default, and the user is told. */
  #dropGone(): void {
    const host = this.#host;
    for (const role of ['microphone', 'camera', 'speaker'] as const) {
      const listed = this.#devices.filter((device) => device.kind === KIND_OF[role] && device.deviceId);
      // An empty list (no permission yet, or Firefox's speakers) says nothing about the chosen one.
      if (!host[role] || !listed.length || listed.some((device) => device.deviceId === host[role])) continue;
      host[role] = '';
      emitError(host, new Error(DEVICE_GONE(role)));
    }
  }

  #changed = (): void => {
    const host = this.#host;
    if (this.#listed || host.microphone || host.camera || host.speaker) void this.refresh();
  };
}
