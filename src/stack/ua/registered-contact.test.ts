// The registeredContact option: dialogs use the Contact URI the registrar stored for this instance.
// The registrar here answers as 39peers sipd.py does: it stores the address the REGISTER came from
// (Via received and rport) under our Contact's user part, keeps +sip.instance and reg-id, and hands
// out a pub-gruu it cannot route. Its proxy forwards a request for the stored URI over our
// connection, but not one for our `.invalid` URI (no RFC 5626 flow routing) nor for the GRUU.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NameAddr, SipUri, type SipRequest, type SipResponse } from '../message/message';
import { responseTo } from '../transaction/requests';
import { setup } from './user-agent.fixtures';

/** A 200 to REGISTER with our binding as sipd.py stores it, and optionally another instance's. */
function sipdAnswer(request: SipRequest, other = false): SipResponse {
  const sent = request.contact[0];
  assert.ok(sent instanceof NameAddr && sent.uri instanceof SipUri);
  const user = sent.uri.user;
  const instance = sent.params.get('+sip.instance')!;
  const ok = responseTo(request, 200, undefined, 'srv');
  const bindings = [
    `<sip:${user}@127.0.0.1:49152;transport=ws>;reg-id=1;pub-gruu="sip:alice@example.test;gr=urn:uuid:x";expires=599;+sip.instance=${instance}`,
  ];
  if (other)
    bindings.unshift(
      '<sip:zzz@127.0.0.1:40000;transport=ws>;reg-id=1;expires=300;+sip.instance="<urn:uuid:00000000-0000-4000-8000-000000000000>"',
    );
  ok.setHeader('Contact', bindings.join(', '));
  return ok;
}

async function registered(options: { registeredContact?: boolean }, other = false) {
  const t = setup(options);
  t.serve((request) => sipdAnswer(request, other));
  await t.ua.start();
  const done = t.ua.register();
  await t.flush();
  assert.equal((await done).response.status, 200);
  return t;
}

describe('registeredContact: the Contact the registrar stored (for sipd.py)', () => {
  it('makes dialogs with our binding as the registrar returned it, not the GRUU nor our .invalid URI', async () => {
    const t = await registered({ registeredContact: true });
    const sent = t.requests('REGISTER')[0]!.contact[0] as NameAddr;
    assert.equal(t.ua.core.contact().toString(), `<sip:${(sent.uri as SipUri).user}@127.0.0.1:49152;transport=ws>`);
    assert.match(
      t.ua.core.contact(true).toString(),
      /\.invalid;transport=ws;ob>;/,
      'REGISTER still sends our own Contact',
    );
  });

  it('picks our binding by +sip.instance and reg-id when the registrar lists another instance first', async () => {
    const t = await registered({ registeredContact: true }, true);
    assert.match(t.ua.core.contact().toString(), /@127\.0\.0\.1:49152;/);
  });

  it('leaves dialogs on our own Contact without the option (the default is unchanged)', async () => {
    const t = await registered({});
    assert.match(t.ua.core.contact().toString(), /^<sip:[a-z0-9]+@[a-z0-9]+\.invalid;transport=ws;ob>$/);
  });
});
