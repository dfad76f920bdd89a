// Serves demo/ (TypeScript compiled on the fly, bare imports resolved) under a strict
// Content-Security-Policy, so the demo proves the elements need no inline script or eval.
//
// Issue 15: it listened on every interface (@web/dev-server leaves the host out for 127.0.0.1 and
// localhost) and served the whole repository, users file and .git included, to any Host. Now it
// listens on the given host only, serves only what the demo loads (demo/, src/, node_modules/; and the e2e harness
// page),
// never a dotfile, and refuses a Host header that is not this server's own name or a loopback
// name, so that a page elsewhere cannot reach it through DNS rebinding.
import { createServer } from 'node:http';
import { posix } from 'node:path';
import { startDevServer } from '@web/dev-server';
import { devPlugins, nodeResolve } from '../dev-plugins.mjs';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const root = new URL('../..', import.meta.url).pathname;

/**
 * What the demo pages load: the pages, the sources they import, and the packages those import;
 * and the end-to-end tests' stack harness page (test/e2e/harness), which holds no secret.
 */
const SERVED = ['/demo/', '/src/', '/node_modules/', '/test/e2e/harness/'];

/**
 * The repository path a request asks for, normalized, or undefined when it is not one the demo
 * needs. Checked after decoding and normalizing, so `/demo/../users.json` or `%2e%2e` cannot step out.
 */
function servedPath(path) {
  let decoded;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const normalized = posix.normalize(decoded);
  if (normalized.split('/').some((segment) => segment.startsWith('.'))) return undefined;
  return SERVED.some((prefix) => normalized.startsWith(prefix)) ? normalized : undefined;
}

/**
 * The host names a request may name: the configured one, the loopback names (any port of ours),
 * and the names the caller adds (a name that resolves to us, such as a test's insecure host).
 */
function allowedHosts(hostname, extra) {
  return new Set([hostname, 'localhost', '127.0.0.1', '[::1]', ...extra].map((name) => name.toLowerCase()));
}

/** The name part of a Host header (`name:port`, `[v6]:port`), lower case. */
function hostName(header) {
  const value = (header ?? '').trim().toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/.exec(value);
  return match ? match[1] : undefined;
}

/** Listens on exactly `hostname`; a busy port rejects with a one-line reason, not an unhandled 'error' event. */
function listen(server, port, hostname) {
  return new Promise((resolve, reject) => {
    const failed = (error) => {
      const busy = error.code === 'EADDRINUSE' ? `port ${port} on ${hostname} is in use` : error.message;
      reject(Object.assign(new Error(`demo web server: ${busy}`), { code: error.code }));
    };
    server.once('error', failed);
    server.listen({ port, host: hostname }, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/**
 * Starts the demo web server; resolves to { url, stop() }. Port 0 picks a free port; `hostNames`
 * are further Host names it answers to (it listens on `hostname` alone whatever they are).
 */
export async function startDemoServer({ port = 8000, hostname = '127.0.0.1', hostNames = [] } = {}) {
  const hosts = allowedHosts(hostname, hostNames);
  const http = createServer();
  const server = await startDevServer({
    config: {
      rootDir: root,
      port,
      hostname,
      // Our own server, so that it listens on `hostname` and nowhere else.
      middlewareMode: { server: http },
      nodeResolve,
      middleware: [
        (ctx, next) => {
          ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
          if (!hosts.has(hostName(ctx.get('host')))) {
            ctx.status = 421;
            ctx.body = 'Misdirected Request: unknown Host';
            return undefined;
          }
          if (ctx.path === '/' || ctx.path === '' || ctx.path === '/demo') return ctx.redirect('/demo/');
          if (servedPath(ctx.path) === undefined) {
            ctx.status = 404;
            ctx.body = 'Not Found';
            return undefined;
          }
          return next();
        },
      ],
      plugins: devPlugins(),
    },
    readCliArgs: false,
    readFileConfig: false,
    logStartMessage: false,
    autoExitProcess: false,
  });
  http.on('request', server.koaApp.callback());
  try {
    await listen(http, port, hostname);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const address = http.address();
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${address.port}/demo/`,
    stop: async () => {
      await server.stop();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(() => resolve()));
    },
  };
}
