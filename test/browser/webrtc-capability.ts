// The one way a browser test is skipped: it needs WebRTC and this browser has none (Debian's
// WebKitGTK is built without it; Safari in Lockdown Mode turns it off). Such a test is declared with
// describeNeedingWebRTC() or itNeedingWebRTC(): where WebRTC exists it runs as usual; where it does
// not, mocha reports it as skipped (never as passed), and the page logs why, once per file. eslint
// forbids every other skip in browser tests, so a skipped count always means "no WebRTC here".

/** Why this browser cannot run a test that needs WebRTC; undefined where it can. */
export const webrtcMissing: string | undefined =
  typeof RTCPeerConnection !== 'function'
    ? 'no RTCPeerConnection'
    : typeof navigator.mediaDevices?.getUserMedia !== 'function'
      ? 'no navigator.mediaDevices.getUserMedia'
      : undefined;

const skipped: string[] = [];

/** Collects the skips of this page's test file into one log line, written once they are all declared. */
function report(what: string): void {
  if (skipped.length === 0) {
    // Test files declare their suites synchronously: by the next microtask every skip is known.
    queueMicrotask(() =>
      console.log(`Skipped, needing WebRTC (this browser has ${webrtcMissing}):\n  ${skipped.join('\n  ')}`),
    );
  }
  skipped.push(what);
}

/** A mocha `describe` whose tests all need WebRTC: skipped, with the reason logged, where it is missing. */
export function describeNeedingWebRTC(title: string, body: (this: Mocha.Suite) => void): void {
  if (!webrtcMissing) {
    describe(title, body);
    return;
  }
  // Mocha still runs the body, to list the tests it skips; @types/mocha allows it to return nothing.
  const suite = describe.skip(title, body);
  report(suite ? `${suite.total()} tests of "${title}"` : `"${title}"`);
}

/** A mocha `it` that needs WebRTC: skipped, with the reason logged, where it is missing. */
export function itNeedingWebRTC(title: string, fn: Mocha.AsyncFunc): void {
  if (!webrtcMissing) {
    it(title, fn);
    return;
  }
  report(`"${title}"`);
  it.skip(title, fn);
}
