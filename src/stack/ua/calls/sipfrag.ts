/**
 * The status line of a `message/sipfrag` body (RFC 3420), as a NOTIFY for a REFER carries it to
 * report the progress of the referred request (RFC 3515 §2.4.5).
 */
export const SIPFRAG = 'message/sipfrag;version=2.0';

export function sipfragStatus(body: string): { status: number; reason: string } | undefined {
  const match = /^SIP\/2\.0 (\d{3}) ?([^\r\n]*)/.exec(body.trimStart());
  return match ? { status: Number(match[1]), reason: match[2]! } : undefined;
}

export function sipfragBody(status: number, reason: string): string {
  return `SIP/2.0 ${status} ${reason}\r\n`;
}
