import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../message/parser';
import type { SipRequest } from '../message/message';
import { InviteServerTransaction } from './invite-server-transaction';
import { NonInviteServerTransaction } from './non-invite-server-transaction';
import { responseTo } from './requests';
import { layer, request, response, RecordingUser } from './transaction.fixtures';
import { MAX_SERVER_TRANSACTIONS } from './transaction-layer';

/** The ACK for a non-2xx: same branch as the INVITE (§17.1.1.3). */
function ackFor(invite: SipRequest): SipRequest {
  return request('ACK', invite.branch);
}

function inviteServer(servers: unknown[]): InviteServerTransaction {
  const server = servers[0];
  assert.ok(server instanceof InviteServerTransaction);
  return server;
}

describe('INVITE server transaction (RFC 3261 §17.2.1)', () => {
  it('sends 100 Trying at once and answers a retransmitted INVITE with the last response', () => {
    const { transport, transactions, requests, servers } = layer(false);
    transactions.receiveRequest(request('INVITE'));
    assert.deepEqual(transport.lines, ['SIP/2.0 100 Trying']);
    assert.equal(inviteServer(servers).state, 'proceeding');
    transactions.receiveRequest(request('INVITE'));
    assert.deepEqual(transport.lines, ['SIP/2.0 100 Trying', 'SIP/2.0 100 Trying']);
    assert.equal(requests.length, 1, 'the retransmission is not passed to the TU');
  });

  it('retransmits a non-2xx final with Timer G until the ACK, then absorbs ACKs for Timer I', () => {
    const { clock, transport, transactions, servers } = layer(false);
    const invite = request('INVITE');
    transactions.receiveRequest(invite);
    const server = inviteServer(servers);
    server.respond(responseTo(invite, 486, 'Busy Here', 'uas1'));
    assert.equal(server.state, 'completed');
    clock.advance(500 + 1000 + 2000);
    assert.equal(transport.lines.filter((line) => line.includes('486')).length, 4, 'sent, then at 500, 1500, 3500');
    transactions.receiveRequest(ackFor(invite));
    assert.equal(server.state, 'confirmed');
    const sent = transport.sent.length;
    clock.advance(4000);
    assert.equal(transport.sent.length, sent, 'no retransmission after the ACK');
    clock.advance(1000);
    assert.equal(server.state, 'terminated');
  });

  it('reports Timer H when no ACK comes for a non-2xx', () => {
    const { clock, transactions, servers } = layer(true);
    const invite = request('INVITE');
    transactions.receiveRequest(invite);
    const server = inviteServer(servers);
    const failures: number[] = [];
    server.user = { onFailure: (error) => failures.push(error.status) };
    server.respond(responseTo(invite, 480, undefined, 'uas1'));
    clock.advance(32000);
    assert.equal(server.state, 'terminated');
    assert.deepEqual(failures, [408]);
  });

  it('goes to Accepted on a 2xx, lets the TU resend it, hands the ACK to the TU and ends after Timer L', () => {
    const { clock, transport, transactions, servers } = layer(false);
    const invite = request('INVITE');
    transactions.receiveRequest(invite);
    const server = inviteServer(servers);
    const acks: SipRequest[] = [];
    server.user = { onAck: (ack) => acks.push(ack) };
    const ok = responseTo(invite, 200, undefined, 'uas1');
    server.respond(ok);
    server.respond(ok);
    assert.equal(server.state, 'accepted');
    transactions.receiveRequest(invite);
    assert.equal(
      transport.lines.filter((line) => line.startsWith('SIP/2.0 200')).length,
      2,
      'a retransmitted INVITE is absorbed',
    );
    transactions.receiveRequest(ackFor(invite));
    assert.equal(acks.length, 1);
    clock.advance(32000);
    assert.equal(server.state, 'terminated');
  });
});

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  it('absorbs retransmissions in Trying, resends the final in Completed, ends after Timer J', () => {
    const { clock, transport, transactions, servers } = layer(false);
    const message = request('MESSAGE');
    transactions.receiveRequest(message);
    transactions.receiveRequest(message);
    assert.equal(transport.sent.length, 0, 'nothing to resend in Trying');
    const server = servers[0];
    assert.ok(server instanceof NonInviteServerTransaction);
    server.respond(responseTo(message, 200, undefined, 'uas1'));
    transactions.receiveRequest(message);
    assert.deepEqual(transport.lines, ['SIP/2.0 200 OK', 'SIP/2.0 200 OK']);
    server.respond(responseTo(message, 500));
    assert.equal(transport.sent.length, 2, 'a second final is discarded');
    clock.advance(31999);
    assert.equal(server.state, 'completed');
    clock.advance(1);
    assert.equal(server.state, 'terminated');
    assert.equal(servers.length, 1);
  });
});

