// The dev-server plugins every page served from source needs (test runner, demo server):
// TypeScript compiled on the fly, and sdp-transform (CommonJS) served as an ES module.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

// sdp-transform's entry, as the browser asks for it once nodeResolve has rewritten the bare import.
const SDP_TRANSFORM_ENTRY = '/node_modules/sdp-transform/lib/index.js';

/**
 * Serves `servedPath` as an ES module bundled by esbuild from `contents` (module source that may
 * import CommonJS packages). The rollup commonjs plugin cannot do this through
 * @web/dev-server-rollup: without rollup's module metadata it proxies a package's inner require()s
 * as empty namespaces, so sdp-transform's `parse` came out undefined.
 */
function bundledModule(name, servedPath, contents) {
  let bundle;
  return {
    name,
    async serve(context) {
      if (context.path !== servedPath) return undefined;
      bundle ??= build({
        stdin: { contents, resolveDir: root, loader: 'js' },
        bundle: true,
        format: 'esm',
        target: 'es2022',
        write: false,
      }).then((result) => result.outputFiles[0].text);
      return { body: await bundle, type: 'js' };
    },
  };
}

/** sdp-transform (CommonJS) with its default and named exports. */
function sdpTransformAsEsm() {
  return bundledModule(
    'sdp-transform-as-esm',
    SDP_TRANSFORM_ENTRY,
    [
      "import lib from 'sdp-transform';",
      'export default lib;',
      'export const { grammar, write, parse, parseParams, parseFmtpConfig, parsePayloads,',
      '  parseRemoteCandidates, parseImageAttributes, parseSimulcastStreamList } = lib;',
    ].join('\n'),
  );
}

/** Where browser tests import the peer clients from: `await import(PEER_CLIENTS.jssip)`. */
export const PEER_CLIENTS = { jssip: '/__peers/jssip.js', sipjs: '/__peers/sip.js' };

/**
 * JsSIP and SIP.js, the established clients our interop tests call and are called by, bundled
 * for the browser (test runner only; they never reach the package).
 */
export function peerClientPlugins() {
  return [
    bundledModule('peer-jssip', PEER_CLIENTS.jssip, "import JsSIP from 'jssip'; export default JsSIP;"),
    bundledModule('peer-sipjs', PEER_CLIENTS.sipjs, "export * from 'sip.js';"),
  ];
}

export function devPlugins() {
  return [
    sdpTransformAsEsm(),
    // The plugin reads its tsconfig raw (no "extends"): point it at the file with the decorator settings.
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: new URL('../tsconfig.base.json', import.meta.url).pathname }),
  ];
}

export const nodeResolve = { exportConditions: ['browser', 'development'] };
