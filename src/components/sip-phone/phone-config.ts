import { cryptoRandom } from '../../stack/core/random';
import { ensureInstanceId } from '../../stack/transport/outbound';
import { invalidUrlError, parseWebSocketUrl } from '../../stack/transport/websocket-url';

/**
 * Why `server` cannot be used from this page, or undefined. A ws:// server from an https page
 * would be blocked by the browser as mixed content with a bare "SecurityError": say why instead.
 */
export function serverProblem(server: string, pageProtocol: string): Error | undefined {
  const scheme = parseWebSocketUrl(server);
  if (!scheme) return invalidUrlError(server);
  if (scheme === 'ws' && pageProtocol === 'https:') {
    return new Error(
      `This page is served over https, so the browser blocks the unencrypted server ${server}: use a wss:// URL`,
    );
  }
  return undefined;
}

/** A setting as text: a removed attribute is null, and a page may set a property to anything. */
export const settingText = (value: unknown): string => String(value ?? '').trim();

/** The configuration attributes still missing, by attribute name. */
export function missingSettings(settings: { server: string; user: string; domain: string }): string[] {
  return (['server', 'user', 'domain'] as const).filter((name) => !settingText(settings[name]));
}

/**
 * The RFC 5626 instance id of this AOR, kept in localStorage so the registrar sees the same
 * instance next time. Storage may be unavailable (private mode, disabled): then a new one each time.
 */
export function instanceIdFor(aor: string): string {
  const key = `sip-elements:instance-id:${aor}`;
  let id: string | null = null;
  try {
    id = localStorage.getItem(key);
  } catch {
    // No storage: a new instance id.
  }
  id = ensureInstanceId(id, cryptoRandom);
  try {
    localStorage.setItem(key, id);
  } catch {
    // The registrar sees a new instance next time, no harm.
  }
  return id;
}
