// Browser test support for <sip-presence>: a stand-in phone (a real stack UserAgent over an
// in-memory transport; the lamp needs only the phone's userAgent, connectionState and call()) and,
// at the other end, a scripted notifier that accepts SUBSCRIBEs and sends NOTIFYs (RFC 6665 §4.2).
import { parseMessage } from '../../stack/message/parser';
import { isRequest, type SipRequest } from '../../stack/message/message';
import { responseTo } from '../../stack/transaction/requests';
import { createMemoryTransportPair } from '../../stack/transport/memory-transport.fake';
import { UserAgent } from '../../stack/ua/user-agent';

export interface StandInPhone extends HTMLElement {
  userAgent: UserAgent | undefined;
  connectionState: string;
  calls: string[];
  call(target: string): Promise<string>;
}

export interface Notifier {
  readonly subscribes: SipRequest[];
  /** Sends a NOTIFY in the dialog of `subscribe` with `body` of `type`. */
  notify(subscribe: SipRequest, body: string, type: string, state?: string): void;
  /** Resolves once the notifier has seen `count` SUBSCRIBEs. */
  subscribed(count: number): Promise<SipRequest>;
}

/** A user agent for alice whose server end answers every SUBSCRIBE with 200 and any other request with 200. */
export async function notifiedAgent(): Promise<{ ua: UserAgent; notifier: Notifier }> {
  const pair = createMemoryTransportPair();
  const ua = new UserAgent({ aor: 'sip:alice@example.test', transport: pair.a });
  const subscribes: SipRequest[] = [];
  const waiting: Array<() => void> = [];
  const seqs = new Map<string, number>();
  pair.b.onMessage((text) => {
    const message = parseMessage(text);
    if (!isRequest(message) || message.method === 'ACK') return;
    const response = responseTo(message, 200, undefined, 'srv');
    if (message.method === 'SUBSCRIBE') {
      subscribes.push(message);
      response.setHeader('Expires', message.header('Expires') ?? '600');
      response.setHeader('Contact', '<sip:notifier@192.0.2.9;transport=ws>');
      for (const wake of waiting.splice(0)) wake();
    }
    pair.b.send(response.toString());
  });
  await ua.start();
  const notifier: Notifier = {
    subscribes,
    notify(subscribe, body, type, state = 'active;expires=600') {
      const seq = (seqs.get(subscribe.callId) ?? 0) + 1;
      seqs.set(subscribe.callId, seq);
      pair.b.send(
        `NOTIFY sip:alice@192.0.2.1;transport=ws SIP/2.0\r\n` +
          `Via: SIP/2.0/WSS notifier.example;branch=z9hG4bKn${seq}${subscribe.callId.slice(0, 8)}\r\n` +
          'Max-Forwards: 69\r\n' +
          `From: <${subscribe.uri}>;tag=srv\r\n` +
          `To: <sip:alice@example.test>;tag=${subscribe.from.tag}\r\n` +
          `Call-ID: ${subscribe.callId}\r\n` +
          `CSeq: ${seq} NOTIFY\r\n` +
          'Contact: <sip:notifier@192.0.2.9;transport=ws>\r\n' +
          `Event: ${subscribe.header('Event')}\r\n` +
          `Subscription-State: ${state}\r\n` +
          `Content-Type: ${type}\r\n` +
          `Content-Length: ${new TextEncoder().encode(body).length}\r\n\r\n${body}`,
      );
    },
    async subscribed(count) {
      while (subscribes.length < count) await new Promise<void>((resolve) => waiting.push(resolve));
      return subscribes[count - 1]!;
    },
  };
  return { ua, notifier };
}

/** A stand-in `<sip-phone>` with `id` holding `ua`; call() records the target. */
export function standInPhone(id: string, ua: UserAgent): StandInPhone {
  const phone = Object.assign(document.createElement('div'), {
    userAgent: ua as UserAgent | undefined,
    connectionState: 'connected',
    calls: [] as string[],
    async call(target: string) {
      phone.calls.push(target);
      return target;
    },
  });
  phone.id = id;
  return phone;
}

export const dialogInfo = (version: number, state?: string, direction = 'recipient') =>
  `<?xml version="1.0"?><dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="full" entity="sip:bob@example.test">` +
  (state ? `<dialog id="d1" direction="${direction}"><state>${state}</state></dialog>` : '') +
  '</dialog-info>';

export const pidf = (basic: string, activity?: string, note?: string) =>
  '<?xml version="1.0"?><presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:bob@example.test">' +
  `<tuple id="t1"><status><basic>${basic}</basic></status>${note ? `<note>${note}</note>` : ''}</tuple>` +
  (activity ? `<person id="p1"><rpid:activities><rpid:${activity}/></rpid:activities></person>` : '') +
  '</presence>';
