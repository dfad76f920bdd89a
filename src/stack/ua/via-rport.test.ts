// RFC 3581 symmetric response routing from the client side: every request we start asks for it
// with an empty `rport` on our top Via (§3), and responses that come back with the `received` and
// `rport` the server filled in (§4) are still ours. A server that ignores RFC 3581 answers to the
// sent-by, which for us is a `.invalid` name (RFC 7118 §5) on no port; 39peers' sipd.py does
// exactly that unless `rport` is there.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../message/parser';
import { isRequest, type SipRequest } from '../message/message';
import { responseTo } from '../transaction/requests';
import { sent, twoPhones } from './calls/calls.fixtures';
import { setup } from './user-agent.fixtures';

/** What a server following RFC 3581 §4 does to the top Via of a request it received from 127.0.0.1:49152. */
function stampSource(request: SipRequest): SipRequest {
  const [top, ...rest] = request.via;
  assert.equal(top!.rport, null, `the request asked for rport: ${top}`);
  request.via = [top!.withParam('received', '127.0.0.1').withParam('rport', '49152'), ...rest];
  return request;
}

describe('Via rport (RFC 3581)', () => {
  it('puts an empty rport on the top Via of every request a call sends: INVITE, ACK, BYE, CANCEL (REGISTER and MESSAGE below)', async () => {
    const { alice, bob, pair, flush } = await twoPhones();
    const viaOf = (text: string) => (parseMessage(text) as SipRequest).via[0]!;
    const call = alice.ua.call('bob');
    await flush();
    await bob.incoming[0]!.answer();
    await flush();
    await call.hangup();
    await flush();
    const canceled = alice.ua.call('bob');
    await flush();
    await canceled.hangup();
    await flush();
    const requests = pair.a.sent.filter((text) => isRequest(parseMessage(text)));
    assert.deepEqual(
      requests.map((text) => text.slice(0, text.indexOf(' '))),
      ['INVITE', 'ACK', 'BYE', 'INVITE', 'CANCEL', 'ACK'],
      'the requests alice sent (the last ACK answers the 487)',
    );
    for (const text of requests) {
      const via = viaOf(text);
      assert.equal(via.rport, null, `${text.slice(0, 40)}… top Via ${via}`);
      assert.match(via.host, /\.invalid$/);
      // Written as RFC 3581 §3's example does: the bare parameter, before the branch.
      assert.match(text, /\r\nVia: SIP\/2\.0\/\w+ [^;\r\n]+\.invalid;rport;branch=z9hG4bK/);
    }
    assert.equal(sent(pair.b, 'BYE').length, 0, 'bob sent nothing of its own');
  });

  it('takes responses whose top Via carries the received and rport the server filled in', async () => {
    const t = setup();
    t.serve((request) => responseTo(stampSource(request), 200, undefined, 'srv'));
    await t.ua.start();
    const registration = t.ua.register();
    await t.flush();
    const { response } = await registration;
    assert.equal(response.status, 200);
    assert.deepEqual([response.via[0]!.received, response.via[0]!.rport], ['127.0.0.1', 49152]);
    assert.equal(t.ua.registered, true);
    const message = t.ua.sendMessage('bob', 'through sipd');
    await t.flush();
    assert.equal((await message).status, 200);
    assert.equal(t.requests('REGISTER')[0]!.via[0]!.received, '127.0.0.1', 'the server saw and stamped the request');
  });

  it('takes a response whose server wrote the Via parameters in another order, as sipd.py may', async () => {
    const t = setup();
    t.serve((request) => {
      const response = responseTo(request, 200, undefined, 'srv');
      const top = request.via[0]!;
      response.setHeader(
        'Via',
        `SIP/2.0/${top.transport} ${top.host};received=127.0.0.1;branch=${top.branch};rport=49152`,
      );
      return response;
    });
    await t.ua.start();
    const message = t.ua.sendMessage('bob', 'reordered');
    await t.flush();
    assert.equal((await message).status, 200);
  });
});
