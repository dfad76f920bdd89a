/**
 * Choosing the speaker a call plays on (HTMLMediaElement.setSinkId, W3C Audio Output Devices API).
 * The browsers differ in how a page learns the speakers: Chromium lists them in
 * enumerateDevices() once microphone permission is granted; Firefox lists none there and hands one
 * out only through navigator.mediaDevices.selectAudioOutput(), a prompt the user answers. Which of
 * these exist is known once (capabilities.ts): a page that is not secure has no mediaDevices at all.
 */
import { mediaCapabilities } from './capabilities';

interface SelectAudioOutput {
  selectAudioOutput?: (options?: { deviceId?: string }) => Promise<MediaDeviceInfo>;
}

/** Only called once mediaCapabilities() said the method it needs exists. */
const devices = (): MediaDevices & SelectAudioOutput => navigator.mediaDevices;

/** Whether the page can choose the speaker at all (setSinkId exists). */
export function canChooseAudioOutput(): boolean {
  return mediaCapabilities().setSinkId;
}

/**
 * How the speaker is chosen here: from a list (Chromium), by a browser prompt (Firefox), or not at
 * all (no setSinkId, or no device access on a page that is not secure).
 */
export function audioOutputSelection(): 'list' | 'prompt' | 'none' {
  const can = mediaCapabilities();
  return !can.setSinkId ? 'none' : can.selectAudioOutput ? 'prompt' : can.enumerateDevices ? 'list' : 'none';
}

/**
 * The speakers enumerateDevices() shows (none in Firefox until one was selected by prompt, none without
 * enumerateDevices).
 */
export async function listAudioOutputs(): Promise<MediaDeviceInfo[]> {
  if (!mediaCapabilities().enumerateDevices) return [];
  return (await devices().enumerateDevices()).filter((device) => device.kind === 'audiooutput');
}

/** Firefox: asks the user for a speaker; undefined where there is no such prompt or it was refused. */
export async function promptForAudioOutput(): Promise<MediaDeviceInfo | undefined> {
  if (!mediaCapabilities().selectAudioOutput) return undefined;
  try {
    return await devices().selectAudioOutput!();
  } catch {
    // The user refused.
    return undefined;
  }
}

/** Plays `element` on the speaker `deviceId` ('' is the default); false when the browser refused or cannot. */
export async function setAudioOutput(element: HTMLMediaElement, deviceId: string): Promise<boolean> {
  if (!canChooseAudioOutput()) return false;
  try {
    await element.setSinkId(deviceId);
    return true;
  } catch {
    // Refused: an unknown device, or no permission for it.
    return false;
  }
}
