/**
 * The user-visible strings of in-call media (devices, quality, screen sharing), in one table so
 * that a translation replaces them together.
 */
const KIND_NAMES = { audio: 'microphone', video: 'camera', speaker: 'speaker' } as const;

export const mediaStrings = {
  quality: { good: 'Good line', fair: 'Fair line', poor: 'Poor line' },
  micLevel: 'Microphone level',
  shareScreen: 'Share screen',
  cannotShare: 'This call cannot share the screen here',
  /** A device in use went away (its track ended); the call now uses the default one. */
  deviceLost: (kind: keyof typeof KIND_NAMES) => `The ${KIND_NAMES[kind]} was disconnected: using the default ${KIND_NAMES[kind]}`,
  /** The chosen device is no longer listed: the phone falls back to the default. */
  deviceGone: (kind: keyof typeof KIND_NAMES) => `The chosen ${KIND_NAMES[kind]} is no longer available: using the default ${KIND_NAMES[kind]}`,
  switchFailed: (kind: keyof typeof KIND_NAMES) => `Could not switch the ${KIND_NAMES[kind]}`,
};
