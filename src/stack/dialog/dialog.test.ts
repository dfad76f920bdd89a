import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../message/parser';
import type { SipRequest, SipResponse } from '../message/message';
import { Dialog } from './dialog';

const invite = parseMessage(
  'INVITE sip:bob@b.example SIP/2.0\r\n' +
    'Via: SIP/2.0/WS a1.invalid;branch=z9hG4bK1\r\n' +
    'From: "Alice" <sip:alice@a.example>;tag=aaa\r\n' +
    'To: <sip:bob@b.example>\r\n' +
    'Call-ID: c1\r\n' +
    'CSeq: 10 INVITE\r\n' +
    'Contact: <sip:alice@a1.invalid;transport=ws;ob>\r\n' +
    'Record-Route: <sip:p2.example;lr>, <sip:p1.example;lr>\r\n' +
    'Content-Length: 0\r\n\r\n',
) as SipRequest;

function ok(
  status: number,
  recordRoute = '<sip:p2.example;lr>, <sip:p1.example;lr>',
  contact = '<sip:bob@b1.invalid;transport=ws>',
) {
  return parseMessage(
    `SIP/2.0 ${status} OK\r\n` +
      'Via: SIP/2.0/WS a1.invalid;branch=z9hG4bK1\r\n' +
      'From: "Alice" <sip:alice@a.example>;tag=aaa\r\n' +
      'To: <sip:bob@b.example>;tag=bbb\r\n' +
      'Call-ID: c1\r\n' +
      'CSeq: 10 INVITE\r\n' +
      `Contact: ${contact}\r\n` +
      (recordRoute ? `Record-Route: ${recordRoute}\r\n` : '') +
      'Content-Length: 0\r\n\r\n',
  ) as SipResponse;
}

describe('Dialog (RFC 3261 §12)', () => {
  it('as UAC: reverses Record-Route into the route set and targets the Contact of the response (§12.1.2)', () => {
    const dialog = Dialog.asUac(invite, ok(200));
    assert.equal(dialog.early, false);
    const bye = dialog.createRequest('BYE');
    assert.equal(bye.uri.toString(), 'sip:bob@b1.invalid;transport=ws');
    assert.deepEqual(bye.route.map(String), ['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
    assert.equal(bye.from.tag, 'aaa');
    assert.equal(bye.from.displayName, 'Alice');
    assert.equal(bye.to.tag, 'bbb');
    assert.deepEqual([bye.cseq.seq, bye.cseq.method], [11, 'BYE']);
    assert.equal(dialog.createRequest('INFO').cseq.seq, 12);
    assert.deepEqual([dialog.createAck(10).cseq.seq, dialog.createAck(10).cseq.method], [10, 'ACK']);
  });

  it('as UAS: keeps Record-Route order, targets the request Contact, and swaps the roles of From and To (§12.1.1)', () => {
    const dialog = Dialog.asUas(invite, 'bbb', false, 500);
    const bye = dialog.createRequest('BYE');
    assert.equal(bye.uri.toString(), 'sip:alice@a1.invalid;transport=ws;ob');
    assert.deepEqual(bye.route.map(String), ['<sip:p2.example;lr>', '<sip:p1.example;lr>']);
    assert.equal(bye.from.uri.toString(), 'sip:bob@b.example');
    assert.equal(bye.from.tag, 'bbb');
    assert.equal(bye.to.tag, 'aaa');
    assert.equal(bye.cseq.seq, 500);
  });

  it('rejects a request with a lower CSeq than the last one as out of order (§12.2.2)', () => {
    const dialog = Dialog.asUas(invite, 'bbb', false, 1);
    const later = invite.clone();
    later.setHeader('CSeq', '11 INFO');
    assert.equal(dialog.receiveRequest(later), 'accept');
    const earlier = invite.clone();
    earlier.setHeader('CSeq', '9 INFO');
    assert.equal(dialog.receiveRequest(earlier), 'out-of-order');
  });

  it('uses a strict router as Request-URI and puts the remote target last in Route (§12.2.1.1)', () => {
    const dialog = Dialog.asUac(invite, ok(200, '<sip:strict.example;maddr=x>'));
    const bye = dialog.createRequest('BYE');
    assert.equal(bye.uri.toString(), 'sip:strict.example;maddr=x');
    assert.deepEqual(bye.route.map(String), ['<sip:bob@b1.invalid;transport=ws>']);
  });

  it('an early dialog takes the route set and target of the confirming 2xx (§13.2.2.4), and a re-INVITE refreshes the target', () => {
    const dialog = Dialog.asUac(invite, ok(183));
    assert.equal(dialog.early, true);
    dialog.confirm(ok(200, '<sip:p3.example;lr>', '<sip:bob@b2.invalid;transport=ws>'));
    assert.equal(dialog.early, false);
    const bye = dialog.createRequest('BYE');
    assert.deepEqual(bye.route.map(String), ['<sip:p3.example;lr>']);
    assert.equal(bye.uri.toString(), 'sip:bob@b2.invalid;transport=ws');
    const reinvite = invite.clone();
    reinvite.setHeader('Contact', '<sip:bob@b9.invalid>');
    dialog.refreshTarget(reinvite);
    assert.equal(dialog.createRequest('BYE').uri.toString(), 'sip:bob@b9.invalid');
  });
});
