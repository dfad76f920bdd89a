/** Bytes as lower-case hex, two digits each (digest values, cnonces, UUIDs). */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
