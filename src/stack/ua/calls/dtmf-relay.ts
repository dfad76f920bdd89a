/**
 * SIP INFO DTMF in the de-facto `application/dtmf-relay` format (no RFC; the form Cisco defined
 * and every PBX reads): `Signal=5` and `Duration=160` lines. Used when RFC 4733 telephone-events
 * were not negotiated (RFC 4733 §2.5 is the preferred path).
 */
export const DTMF_RELAY = 'application/dtmf-relay';

export function dtmfRelayBody(digit: string, durationMs: number): string {
  return `Signal=${digit}\r\nDuration=${Math.round(durationMs)}\r\n`;
}

/** Reads an `application/dtmf-relay` (or `application/dtmf`: just the digit) body. */
export function readDtmfRelay(body: string, contentType: string): { digit: string; duration: number } | undefined {
  if (contentType === 'application/dtmf') {
    const digit = body.trim();
    return /^[0-9A-Da-d*#]$/.test(digit) ? { digit: digit.toUpperCase(), duration: 0 } : undefined;
  }
  // Line by line: a multiline regular expression starting with ^\s* rescans every run of line
  // feeds from each of its lines, so 64 KiB of them took seconds.
  let digit: string | undefined;
  let duration: number | undefined;
  for (const line of body.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const name = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (name === 'signal' && digit === undefined && /^[0-9A-Da-d*#]$/.test(value)) digit = value.toUpperCase();
    else if (name === 'duration' && duration === undefined && /^\d+$/.test(value)) duration = Number(value);
  }
  return digit === undefined ? undefined : { digit, duration: duration ?? 0 };
}
