// Runs before the elements load (elements.html): takes away what `?without=` names, as a browser
// without WebRTC would lack it (WebKitGTK, Lockdown Mode), and records from the first moment what
// the test checks: every sip-error, uncaught error and unhandled rejection of the page.
const without = new URLSearchParams(location.search).get('without');
if (without === 'RTCPeerConnection') delete (window as Partial<Window & typeof globalThis>).RTCPeerConnection;
// getUserMedia lives on the prototype: deleting it there is what makes it absent.
if (without === 'getUserMedia') delete (MediaDevices.prototype as Partial<MediaDevices>).getUserMedia;

interface Recorded {
  /** Each sip-error as name, code and message. */
  sipErrors: Array<{ name: string; code: string | undefined; message: string }>;
  /** Uncaught errors and unhandled rejections. */
  pageErrors: string[];
}

const recorded: Recorded = { sipErrors: [], pageErrors: [] };
document.addEventListener('sip-error', ({ detail: { error } }) =>
  recorded.sipErrors.push({
    name: error.name,
    code: (error as Error & { code?: string }).code,
    message: error.message,
  }),
);
addEventListener('error', (event) => recorded.pageErrors.push(`error: ${event.message}`));
addEventListener('unhandledrejection', (event) =>
  recorded.pageErrors.push(`unhandled rejection: ${String(event.reason)}`),
);

declare global {
  interface Window {
    recorded: Recorded;
  }
}
window.recorded = recorded;

export {};
