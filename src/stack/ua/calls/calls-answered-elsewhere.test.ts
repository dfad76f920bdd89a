// A CANCEL from a forking proxy whose other branch was answered (RFC 3326 §2, RFC 3261 §9.2): the
// call ends `answered-elsewhere`, not `remote-canceled`, and still answers its INVITE 487.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../message/parser';
import { serialize } from '../../message/serializer';
import type { SipRequest } from '../../message/message';
import { cancelFor } from '../../transaction/requests';
import { sent, twoPhones } from './calls.fixtures';

/** Bob rings for alice's call; `reason` goes in a CANCEL as the proxy would send it on alice's side. */
async function canceledWith(reason: string | undefined) {
  const { alice, bob, pair, flush } = await twoPhones();
  alice.ua.call('bob');
  await flush();
  const incoming = bob.incoming[0]!;
  assert.equal(incoming.state, 'incoming');
  const invite = parseMessage(sent(pair.a, 'INVITE')[0]!) as SipRequest;
  pair.a.send(serialize(cancelFor(invite, reason)));
  await flush();
  assert.equal(sent(pair.b, 'SIP/2.0 487').length, 1, 'the INVITE is answered 487 either way');
  return incoming.ended;
}

describe('a CANCEL because another branch answered (RFC 3326 Reason)', () => {
  it("ends the call as answered-elsewhere for 'Reason: SIP ;cause=200'", async () => {
    assert.deepEqual(await canceledWith('SIP;cause=200;text="Call completed elsewhere"'), {
      cause: 'answered-elsewhere',
      status: 487,
      reason: undefined,
    });
  });

  it('ends it as remote-canceled without a Reason, with another cause, or with a Reason too large to read', async () => {
    assert.equal((await canceledWith(undefined))?.cause, 'remote-canceled');
    assert.equal((await canceledWith('SIP;cause=487'))?.cause, 'remote-canceled');
    assert.equal((await canceledWith(`SIP;cause=200;text="${'x'.repeat(5000)}"`))?.cause, 'remote-canceled');
  });
});
