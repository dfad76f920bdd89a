// The demo's attended-transfer control (RFC 5589 §7), in the page rather than in the elements so
// the widget does not grow: while a phone has two or more established calls, the user picks whose
// party goes over to whose, and `<sip-call>.transfer(otherSipCall)` does the rest. Names are remote
// text, so they are only ever set with textContent.
import type { SipCall, SipPhone } from '../src/index';

/** Calls that can take part: connected or held (transfer() refuses the others). */
const ESTABLISHED = ['connected', 'held'];

const nameOf = (call: SipCall): string =>
  call.remote?.displayName || call.remote?.uri.replace(/^sips?:/, '') || 'unknown';

/** Wires the `.attended-form` and `.attended-status` of a phone column to `phone`'s calls. */
export function attendedTransfer(phone: SipPhone, form: HTMLFormElement, status: HTMLElement): void {
  const select = form.querySelector('select')!;
  /** [the call whose party is handed over, the call whose party receives it], one per option. */
  let pairs: Array<[SipCall, SipCall]> = [];

  const refresh = (): void => {
    const chosen = pairs[Number(select.value)];
    const calls = phone.calls.filter((call) => ESTABLISHED.includes(call.state));
    pairs = calls.flatMap((from) => calls.filter((to) => to !== from).map((to): [SipCall, SipCall] => [from, to]));
    select.replaceChildren(
      ...pairs.map(([from, to], index) => {
        const option = document.createElement('option');
        option.value = String(index);
        option.textContent = `${nameOf(from)} to ${nameOf(to)}`;
        option.selected = !!chosen && chosen[0] === from && chosen[1] === to;
        return option;
      }),
    );
    form.hidden = pairs.length === 0;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const pair = pairs[Number(select.value)];
    if (!pair) return;
    const [from, to] = pair;
    status.textContent = `Transferring ${nameOf(from)} to ${nameOf(to)}…`;
    from.transfer(to).catch((error: Error) => {
      status.textContent = `Transfer failed: ${error.message}`;
    });
  });
  // The transferred party reports how its call to the other went (RFC 3515 NOTIFY); on success
  // both of our calls end.
  phone.addEventListener('sip-transfer-progress', ({ detail }) => {
    if (detail.status >= 200)
      status.textContent = detail.status < 300 ? 'Transfer done' : `Transfer failed: ${detail.status} ${detail.reason}`;
  });
  phone.addEventListener('sip-call-state', refresh);
  phone.addEventListener('sip-call-ended', refresh);
  // Calls come and go as child elements of the phone (a replacing call arrives connected).
  new MutationObserver(refresh).observe(phone, { childList: true });
  refresh();
}
