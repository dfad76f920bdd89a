/**
 * Parses the `ice-servers` attribute: a JSON array of RTCIceServer objects. A wrong value gives a
 * readable error and no servers, never an exception out of the element.
 */
export function parseIceServers(json: string): { servers: RTCIceServer[]; error?: Error } {
  const fail = (problem: string) => ({ servers: [], error: new Error(`ice-servers${problem}`) });
  if (!json.trim()) return { servers: [] };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return fail(' is not valid JSON: expected an array like [{"urls":"stun:stun.example.com"}]');
  }
  if (!Array.isArray(value)) return fail(' must be a JSON array of RTCIceServer objects');
  // `urls`: a string or a non-empty array of strings.
  const bad = value.findIndex((server) => {
    const urls = [(server as { urls?: unknown })?.urls].flat();
    return !urls.length || urls.some((url) => typeof url !== 'string');
  });
  return bad < 0 ? { servers: value } : fail(`[${bad}] needs "urls": a string or an array of strings`);
}
