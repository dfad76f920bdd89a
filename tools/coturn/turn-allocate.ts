/**
 * A TURN Allocate over UDP (RFC 8656 §7.1) with the long-term credential mechanism (RFC 8489
 * §9.2): the request, the 401 with REALM and NONCE, the request again with USERNAME, REALM, NONCE
 * and MESSAGE-INTEGRITY. Just enough of STUN for the launcher's test to prove the static user.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

const MAGIC_COOKIE = 0x2112a442;
const ALLOCATE_REQUEST = 0x0003;
const ATTRIBUTE = {
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_TRANSPORT: 0x0019,
};

export interface AllocateOutcome {
  /** The final response's message type: 0x0103 success, 0x0113 error. */
  type: number;
  /** The error code of an error response (401, 437...). */
  errorCode?: number;
  /** The relayed transport address of a success, "ip:port". */
  relayed?: string;
}

function attribute(type: number, value: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(value.length, 2);
  return Buffer.concat([header, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

function message(type: number, transaction: Buffer, attributes: Buffer[], integrityKey?: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(type, 0);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  let body = Buffer.concat(attributes);
  if (integrityKey) {
    // §14.5: the HMAC covers the message with the length already counting MESSAGE-INTEGRITY.
    header.writeUInt16BE(body.length + 24, 2);
    const hmac = createHmac('sha1', integrityKey)
      .update(Buffer.concat([header, transaction, body]))
      .digest();
    body = Buffer.concat([body, attribute(ATTRIBUTE.MESSAGE_INTEGRITY, hmac)]);
  }
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, transaction, body]);
}

function parse(data: Buffer): { type: number; attributes: Map<number, Buffer> } {
  const attributes = new Map<number, Buffer>();
  for (let at = 20; at + 4 <= data.length;) {
    const type = data.readUInt16BE(at);
    const length = data.readUInt16BE(at + 2);
    attributes.set(type, data.subarray(at + 4, at + 4 + length));
    at += 4 + length + ((4 - (length % 4)) % 4);
  }
  return { type: data.readUInt16BE(0), attributes };
}

function outcome({ type, attributes }: ReturnType<typeof parse>): AllocateOutcome {
  const error = attributes.get(ATTRIBUTE.ERROR_CODE);
  const xor = attributes.get(ATTRIBUTE.XOR_RELAYED_ADDRESS);
  if (error) return { type, errorCode: error[2]! * 100 + error[3]! };
  if (!xor) return { type };
  // IPv4 only (§14.2): port and address XORed with the magic cookie.
  const port = xor.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16);
  const address = (xor.readUInt32BE(4) ^ MAGIC_COOKIE) >>> 0;
  return { type, relayed: `${[24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join('.')}:${port}` };
}

/** Allocates a UDP relay at 127.0.0.1:port with `username`/`password`; resolves with the final outcome. */
export async function turnAllocate(port: number, username: string, password: string): Promise<AllocateOutcome> {
  const socket = createSocket('udp4');
  const exchange = (request: Buffer) =>
    new Promise<ReturnType<typeof parse>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to the Allocate within 2 s')), 2000);
      socket.once('message', (data) => {
        clearTimeout(timer);
        resolve(parse(data));
      });
      socket.send(request, port, '127.0.0.1');
    });
  const transport = attribute(ATTRIBUTE.REQUESTED_TRANSPORT, Buffer.from([17, 0, 0, 0])); // UDP
  try {
    const challenge = await exchange(message(ALLOCATE_REQUEST, randomBytes(12), [transport]));
    const realm = challenge.attributes.get(ATTRIBUTE.REALM);
    const nonce = challenge.attributes.get(ATTRIBUTE.NONCE);
    if (!realm || !nonce) return outcome(challenge);
    const key = createHash('md5').update(`${username}:${realm.toString()}:${password}`).digest();
    const attributes = [
      attribute(ATTRIBUTE.USERNAME, Buffer.from(username)),
      attribute(ATTRIBUTE.REALM, realm),
      attribute(ATTRIBUTE.NONCE, nonce),
      transport,
    ];
    return outcome(await exchange(message(ALLOCATE_REQUEST, randomBytes(12), attributes, key)));
  } finally {
    socket.close();
  }
}
