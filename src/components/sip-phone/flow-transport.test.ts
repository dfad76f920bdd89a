import { expect } from '@open-wc/testing';
import { FlowSet } from '../../stack/transport/flow-set';
import { WebSocketTransport } from '../../stack/transport/websocket-transport';
import { flowTransport, serverUrls } from './flow-transport';

describe("the phone's servers and flows (RFC 5626 §4.2)", () => {
  it('takes the first `flows` of the space-separated server URLs', () => {
    expect(serverUrls('wss://a.example wss://b.example wss://c.example', 2)).to.deep.equal([
      'wss://a.example',
      'wss://b.example',
    ]);
    expect(serverUrls('  wss://a.example\n\twss://b.example ', 3)).to.deep.equal([
      'wss://a.example',
      'wss://b.example',
    ]);
    expect(serverUrls('wss://a.example wss://b.example', 1)).to.deep.equal(['wss://a.example']);
    expect(serverUrls('wss://a.example', 2)).to.deep.equal(['wss://a.example']);
  });

  it('keeps two flows when `flows` is not a positive whole number', () => {
    for (const flows of [0, -1, 1.5, Number.NaN]) {
      expect(serverUrls('wss://a.example wss://b.example wss://c.example', flows), String(flows)).to.have.length(2);
    }
  });

  it('makes one WebSocket transport for one URL, as before, and a FlowSet for several', () => {
    expect(flowTransport(['wss://a.example'])).to.be.instanceOf(WebSocketTransport);
    const flows = flowTransport(['wss://a.example', 'wss://b.example']);
    expect(flows).to.be.instanceOf(FlowSet);
    expect(flows.flowCount).to.equal(2);
  });
});
