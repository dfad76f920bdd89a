// The dev-server plugins every page served from source needs (test runner, demo server):
// TypeScript compiled on the fly, and sdp-transform (CommonJS) served as an ES module.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

// sdp-transform's entry, as the browser asks for it once nodeResolve has rewritten the bare import.
const SDP_TRANSFORM_ENTRY = '/node_modules/sdp-transform/lib/index.js';

/**
 * Serves sdp-transform pre-bundled by esbuild, with its default and named exports. The rollup
 * commonjs plugin cannot do it through @web/dev-server-rollup: without rollup's module metadata it
 * proxies the package's inner require()s as empty namespaces, so `parse` came out undefined.
 */
function sdpTransformAsEsm() {
  let bundle;
  return {
    name: 'sdp-transform-as-esm',
    async serve(context) {
      if (context.path !== SDP_TRANSFORM_ENTRY) return undefined;
      bundle ??= build({
        stdin: {
          contents: [
            "import lib from 'sdp-transform';",
            'export default lib;',
            'export const { grammar, write, parse, parseParams, parseFmtpConfig, parsePayloads,',
            '  parseRemoteCandidates, parseImageAttributes, parseSimulcastStreamList } = lib;',
          ].join('\n'),
          resolveDir: root,
          loader: 'js',
        },
        bundle: true,
        format: 'esm',
        target: 'es2022',
        write: false,
      }).then((result) => result.outputFiles[0].text);
      return { body: await bundle, type: 'js' };
    },
  };
}

export function devPlugins() {
  return [
    sdpTransformAsEsm(),
    // The plugin reads its tsconfig raw (no "extends"): point it at the file with the decorator settings.
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: new URL('../tsconfig.base.json', import.meta.url).pathname }),
  ];
}

export const nodeResolve = { exportConditions: ['browser', 'development'] };
