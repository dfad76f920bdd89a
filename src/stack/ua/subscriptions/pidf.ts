/**
 * The presence event package (RFC 3856) with PIDF bodies (RFC 3863) and the RPID activities
 * (RFC 4480) that say away or busy, read into one of four states a lamp can show, and written for
 * our own PUBLISH (RFC 3903).
 */
import { descendants, escapeXml, readXml } from './xml-reader';

export const PIDF_TYPE = 'application/pidf+xml';

export type PresenceState = 'available' | 'away' | 'busy' | 'offline' | 'unknown';

export interface PresenceDocument {
  readonly entity: string;
  readonly state: PresenceState;
  /** A short free text the person set (RFC 3863 §4.1.6 `note`), at most 200 characters. */
  readonly note?: string;
}

/** RFC 4480 §3.2 activities that mean the person cannot take a call now. */
const BUSY = ['busy', 'on-the-phone', 'meeting', 'performance', 'presentation', 'in-transit'];
/** ...and those that mean they are away from it. */
const AWAY = [
  'away',
  'appointment',
  'breakfast',
  'dinner',
  'lunch',
  'meal',
  'sleeping',
  'vacation',
  'holiday',
  'travel',
];

/** Reads one PIDF document; undefined when it is not one. */
export function readPidf(body: string): PresenceDocument | undefined {
  const root = readXml(body);
  if (root?.name !== 'presence') return undefined;
  const basics = descendants(root, 'basic').map((element) => element.text.trim());
  const activities = descendants(root, 'activities').flatMap((element) => element.children.map((node) => node.name));
  const note = descendants(root, 'note')[0]?.text.trim().slice(0, 200);
  // RFC 3863 §4.1.4: `open` means ready to communicate; with several tuples, one open is enough.
  let state: PresenceState = basics.includes('open') ? 'available' : basics.includes('closed') ? 'offline' : 'unknown';
  if (state !== 'offline') {
    if (activities.some((name) => BUSY.includes(name))) state = 'busy';
    else if (activities.some((name) => AWAY.includes(name))) state = 'away';
  }
  return { entity: root.attributes.get('entity') ?? '', state, note: note || undefined };
}

/**
 * A PIDF document for our own presence: one tuple (open unless offline) and, for away and busy,
 * the RPID activity in a person element (RFC 4479 data model), as Kamailio's presence_xml and the
 * common softphones expect it.
 */
export function writePidf(
  entity: string,
  state: Exclude<PresenceState, 'unknown'>,
  tupleId: string,
  note?: string,
): string {
  const activity = state === 'away' || state === 'busy' ? `<rpid:activities><rpid:${state}/></rpid:activities>` : '';
  const noteXml = note ? `<note>${escapeXml(note)}</note>` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="${escapeXml(entity)}">`,
    `<tuple id="${escapeXml(tupleId)}"><status><basic>${state === 'offline' ? 'closed' : 'open'}</basic></status>${noteXml}</tuple>`,
    `<dm:person id="p-${escapeXml(tupleId)}">${activity}</dm:person>`,
    '</presence>',
  ].join('\r\n');
}
