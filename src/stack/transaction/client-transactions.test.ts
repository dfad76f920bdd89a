import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../message/parser';
import type { SipRequest } from '../message/message';
import { layer, request, response, RecordingUser } from './transaction.fixtures';

describe('INVITE client transaction (RFC 3261 §17.1.1)', () => {
  it('retransmits with Timer A doubling from T1 and times out with Timer B as a 408 (unreliable)', () => {
    const { clock, transport, transactions } = layer(false);
    const user = new RecordingUser();
    const tx = transactions.sendRequest(request('INVITE'), user);
    const sentAt: number[] = [0];
    while (tx.state === 'calling') {
      const before = transport.sent.length;
      clock.advance(clock.nextTimerAt()! - clock.now());
      if (transport.sent.length > before) sentAt.push(clock.now());
    }
    assert.deepEqual(sentAt, [0, 500, 1500, 3500, 7500, 15500, 31500]);
    assert.equal(clock.now(), 32000);
    assert.equal(tx.state, 'terminated');
    assert.deepEqual(
      user.failures.map((f) => [f.name, f.status]),
      [['TimeoutError', 408]],
    );
    assert.deepEqual(transactions.size, { clients: 0, servers: 0 });
  });

  it('never retransmits over a reliable transport but still times out after 64*T1', () => {
    const { clock, transport, transactions } = layer(true);
    const user = new RecordingUser();
    transactions.sendRequest(request('INVITE'), user);
    clock.advance(31999);
    assert.equal(transport.sent.length, 1);
    assert.equal(user.failures.length, 0);
    clock.advance(1);
    assert.equal(user.failures[0]?.status, 408);
  });

  it('passes provisional responses up and stops Timer A; a 2xx goes to Accepted and its retransmissions pass up', () => {
    const { clock, transport, transactions } = layer(false);
    const user = new RecordingUser();
    const invite = request('INVITE');
    const tx = transactions.sendRequest(invite, user);
    transactions.receiveResponse(response(180, invite));
    assert.equal(tx.state, 'proceeding');
    clock.advance(10000);
    assert.equal(transport.sent.length, 1, 'no retransmission after a provisional response');
    transactions.receiveResponse(response(200, invite));
    transactions.receiveResponse(response(200, invite));
    assert.equal(tx.state, 'accepted');
    assert.deepEqual(
      user.responses.map((r) => r.status),
      [180, 200, 200],
    );
    assert.equal(transport.sent.length, 1, 'the transaction never ACKs a 2xx (§13.2.2.4)');
    clock.advance(32000);
    assert.equal(tx.state, 'terminated');
  });

  it('ACKs a non-2xx final itself (§17.1.1.3), absorbs its retransmissions, and ends after Timer D', () => {
    const { clock, transport, transactions } = layer(false);
    const user = new RecordingUser();
    const invite = request('INVITE');
    const tx = transactions.sendRequest(invite, user);
    transactions.receiveResponse(response(486, invite, 'busy7'));
    assert.equal(tx.state, 'completed');
    const ack = parseMessage(transport.sent[1]) as SipRequest;
    assert.equal(ack.method, 'ACK');
    assert.equal(ack.uri.toString(), 'sip:bob@b.example');
    assert.equal(ack.to.tag, 'busy7');
    assert.equal(ack.from.tag, 'from1');
    assert.equal(ack.callId, invite.callId);
    assert.deepEqual([ack.cseq.seq, ack.cseq.method], [7, 'ACK']);
    assert.equal(ack.via.length, 1);
    assert.equal(ack.branch, invite.branch);
    assert.equal(ack.route[0]?.uri.toString(), 'sip:proxy.example;lr');
    transactions.receiveResponse(response(486, invite, 'busy7'));
    assert.equal(transport.sent.length, 3, 'the retransmitted 486 is ACKed again');
    assert.deepEqual(
      user.responses.map((r) => r.status),
      [486],
      'and not passed up',
    );
    clock.advance(31999);
    assert.equal(tx.state, 'completed');
    clock.advance(1);
    assert.equal(tx.state, 'terminated');
  });

  it('Timer D is zero over a reliable transport', () => {
    const { clock, transactions } = layer(true);
    const invite = request('INVITE');
    const tx = transactions.sendRequest(invite, new RecordingUser());
    transactions.receiveResponse(response(603, invite));
    assert.equal(tx.state, 'completed');
    clock.advance(0);
    assert.equal(tx.state, 'terminated');
  });

  it('reports a transport failure as a 503 and ends at once', () => {
    const { transport, transactions } = layer(true);
    const user = new RecordingUser();
    transport.failNext = true;
    const tx = transactions.sendRequest(request('INVITE'), user);
    assert.equal(tx.state, 'terminated');
    assert.deepEqual(
      user.failures.map((f) => [f.name, f.status]),
      [['TransportError', 503]],
    );
  });
});

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  it('retransmits with Timer E doubling up to T2 and times out with Timer F', () => {
    const { clock, transport, transactions } = layer(false);
    const user = new RecordingUser();
    transactions.sendRequest(request('MESSAGE'), user);
    const sentAt: number[] = [0];
    while (user.failures.length === 0) {
      const before = transport.sent.length;
      clock.advance(clock.nextTimerAt()! - clock.now());
      if (transport.sent.length > before) sentAt.push(clock.now());
    }
    assert.deepEqual(sentAt, [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    assert.equal(clock.now(), 32000);
    assert.deepEqual(
      user.failures.map((f) => [f.name, f.status]),
      [['TimeoutError', 408]],
    );
  });

  it('after a provisional response retransmits every T2 and keeps Timer F running', () => {
    const { clock, transport, transactions } = layer(false);
    const user = new RecordingUser();
    const message = request('MESSAGE');
    const tx = transactions.sendRequest(message, user);
    clock.advance(600); // one retransmission at 500
    transactions.receiveResponse(response(100, message));
    assert.equal(tx.state, 'proceeding');
    const before = transport.sent.length;
    clock.advance(8000);
    assert.equal(transport.sent.length - before, 2, 'at T2 intervals in Proceeding');
    clock.advance(32000 - clock.now());
    assert.equal(tx.state, 'terminated');
    assert.equal(user.failures[0]?.status, 408, 'Timer F was not restarted by the provisional response');
  });

  it('passes the final response up once, absorbs retransmissions for Timer K, then terminates', () => {
    const { clock, transactions } = layer(false);
    const user = new RecordingUser();
    const message = request('MESSAGE');
    const tx = transactions.sendRequest(message, user);
    transactions.receiveResponse(response(202, message));
    transactions.receiveResponse(response(202, message));
    assert.deepEqual(
      user.responses.map((r) => r.status),
      [202],
    );
    assert.equal(tx.state, 'completed');
    clock.advance(4999);
    assert.equal(tx.state, 'completed');
    clock.advance(1);
    assert.equal(tx.state, 'terminated');
  });

  it('fails pending transactions as 503 when the connection drops', () => {
    const { transactions } = layer(true);
    const user = new RecordingUser();
    transactions.sendRequest(request('MESSAGE'), user);
    transactions.failPendingClients('the WebSocket closed');
    assert.deepEqual(
      user.failures.map((f) => [f.status, f.message]),
      [[503, 'the WebSocket closed']],
    );
    assert.deepEqual(transactions.size, { clients: 0, servers: 0 });
  });
});
