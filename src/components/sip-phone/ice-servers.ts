/**
 * Parses the `ice-servers` attribute: a JSON array of RTCIceServer objects. A wrong value gives a
 * readable error and no servers, never an exception out of the element.
 */
export function parseIceServers(json: string): { servers: RTCIceServer[]; error?: Error } {
  if (json.trim() === '') return { servers: [] };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { servers: [], error: new Error('ice-servers is not valid JSON: expected an array like [{"urls":"stun:stun.example.com"}]') };
  }
  if (!Array.isArray(value)) return { servers: [], error: new Error('ice-servers must be a JSON array of RTCIceServer objects') };
  for (const [index, server] of value.entries()) {
    const urls = (server as { urls?: unknown })?.urls;
    const valid = typeof urls === 'string' || (Array.isArray(urls) && urls.length > 0 && urls.every((u) => typeof u === 'string'));
    if (!valid) return { servers: [], error: new Error(`ice-servers[${index}] needs "urls": a string or an array of strings`) };
  }
  return { servers: value as RTCIceServer[] };
}
