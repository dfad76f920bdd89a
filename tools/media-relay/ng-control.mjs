// rtpengine's ng control protocol, the client side: "<cookie> <bencoded dictionary>" over UDP,
// answered with the same cookie. Used to wait for rtpengine to be ready (ping) and to read what
// each leg of a call sent through it (query).
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

/** Sends one ng command; resolves to the decoded reply, or undefined after `timeoutMs`. */
export function ngCommand(host, port, message, timeoutMs = 1000) {
  const cookie = randomBytes(6).toString('hex');
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const done = (result) => {
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('message', (reply) => {
      const text = reply.toString('latin1');
      if (!text.startsWith(`${cookie} `)) return;
      done(bdecode(Buffer.from(text.slice(cookie.length + 1), 'latin1')));
    });
    socket.on('error', () => done(undefined));
    socket.send(Buffer.concat([Buffer.from(`${cookie} `), bencode(message)]), port, host);
  });
}

/**
 * RTP packets rtpengine received on each leg of a call: `secure` is the browser's leg
 * (UDP/TLS/RTP/SAVPF), `plain` the RTP/AVP one. Undefined when rtpengine does not know the call.
 */
export async function packetsPerLeg(host, port, callId) {
  const reply = await ngCommand(host, port, { command: 'query', 'call-id': callId });
  if (!reply || reply.result !== 'ok') return undefined;
  const legs = { secure: 0, plain: 0 };
  for (const tag of Object.values(reply.tags ?? {})) {
    for (const media of tag.medias ?? []) {
      const leg = String(media.protocol ?? '').includes('SAVP') ? 'secure' : 'plain';
      for (const stream of media.streams ?? []) {
        // The RTP stream (with RTCP muxed on it on the browser's leg); not a separate RTCP one.
        if (stream.flags?.includes('RTP')) legs[leg] += stream.stats?.packets ?? 0;
      }
    }
  }
  return legs;
}

function bencode(value) {
  if (typeof value === 'number') return Buffer.from(`i${Math.trunc(value)}e`);
  if (typeof value === 'string')
    return Buffer.concat([Buffer.from(`${Buffer.byteLength(value)}:`), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([Buffer.from('l'), ...value.map(bencode), Buffer.from('e')]);
  const entries = Object.keys(value)
    .sort()
    .flatMap((key) => [bencode(key), bencode(value[key])]);
  return Buffer.concat([Buffer.from('d'), ...entries, Buffer.from('e')]);
}

/** Decodes bencode; strings come back as text (rtpengine's are ASCII). */
function bdecode(buffer) {
  let offset = 0;
  const next = () => {
    const char = String.fromCharCode(buffer[offset]);
    if (char === 'i') {
      const end = buffer.indexOf(0x65, offset);
      const number = Number(buffer.toString('latin1', offset + 1, end));
      offset = end + 1;
      return number;
    }
    if (char === 'l' || char === 'd') {
      offset += 1;
      const items = [];
      while (buffer[offset] !== 0x65) items.push(next());
      offset += 1;
      if (char === 'l') return items;
      const dict = {};
      for (let i = 0; i < items.length; i += 2) dict[items[i]] = items[i + 1];
      return dict;
    }
    const colon = buffer.indexOf(0x3a, offset);
    const length = Number(buffer.toString('latin1', offset, colon));
    const text = buffer.toString('utf8', colon + 1, colon + 1 + length);
    offset = colon + 1 + length;
    return text;
  };
  return next();
}
