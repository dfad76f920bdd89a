import { html, nothing } from 'lit';
import { mediaCapabilities } from '../../media/capabilities';
import { audioOutputSelection, promptForAudioOutput } from '../../media/audio-output';
import type { DeviceChoices, DeviceController } from './device-controller';
import type { TraceEntry } from './sip-trace';
import type { Localize } from '../i18n/localize';
import type { phoneStrings } from './phone-strings';

type Texts = Localize<typeof phoneStrings>;

const ROLES = [
  ['microphone', 'audioinput'],
  ['camera', 'videoinput'],
  ['speaker', 'audiooutput'],
] as const;

/**
 * The device menu: microphone, camera, and speaker (setSinkId). How the speaker is picked depends on
 * the browser: from a list (Chromium), by the browser's own prompt (Firefox), or not at all (no
 * setSinkId): then the menu says so rather than offer a choice it cannot honour.
 */
export function devicesPanel(host: DeviceChoices, devices: DeviceController, t: Texts) {
  // No device list to choose from (a page that is not secure has no mediaDevices): no menu.
  if (!mediaCapabilities().enumerateDevices) return nothing;
  const speakers = audioOutputSelection();
  return html`<details part="devices" @toggle=${(event: Event) => (event.target as HTMLDetailsElement).open && devices.refresh()}>
    <summary>${t.text('devices')}</summary>
    <div class="devices">
      ${ROLES.map(([role, kind]) => {
        const label = t.text(role);
        return role !== 'speaker' || speakers === 'list'
          ? html`<label for=${role}>${label}</label>
              <select id=${role} @change=${(event: Event) => (host[role] = (event.target as HTMLSelectElement).value)}>
                <option value="" ?selected=${!host[role]}>${t.text('defaultDevice')}</option>
                ${devices.of(kind, label).map((device) => html`<option value=${device.id} ?selected=${device.id === host[role]}>${device.label}</option>`)}
              </select>`
          : speakers === 'prompt'
            ? html`<span>${label}</span>
                <button part="button" type="button" @click=${async () => (host.speaker = (await promptForAudioOutput())?.deviceId ?? host.speaker)}>${t.text('chooseSpeaker')}</button>`
            : html`<span>${label}</span>
                <span part="speaker-note">${t.text('noSpeakerChoice')}</span>`;
      })}
    </div>
  </details>`;
}

/**
 * The SIP trace: every message as text (a Lit text binding: remote text is never markup), with its local time as
 * hh:mm:ss.
 */
export function tracePanel(entries: readonly TraceEntry[], clear: () => void, t: Texts) {
  return html`<details part="trace" open>
    <summary>${t.text('trace', { count: entries.length })}</summary>
    <button part="button" type="button" @click=${clear}>${t.text('clearTrace')}</button>
    <ol class="trace" tabindex="0" aria-label=${t.text('traceMessages')}>
      ${entries.map(
        (entry) => html`<li part="trace-entry" class=${entry.direction}>
          <span class="meta">${t.text(entry.direction)} ${new Date(entry.time).toTimeString().slice(0, 8)}</span>
          <pre dir="ltr">${entry.text}</pre>
        </li>`,
      )}
    </ol>
  </details>`;
}
