/**
 * Choosing the speaker a call plays on (HTMLMediaElement.setSinkId, W3C Audio Output Devices API).
 * The browsers differ in how a page learns the speakers: Chromium lists them in
 * enumerateDevices() once microphone permission is granted; Firefox lists none there and hands one
 * out only through navigator.mediaDevices.selectAudioOutput(), a prompt the user answers.
 */

interface SelectAudioOutput {
  selectAudioOutput?: (options?: { deviceId?: string }) => Promise<MediaDeviceInfo>;
}

const devices = (): MediaDevices & SelectAudioOutput => navigator.mediaDevices;

/** Whether the page can choose the speaker at all (setSinkId exists). */
export function canChooseAudioOutput(): boolean {
  return 'setSinkId' in HTMLMediaElement.prototype;
}

/** How the speaker is chosen here: from a list (Chromium), by a browser prompt (Firefox), or not at all. */
export function audioOutputSelection(): 'list' | 'prompt' | 'none' {
  return !canChooseAudioOutput() ? 'none' : devices().selectAudioOutput ? 'prompt' : 'list';
}

/** The speakers enumerateDevices() shows (none in Firefox until one was selected by prompt). */
export async function listAudioOutputs(): Promise<MediaDeviceInfo[]> {
  return (await devices().enumerateDevices()).filter((device) => device.kind === 'audiooutput');
}

/** Firefox: asks the user for a speaker; undefined where there is no such prompt or it was refused. */
export async function promptForAudioOutput(): Promise<MediaDeviceInfo | undefined> {
  try {
    return await devices().selectAudioOutput!();
  } catch {
    // No prompt in this browser (a TypeError), or the user refused.
    return undefined;
  }
}

/** Plays `element` on the speaker `deviceId` ('' is the default); false when the browser refused or cannot. */
export async function setAudioOutput(element: HTMLMediaElement, deviceId: string): Promise<boolean> {
  try {
    await element.setSinkId(deviceId);
    return true;
  } catch {
    // Refused, or no setSinkId in this browser (a TypeError).
    return false;
  }
}
