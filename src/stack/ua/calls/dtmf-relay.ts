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
  const signal = /^\s*signal\s*=\s*([0-9A-Da-d*#])\s*$/im.exec(body);
  if (!signal) return undefined;
  const duration = /^\s*duration\s*=\s*(\d+)\s*$/im.exec(body);
  return { digit: signal[1]!.toUpperCase(), duration: duration ? Number(duration[1]) : 0 };
}
