/**
 * Parses the `ice-transport-policy` attribute: `all` (the default) or `relay`, the two values of
 * RTCConfiguration.iceTransportPolicy (W3C WebRTC §4.2.5). `relay` keeps every address of the
 * machine out of the SDP and sends all media through the TURN server, so it needs one in
 * `ice-servers` (a turn: or turns: URL, RFC 7065): without it no candidate exists and no call can
 * connect, which is said at once rather than by a silent call later. A wrong value gives a
 * readable error and the browser's default, never an exception out of the element.
 */
import { hasTurnServer } from '../../media/ice-gathering-policy';

const POLICIES: readonly RTCIceTransportPolicy[] = ['all', 'relay'];

export function parseIceTransportPolicy(
  text: string,
  servers: readonly RTCIceServer[],
): { policy: RTCIceTransportPolicy; error?: Error } {
  // An enumerated attribute: ASCII case-insensitive, as HTML's own are.
  const value = text.trim().toLowerCase() || 'all';
  const policy = POLICIES.find((name) => name === value);
  if (!policy)
    return {
      policy: 'all',
      error: new Error(`ice-transport-policy must be "all" or "relay", not ${JSON.stringify(text.trim())}`),
    };
  if (policy === 'relay' && !hasTurnServer(servers)) {
    return {
      policy,
      error: new Error(
        'ice-transport-policy "relay" needs a TURN server (a turn: or turns: URL) in ice-servers: no call can connect without one',
      ),
    };
  }
  return { policy };
}
