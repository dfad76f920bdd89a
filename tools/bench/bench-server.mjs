// The web server of the browser benchmarks: the repository root with TypeScript compiled on the
// fly (the demo server's plugins) plus JsSIP and SIP.js bundled for the browser at
// PEER_CLIENTS' paths, which only the test runner otherwise serves. Loopback only.
import { startDevServer } from '@web/dev-server';
import { devPlugins, nodeResolve, peerClientPlugins } from '../dev-plugins.mjs';

const root = new URL('../..', import.meta.url).pathname;

/** Resolves to { origin, stop() }; port 0 picks a free port. */
export async function startBenchServer({ port = 0, hostname = '127.0.0.1' } = {}) {
  const server = await startDevServer({
    config: { rootDir: root, port, hostname, nodeResolve, plugins: [...devPlugins(), ...peerClientPlugins()] },
    readCliArgs: false,
    readFileConfig: false,
    logStartMessage: false,
    autoExitProcess: false,
  });
  return { origin: `http://${hostname}:${server.server.address().port}`, stop: () => server.stop() };
}