describe('transaction matching (RFC 3261 §17.1.3, §17.2.3)', () => {
  it('routes a response by branch and CSeq method, so a CANCEL and its INVITE stay apart', () => {
    const { transactions, strays } = layer(true);
    const inviteUser = new RecordingUser();
    const cancelUser = new RecordingUser();
    const invite = request('INVITE');
    transactions.sendRequest(invite, inviteUser);
    const cancel = request('CANCEL');
    transactions.sendRequest(cancel, cancelUser);
    transactions.receiveResponse(response(200, cancel));
    transactions.receiveResponse(response(487, invite));
    assert.deepEqual(
      cancelUser.responses.map((r) => r.status),
      [200],
    );
    assert.deepEqual(
      inviteUser.responses.map((r) => r.status),
      [487],
    );
    transactions.receiveResponse(response(200, request('INVITE', 'z9hG4bKother')));
    assert.equal(strays.length, 1, 'a response for no transaction is stray');
  });

  it('matches a CANCEL to its INVITE server transaction, and an ACK for a 2xx to no transaction', () => {
    const { transactions, requests, acks } = layer(true);
    const invite = request('INVITE');
    transactions.receiveRequest(invite);
    const cancel = request('CANCEL');
    assert.ok(transactions.findInviteFor(cancel) instanceof InviteServerTransaction);
    assert.equal(transactions.findInviteFor(request('CANCEL', 'z9hG4bKnone')), undefined);
    transactions.receiveRequest(cancel);
    assert.deepEqual(
      requests.map((r) => r.method),
      ['INVITE', 'CANCEL'],
      'the CANCEL gets its own transaction',
    );
    transactions.receiveRequest(request('ACK', 'z9hG4bKnewbranch'));
    assert.equal(acks.length, 1);
  });

  it('tells requests apart by sent-by when branches collide', () => {
    const { transactions, requests } = layer(true);
    transactions.receiveRequest(request('MESSAGE'));
    const other = parseMessage(request('MESSAGE').toString().replace('a1b2.invalid', 'c3d4.invalid')) as SipRequest;
    transactions.receiveRequest(other);
    assert.equal(requests.length, 2);
  });

  it('matches retransmissions of an RFC 2543 request (no magic cookie)', () => {
    const { transactions, requests, transport } = layer(true);
    const old = request('OPTIONS', '2543branch');
    transactions.receiveRequest(old);
    transactions.receiveRequest(request('OPTIONS', '2543branch'));
    assert.equal(requests.length, 1);
    assert.equal(transport.sent.length, 0);
  });
});

// Issue 15 item 5: a peer sending INVITEs it never ACKs held a transaction each for Timer H.
describe('server transaction limit', () => {
  it(`answers 503 with Retry-After, statelessly, beyond ${MAX_SERVER_TRANSACTIONS} server transactions, and takes requests again once they end`, () => {
    const { clock, transport, transactions, servers } = layer(true);
    for (let i = 0; i < MAX_SERVER_TRANSACTIONS + 3; i++)
      transactions.receiveRequest(request('INVITE', `z9hG4bKflood${i}`));
    assert.equal(servers.length, MAX_SERVER_TRANSACTIONS);
    assert.equal(transactions.size.servers, MAX_SERVER_TRANSACTIONS);
    const refused = transport.sent.slice(-3).map((text) => parseMessage(text));
    assert.deepEqual(
      refused.map((m) => (m.kind === 'response' ? m.status : 0)),
      [503, 503, 503],
    );
    assert.equal(refused[0]!.header('Retry-After'), '5');
    for (const server of servers) server.respond(responseTo(server.request, 486, undefined, 't'));
    clock.advance(32_000);
    assert.equal(transactions.size.servers, 0);
    transactions.receiveRequest(request('INVITE', 'z9hG4bKafter'));
    assert.equal(servers.length, MAX_SERVER_TRANSACTIONS + 1);
  });
});
