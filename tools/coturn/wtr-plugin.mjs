// web-test-runner plugin: coturn for relay tests. A test page asks for it with
//   executeServerCommand('coturn', { action: 'info' })
// (from @web/test-runner-commands) and gets { urls, username, credential, realm }. One server serves
// both browsers (nothing restarts it); it starts on the first request, so a run without relay tests
// never starts it, and stops in serverStop.
import { startCoturn } from './coturn.mjs';

export function coturnPlugin(options = {}) {
  /** @type {Promise<import('./coturn.mjs').CoturnServer> | undefined} */
  let server;
  return {
    name: 'coturn',

    async serverStop() {
      const started = server;
      server = undefined;
      await (await started?.catch(() => undefined))?.stop();
    },

    async executeCommand({ command, payload }) {
      if (command !== 'coturn') return undefined;
      const action = payload?.action ?? 'info';
      if (action !== 'info') throw new Error(`coturn: unknown action ${JSON.stringify(action)} (use info)`);
      const turn = await (server ??= startCoturn(options));
      return { urls: turn.urls, username: turn.username, credential: turn.credential, realm: turn.realm };
    },
  };
}
