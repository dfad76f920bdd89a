/**
 * A registrar as a function of text: REGISTER in, response out, nothing remembered. The memory and
 * throughput sections put it behind each client's own transport (so every client pays for its
 * real registration: a digest challenge, then a 200 with its binding), without a network or a
 * server whose state would be counted with the phones'.
 */
import { parseMessage } from '../../src/stack/message/parser';
import { isRequest } from '../../src/stack/message/message';
import { responseTo } from '../../src/stack/transaction/requests';

export const REGISTRAR_REALM = 'bench.test';
const NONCE = 'b3nchN0nce7e1f0a9c2d';
export const GRANTED_EXPIRES = 600;

/**
 * The answer to one message from a client: 401 with an MD5 challenge to a REGISTER without
 * credentials, 200 with the client's Contact to one with credentials (not checked: every client
 * computes them, which is the cost that matters here); nothing for anything else.
 */
export function registrarReply(text: string): string | undefined {
  const request = parseMessage(text);
  if (!isRequest(request) || request.method !== 'REGISTER') return undefined;
  if (!request.hasHeader('Authorization')) {
    const challenge = responseTo(request, 401, undefined, 'reg1');
    challenge.setHeader(
      'WWW-Authenticate',
      `Digest realm="${REGISTRAR_REALM}", nonce="${NONCE}", qop="auth", algorithm=MD5`,
    );
    return challenge.toString();
  }
  const ok = responseTo(request, 200, undefined, 'reg1');
  const contact = request.header('Contact');
  if (contact)
    ok.setHeader('Contact', /;\s*expires=/i.test(contact) ? contact : `${contact};expires=${GRANTED_EXPIRES}`);
  ok.setHeader('Expires', GRANTED_EXPIRES);
  return ok.toString();
}
