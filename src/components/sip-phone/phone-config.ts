import { invalidUrlError, parseWebSocketUrl } from '../../stack/transport/websocket-url';

/**
 * Why `server` cannot be used from this page, or undefined. A ws:// server from an https page
 * would be blocked by the browser as mixed content with a bare "SecurityError": say why instead.
 */
export function serverProblem(server: string, pageProtocol: string): Error | undefined {
  const scheme = parseWebSocketUrl(server);
  if (!scheme) return invalidUrlError(server);
  if (scheme === 'ws' && pageProtocol === 'https:') {
    return new Error(`This page is served over https, so the browser blocks the unencrypted server ${server}: use a wss:// URL`);
  }
  return undefined;
}

/** The configuration attributes still missing, by attribute name. */
export function missingSettings(settings: { server: string; user: string; domain: string }): string[] {
  return (['server', 'user', 'domain'] as const).filter((name) => settings[name].trim() === '');
}

const INSTANCE_KEY = 'sip-elements:instance-id:';

/** The RFC 5626 instance id stored for this AOR (localStorage may be unavailable: then none). */
export function storedInstanceId(aor: string): string | undefined {
  try {
    return localStorage.getItem(INSTANCE_KEY + aor) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeInstanceId(aor: string, id: string): void {
  try {
    localStorage.setItem(INSTANCE_KEY + aor, id);
  } catch {
    // Private mode or storage disabled: the registrar sees a new instance next time, no harm.
  }
}
