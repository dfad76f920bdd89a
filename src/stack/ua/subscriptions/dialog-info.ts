/**
 * The dialog event package (RFC 4235): what a busy lamp (BLF) shows. A notifier sends
 * `application/dialog-info+xml` documents, each `full` (the whole state) or `partial` (only the
 * dialogs that changed, RFC 4235 §4.1), numbered by `version`; the subscriber keeps the dialogs it
 * was told of and folds them into one lamp state.
 */
import { child, escapeXml, readXml } from './xml-reader';

export const DIALOG_INFO_TYPE = 'application/dialog-info+xml';

/** RFC 4235 §3.7.1: the dialog states, with `trying`..`early` before the answer. */
export type DialogInfoState = 'trying' | 'proceeding' | 'early' | 'confirmed' | 'terminated';

/** A busy lamp: nobody on the phone, being called, or in a call (or calling out). */
export type LampState = 'idle' | 'ringing' | 'busy' | 'unknown';

export interface DialogInfoDialog {
  readonly id: string;
  readonly state: DialogInfoState;
  /** `recipient`: the watched user is being called; `initiator`: they placed the call. */
  readonly direction?: 'initiator' | 'recipient';
}

export interface DialogInfoDocument {
  readonly version: number;
  readonly full: boolean;
  readonly entity: string;
  readonly dialogs: readonly DialogInfoDialog[];
}

const STATES: readonly string[] = ['trying', 'proceeding', 'early', 'confirmed', 'terminated'];

/** At most this many dialogs are kept for one watched user: a notifier cannot make us hold more. */
export const MAX_DIALOGS = 64;

/** Reads one dialog-info document; undefined when it is not one. */
export function readDialogInfo(body: string): DialogInfoDocument | undefined {
  const root = readXml(body);
  if (root?.name !== 'dialog-info') return undefined;
  const version = Number(root.attributes.get('version'));
  const dialogs: DialogInfoDialog[] = [];
  for (const element of root.children) {
    if (element.name !== 'dialog' || dialogs.length >= MAX_DIALOGS) continue;
    const state = child(element, 'state')?.text.trim() ?? '';
    const direction = element.attributes.get('direction');
    dialogs.push({
      id: element.attributes.get('id') ?? '',
      state: (STATES.includes(state) ? state : 'terminated') as DialogInfoState,
      direction: direction === 'initiator' || direction === 'recipient' ? direction : undefined,
    });
  }
  return {
    version: Number.isSafeInteger(version) ? version : -1,
    full: root.attributes.get('state') !== 'partial',
    entity: root.attributes.get('entity') ?? '',
    dialogs,
  };
}

/**
 * The dialogs of one watched user across notifications (RFC 4235 §4.1): a full document replaces
 * what was known, a partial one updates the dialogs it names; a document whose version is not
 * newer than the last is ignored (a late or repeated NOTIFY), and a partial one after a gap in
 * the versions makes the state unknown until the next full document.
 */
export class WatchedDialogs {
  #version: number | undefined;
  #dialogs = new Map<string, DialogInfoDialog>();
  #lost = false;

  /** Takes a document in; returns whether it was used. */
  apply(document: DialogInfoDocument): boolean {
    if (this.#version !== undefined && document.version >= 0 && document.version <= this.#version) return false;
    if (document.full) {
      this.#dialogs = new Map();
      this.#lost = false;
    } else if (this.#version === undefined || (document.version >= 0 && document.version !== this.#version + 1)) {
      this.#lost = true;
    }
    this.#version = document.version >= 0 ? document.version : this.#version;
    for (const dialog of document.dialogs) {
      if (dialog.state === 'terminated') this.#dialogs.delete(dialog.id);
      else if (this.#dialogs.size < MAX_DIALOGS || this.#dialogs.has(dialog.id)) this.#dialogs.set(dialog.id, dialog);
    }
    return true;
  }

  /**
   * One lamp for all the user's dialogs: in a call (or calling out) is busy, being called is
   * ringing, none is idle.
   */
  get lamp(): LampState {
    if (this.#lost) return 'unknown';
    let ringing = false;
    for (const dialog of this.#dialogs.values()) {
      if (dialog.state === 'confirmed' || dialog.direction === 'initiator') return 'busy';
      ringing = true;
    }
    return ringing ? 'ringing' : 'idle';
  }
}

/** One dialog as a notifier writes it (RFC 4235 §4.1.1): its id, Call-ID and tags, and its state. */
/**
 * One dialog as a notifier tells it. Call-ID and tags are optional, and a notifier that does not
 * know its watchers to be the dialog's own parties must leave them out: with them, a watcher could
 * take the call over by an INVITE with Replaces (RFC 3891; RFC 4235 §10).
 */
export interface DialogInfoEntry extends DialogInfoDialog {
  readonly callId?: string;
  readonly localTag?: string;
  readonly remoteTag?: string;
}

/**
 * A full dialog-info document (RFC 4235 §4.1), for a notifier: `version` counts the documents sent
 * in one subscription from 0 (§4.1.2). Every value is escaped: tags and Call-IDs come from others.
 */
export function writeDialogInfo(entity: string, version: number, dialogs: readonly DialogInfoEntry[]): string {
  const attribute = (name: string, value: string | undefined) =>
    value === undefined ? '' : ` ${name}="${escapeXml(value)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="full" entity="${escapeXml(entity)}">`,
    ...dialogs.map(
      (dialog) =>
        `<dialog${attribute('id', dialog.id)}${attribute('call-id', dialog.callId)}${attribute('local-tag', dialog.localTag)}${attribute('remote-tag', dialog.remoteTag)}${attribute('direction', dialog.direction)}><state>${dialog.state}</state></dialog>`,
    ),
    '</dialog-info>',
  ].join('\r\n');
}
