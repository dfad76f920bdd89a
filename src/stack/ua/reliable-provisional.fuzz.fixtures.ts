// Test support for the user agent's fuzz test: the far end's side of RFC 3262. It numbers the
// far end's reliable 1xx (in order, or with a gap), writes the RAck of the far end's PRACKs (right
// or wrong), and checks the UA's: its reliable 1xx count up by one per INVITE and only when the
// INVITE required 100rel, its 2xx never overtakes the PRACK of a reliable 1xx with SDP (§3), and
// each PRACK it sends names a reliable 1xx the far end sent.
import type { SipRequest, SipResponse } from '../message/message';
import { parseRAck, reliableSeq } from './calls/reliable-provisional';

/** What the UA sent reliably in one early dialog (a far INVITE's branch and the UA's tag). */
interface UaSide {
  last?: number;
  readonly unpracked: Set<number>;
}

export class FarReliable {
  /** Far INVITEs by branch: whether they required 100rel. */
  readonly #required = new Map<string, boolean>();
  /**
   * By branch and the UA's To tag: the same INVITE text sent again after its transaction ended is
   * a new call to the UA, with a new tag and its own RSeq space.
   */
  readonly #ua = new Map<string, UaSide>();
  /**
   * The far end's reliable 1xx, by Call-ID and To tag: the next RSeq, and those the UA may PRACK
   * (§4: the first, then each one higher, until a gap, after which the UA has nothing in order).
   */
  readonly #far = new Map<string, { next: number; inOrder: Set<number>; gap: boolean }>();

  constructor(private readonly report: (problem: string) => void) {}

  /** A far INVITE (by its branch) that did or did not require 100rel. */
  invite(branch: string, required: boolean): void {
    this.#required.set(branch, required);
  }

  /** A response of the UA to a far INVITE. */
  uaResponse(branch: string, response: SipResponse): void {
    const required = this.#required.get(branch);
    if (required === undefined) return;
    const key = `${branch} ${response.to.tag ?? ''}`;
    let side = this.#ua.get(key);
    if (!side) this.#ua.set(key, (side = { unpracked: new Set() }));
    const rseq = reliableSeq(response);
    if (rseq !== undefined) {
      if (!required) this.report(`the UA sent a reliable ${response.status} to an INVITE that did not require 100rel`);
      if (side.last !== undefined && rseq !== side.last && rseq !== side.last + 1)
        this.report(`the UA's RSeq went from ${side.last} to ${rseq} (RFC 3262 §3)`);
      side.last = rseq;
      if (response.body) side.unpracked.add(rseq);
    }
    if (response.status >= 200 && response.status < 300 && side.unpracked.size > 0) {
      this.report(
        `the UA sent a 2xx before the PRACK of its reliable 1xx with SDP (RSeq ${[...side.unpracked].join(', ')}; RFC 3262 §3)`,
      );
      side.unpracked.clear();
    }
  }

  /**
   * The RAck of a far PRACK for the INVITE `branch` (CSeq `seq`) in the UA's dialog `uaTag`: right when `choice` % 3 is
   * 0.
   */
  rack(branch: string | undefined, uaTag: string, seq: number, choice: number): string {
    const side = this.#ua.get(`${branch ?? ''} ${uaTag}`);
    const last = side?.last;
    if (last === undefined || choice % 3 === 2) return `${choice + 1} ${seq} INVITE`;
    if (choice % 3 === 1) return `${last + 1} ${seq} INVITE`;
    side!.unpracked.delete(last);
    return `${last} ${seq} INVITE`;
  }

  /**
   * The RSeq of a reliable 1xx the far end sends on its early dialog `key`; `gap` skips one (§4: the UA must ignore
   * it).
   */
  farRSeq(key: string, gap: boolean): number {
    let far = this.#far.get(key);
    if (!far) this.#far.set(key, (far = { next: 1 + (key.length % 5) * 1000, inOrder: new Set(), gap: false }));
    if (gap && far.inOrder.size > 0) {
      far.next++;
      far.gap = true;
    }
    const rseq = far.next++;
    if (!far.gap) far.inOrder.add(rseq);
    return rseq;
  }

  /** A PRACK from the UA: its RAck must name a reliable 1xx the far end sent in order in that dialog. */
  uaPrack(prack: SipRequest): void {
    const rack = parseRAck(prack.header('RAck'));
    const inOrder = this.#far.get(`${prack.callId} ${prack.to.tag ?? ''}`)?.inOrder;
    if (!rack || rack.method !== 'INVITE' || !inOrder?.has(rack.rseq))
      this.report(`the UA sent a PRACK for no in-order reliable 1xx of the far end: RAck ${prack.header('RAck')}`);
  }
}
