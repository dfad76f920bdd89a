/**
 * The message-summary event package (RFC 3842): message waiting indication (MWI) for voicemail.
 * The body is `application/simple-message-summary`, header-like lines (RFC 3842 §5.2):
 *
 *   Messages-Waiting: yes
 *   Message-Account: sip:alice@vm.example.com
 *   Voice-Message: 2/8 (0/2)
 *
 * Asterisk and others also send it unsolicited, in a NOTIFY outside any subscription.
 */

export const MESSAGE_SUMMARY_TYPE = 'application/simple-message-summary';

export interface MessageSummary {
  readonly waiting: boolean;
  /** Where the messages are kept: the URI to call to hear them (§5.2), when given. */
  readonly account?: string;
  /** New and old voice messages (the `Voice-Message` line), else all message classes summed. */
  readonly newMessages: number;
  readonly oldMessages: number;
}

/** A count of the body: digits, at most 9 of them, so that no peer can give us a huge number. */
const count = (text: string | undefined): number => (text && /^[0-9]{1,9}$/.test(text) ? Number(text) : 0);

/** Reads a summary; undefined when the body has no `Messages-Waiting` line (§5.2 requires it). */
export function readMessageSummary(body: string): MessageSummary | undefined {
  let waiting: boolean | undefined;
  let account: string | undefined;
  let voice: [number, number] | undefined;
  const all: [number, number] = [0, 0];
  // Lines are few and short; the body's size is bounded by the transport.
  for (const line of body.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'messages-waiting') waiting = value.toLowerCase() === 'yes';
    else if (name === 'message-account') account = value.slice(0, 256);
    else {
      // msg-summary-line = message-context-class ":" newmsgs "/" oldmsgs [ "(" urgent ")" ]
      const slash = value.indexOf('/');
      if (slash < 0) continue;
      const paren = value.indexOf('(');
      const counts: [number, number] = [
        count(value.slice(0, slash).trim()),
        count(value.slice(slash + 1, paren < 0 ? undefined : paren).trim()),
      ];
      if (name === 'voice-message') voice = counts;
      all[0] += counts[0];
      all[1] += counts[1];
    }
  }
  if (waiting === undefined) return undefined;
  const [newMessages, oldMessages] = voice ?? all;
  return { waiting, account: account || undefined, newMessages, oldMessages };
}
