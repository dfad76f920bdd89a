/**
 * RFC 5626 (SIP Outbound) and RFC 7118 pieces of the UA's Contact header, as parameter maps and
 * as text; building the header itself is the message layer's job.
 *
 *   REGISTER:   Contact: <sip:u@h.invalid;transport=ws;ob>;reg-id=1;+sip.instance="<urn:uuid:…>"
 *   INVITE etc: Contact: <sip:u@h.invalid;transport=ws;ob>
 *
 * - `+sip.instance` (RFC 5626 §4.1): a URN that names this UA instance and stays the same across
 *   restarts, so the registrar can tell a re-registration from a new device. The caller persists
 *   it (e.g. in localStorage) and passes it back through ensureInstanceId().
 * - `reg-id` (RFC 5626 §4.2.1): which flow this registration is for; one flow here, so 1.
 * - `ob` (RFC 5626 §4.3, the RFC 7118 §8.2 example): asks that requests in dialogs this Contact
 *   creates come back over the flow the UA registered on.
 * - `transport=ws` (RFC 7118 §5.2.2): the URI transport parameter is `ws` for WS and WSS alike
 *   (there is no `wss` value; RFC 7118 erratum 5937).
 */
import { toHex } from '../core/hex';
import type { Random } from '../core/random';

export const DEFAULT_REG_ID = 1;

const INSTANCE_ID = /^<urn:[a-z0-9][a-z0-9-]{0,31}:[^<>"\s]+>$/i;

/** A random (version 4) UUID, RFC 4122 §4.4, lower-case. */
export function uuidV4(random: Random): string {
  const bytes = random.bytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10xx
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A new instance id, `<urn:uuid:…>` (RFC 5626 §4.1: the angle brackets are part of it). */
export function createInstanceId(random: Random): string {
  return `<urn:uuid:${uuidV4(random)}>`;
}

/** Whether `value` has the form of an instance id: a URN in angle brackets. */
export function isInstanceId(value: string): boolean {
  return INSTANCE_ID.test(value);
}

/**
 * The stored instance id when it is one, else a new one. Persist the result: a UA that changes
 * its instance id on every page load leaves stale bindings at the registrar.
 */
export function ensureInstanceId(stored: string | null | undefined, random: Random): string {
  return stored && isInstanceId(stored) ? stored : createInstanceId(random);
}

export interface OutboundContactOptions {
  /** From ensureInstanceId(). */
  readonly instanceId: string;
  /** RFC 5626 §4.2.1 reg-id, 1 to 2^31-1 (default 1). */
  readonly regId?: number;
  /** Add the `ob` URI parameter (default true). */
  readonly ob?: boolean;
}

export interface OutboundContactParams {
  /** Contact URI parameters, in order; a null value is a flag parameter (`ob`). */
  readonly uriParams: ReadonlyMap<string, string | null>;
  /** Contact header parameters for REGISTER, values as on the wire (`+sip.instance` quoted). */
  readonly headerParams: ReadonlyMap<string, string | null>;
  /** `;transport=ws;ob` */
  readonly uriParamsText: string;
  /** `;reg-id=1;+sip.instance="<urn:uuid:…>"` */
  readonly headerParamsText: string;
}

/** The outbound Contact parameters; throws a plain Error on a malformed id (a caller's bug). */
export function outboundContactParams(options: OutboundContactOptions): OutboundContactParams {
  const { instanceId, regId = DEFAULT_REG_ID, ob = true } = options;
  if (!isInstanceId(instanceId)) throw new Error(`not an RFC 5626 instance id: ${JSON.stringify(instanceId)}`);
  if (!Number.isInteger(regId) || regId < 1 || regId > 2 ** 31 - 1) throw new RangeError(`invalid reg-id ${regId}`);
  const uriParams = new Map<string, string | null>([['transport', 'ws']]);
  if (ob) uriParams.set('ob', null);
  const headerParams = new Map<string, string | null>([
    ['reg-id', String(regId)],
    ['+sip.instance', `"${instanceId}"`],
  ]);
  return { uriParams, headerParams, uriParamsText: paramsText(uriParams), headerParamsText: paramsText(headerParams) };
}

function paramsText(params: ReadonlyMap<string, string | null>): string {
  return [...params].map(([name, value]) => (value === null ? `;${name}` : `;${name}=${value}`)).join('');
}
