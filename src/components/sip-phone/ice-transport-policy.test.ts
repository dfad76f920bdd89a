// The ice-transport-policy attribute of <sip-phone>: validated into a readable sip-error, and handed
// to the RTCPeerConnection of each call. (test/browser/calls-turn.test.ts proves a relayed call.)
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { parseIceTransportPolicy } from './ice-transport-policy';
import './sip-phone';
import type { SipPhone } from './sip-phone';
import { itNeedingWebRTC } from '../../../test/browser/webrtc-capability';

// Nothing answers there; Firefox refuses port 9 (discard) in a TURN URL, so the standard port.
const TURN = JSON.stringify([{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'p' }]);

describe('<sip-phone ice-transport-policy>', () => {
  it('accepts all and relay (any case), and refuses anything else with a readable reason', () => {
    const turn = JSON.parse(TURN) as RTCIceServer[];
    expect(parseIceTransportPolicy('', [])).to.deep.equal({ policy: 'all' });
    expect(parseIceTransportPolicy(' Relay ', turn)).to.deep.equal({ policy: 'relay' });
    const bad = parseIceTransportPolicy('relay-only', turn);
    expect(bad.policy).to.equal('all');
    expect(bad.error?.message).to.equal('ice-transport-policy must be "all" or "relay", not "relay-only"');
    const stunOnly = parseIceTransportPolicy('relay', [{ urls: 'stun:127.0.0.1:9' }]);
    expect(stunOnly.error?.message).to.match(/^ice-transport-policy "relay" needs a TURN server/);
  });

  it('reports a wrong value as sip-error from the element, never an exception', async () => {
    const el = await fixture<SipPhone>(html`<sip-phone user="alice" domain="example.com"></sip-phone>`);
    const error = oneEvent(el, 'sip-error');
    el.setAttribute('ice-transport-policy', 'nohost');
    expect((await error).detail.error.message).to.equal('ice-transport-policy must be "all" or "relay", not "nohost"');
    const noTurn = oneEvent(el, 'sip-error');
    el.setAttribute('ice-transport-policy', 'relay');
    expect((await noTurn).detail.error.message).to.match(
      /needs a TURN server \(a turn: or turns: URL\) in ice-servers/,
    );
  });

  itNeedingWebRTC("passes relay to each call's RTCPeerConnection", async () => {
    const configurations: RTCConfiguration[] = [];
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(configuration?: RTCConfiguration) {
        configurations.push(configuration ?? {});
        super(configuration);
      }
    } as typeof RTCPeerConnection;
    try {
      // No server answers on port 9: the call's media is prepared all the same, before its INVITE.
      const el = await fixture<SipPhone>(
        html`<sip-phone server="ws://127.0.0.1:9" user="alice" domain="example.com" ice-servers=${TURN} ice-transport-policy="relay"></sip-phone>`,
      );
      el.addEventListener('sip-error', () => undefined);
      await el.call('bob');
      await waitUntil(() => configurations.length > 0, 'the call makes its RTCPeerConnection', { timeout: 10000 });
      expect(configurations[0]!.iceTransportPolicy).to.equal('relay');
      expect(configurations[0]!.iceServers).to.deep.equal(JSON.parse(TURN));
      el.remove();
    } finally {
      window.RTCPeerConnection = Native;
    }
  });
});
