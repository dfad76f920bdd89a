// Serves demo/ (TypeScript compiled on the fly, bare imports resolved) under a strict
// Content-Security-Policy, so the demo proves the elements need no inline script or eval.
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

/** Starts the demo web server; resolves to { url, stop() }. Port 0 picks a free port. */
export async function startDemoServer({ port = 8000, hostname = '127.0.0.1' } = {}) {
  const server = await startDevServer({
    config: {
      rootDir: root,
      port,
      hostname,
      nodeResolve,
      middleware: [
        (ctx, next) => {
          if (ctx.path === '/' || ctx.path === '') ctx.redirect('/demo/');
          ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
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
  const address = server.server.address();
  return {
    url: `http://${hostname}:${address.port}/demo/`,
    stop: () => server.stop(),
  };
}
