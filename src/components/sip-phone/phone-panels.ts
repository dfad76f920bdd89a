import { html, nothing } from 'lit';
import type { DeviceController } from './device-controller';
import type { TraceEntry } from './sip-trace';

type DeviceRole = 'microphone' | 'camera' | 'speaker';

interface DevicesPanelOptions {
  devices: DeviceController;
  microphone: string;
  camera: string;
  speaker: string;
  /** How this browser picks a speaker: from a list, by a browser prompt, or not at all. */
  speakerSelection: 'list' | 'prompt' | 'none';
  choose(role: DeviceRole, id: string): void;
  promptSpeaker(): void;
}

function deviceSelect(role: DeviceRole, label: string, kind: MediaDeviceKind, current: string, options: DevicesPanelOptions) {
  return html`<label for=${role}>${label}</label>
    <select id=${role} @change=${(event: Event) => options.choose(role, (event.target as HTMLSelectElement).value)}>
      <option value="" ?selected=${current === ''}>Default</option>
      ${options.devices.of(kind).map((device) => html`<option value=${device.id} ?selected=${device.id === current}>${device.label}</option>`)}
    </select>`;
}

/** The device menu: microphone, camera, and speaker (setSinkId; Firefox asks through its own prompt). */
export function devicesPanel(options: DevicesPanelOptions) {
  const speaker =
    options.speakerSelection === 'list'
      ? deviceSelect('speaker', 'Speaker', 'audiooutput', options.speaker, options)
      : options.speakerSelection === 'prompt'
        ? html`<span>Speaker</span><button part="button" type="button" @click=${options.promptSpeaker}>Choose speaker…</button>`
        : nothing;
  return html`<details part="devices" @toggle=${(event: Event) => (event.target as HTMLDetailsElement).open && options.devices.refresh()}>
    <summary>Devices</summary>
    <div class="devices">
      ${deviceSelect('microphone', 'Microphone', 'audioinput', options.microphone, options)}
      ${deviceSelect('camera', 'Camera', 'videoinput', options.camera, options)} ${speaker}
    </div>
  </details>`;
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** The SIP trace: every message as text (a Lit text binding: remote text is never markup). */
export function tracePanel(entries: readonly TraceEntry[], clear: () => void) {
  return html`<details part="trace" open>
    <summary>SIP trace (${entries.length})</summary>
    <button part="button" type="button" @click=${clear}>Clear trace</button>
    <ol class="trace" tabindex="0" aria-label="SIP messages">
      ${entries.map(
        (entry) => html`<li part="trace-entry" class=${entry.direction}>
          <span class="meta">${entry.direction === 'sent' ? 'Sent' : 'Received'} ${TIME.format(entry.time)}</span>
          <pre>${entry.text}</pre>
        </li>`,
      )}
    </ol>
  </details>`;
}
