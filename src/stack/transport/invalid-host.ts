/**
 * RFC 7118 Appendix B.1: a browser cannot learn its own address or port, so SIP WebSocket clients
 * put a random domain under the reserved `.invalid` TLD (RFC 2606 §2) in the Via sent-by and in
 * the Contact URI; responses and requests come back over the same connection anyway.
 */
import type { Random } from '../core/random';

const HOST_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** e.g. `df7jal23ls0d.invalid`. */
export function randomInvalidHost(random: Random): string {
  return `${random.token(12, HOST_ALPHABET)}.invalid`;
}
