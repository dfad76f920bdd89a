import { splitList } from '../../message/list';
import type { SipRequest, SipResponse } from '../../message/message';
import type { NameAddr } from '../../message/name-addr';
import { parseNameAddr } from '../../message/name-addr';
import { SipUri } from '../../message/sip-uri';
import { TelUri } from '../../message/tel-uri';

/**
 * Identity updates: after a PBX transfers a call, or answers it on another phone, it tells the
 * far end who it is now talking to in a re-INVITE or UPDATE (Asterisk's "connected line"), in
 * P-Asserted-Identity (RFC 3325 §9.1) or the older Remote-Party-ID (draft-ietf-sip-privacy-04,
 * still sent by Asterisk, FreeSWITCH and Cisco). What they say is the far end's claim, shown as
 * such: SECURITY.md ("Who the far end says it is") says what is trusted and why.
 */

/** The longest display name and URI taken from an identity header; anything longer is ignored. */
export const MAX_IDENTITY_DISPLAY_NAME = 128;
export const MAX_IDENTITY_URI = 256;

export interface RemoteParty {
  readonly uri: string;
  readonly displayName: string | undefined;
}

/**
 * The party a re-INVITE or UPDATE names: the first P-Asserted-Identity with a sip, sips or tel
 * URI (RFC 3325 §9.1 allows one of each), else the first Remote-Party-ID (`party=called` or
 * `calling`, or none) unless it asks for privacy. Undefined when neither is there or usable.
 */
export function assertedIdentity(request: SipRequest): RemoteParty | undefined {
  for (const value of request.headers('P-Asserted-Identity')) {
    const party = partyOf(value);
    if (party) return party;
  }
  // Remote-Party-ID is not among the known list fields: a line may hold several, comma-separated.
  for (const line of request.headers('Remote-Party-ID')) {
    for (const value of splitList(line)) {
      const party = partyOf(value, (address) => address.params.get('privacy')?.toLowerCase() !== 'full');
      if (party) return party;
    }
  }
  return undefined;
}

function partyOf(value: string, usable: (address: NameAddr) => boolean = () => true): RemoteParty | undefined {
  let address: NameAddr;
  try {
    address = parseNameAddr(value.trim());
  } catch {
    return undefined; // a malformed identity is no identity
  }
  const uri = address.uri;
  if (!(uri instanceof SipUri || uri instanceof TelUri) || !usable(address)) return undefined;
  const text = uri.toString();
  const displayName = address.displayName?.trim() || undefined;
  if (text.length > MAX_IDENTITY_URI || (displayName?.length ?? 0) > MAX_IDENTITY_DISPLAY_NAME) return undefined;
  return { uri: text, displayName };
}

/** The party an in-dialog request (not ACK) asserts, when it differs from `current`. */
export function changedIdentity(message: SipRequest | SipResponse, current: RemoteParty): RemoteParty | undefined {
  if (message.kind !== 'request' || message.method === 'ACK' || message.to.tag === undefined) return undefined;
  const party = assertedIdentity(message);
  return party && (party.uri !== current.uri || party.displayName !== current.displayName) ? party : undefined;
}
