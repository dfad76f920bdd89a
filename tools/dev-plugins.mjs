// The dev-server plugins every page served from source needs (test runner, demo server):
// TypeScript compiled on the fly, and sdp-transform (CommonJS) served as an ES module.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { build } from 'esbuild';
import { createRequire } from 'node:module';

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
        // React's CommonJS entry picks its build from process.env.NODE_ENV.
        define: { 'process.env.NODE_ENV': '"development"' },
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

const REACT_ENTRY = '/node_modules/react/index.js';
const REACT_DOM_CLIENT_ENTRY = '/node_modules/react-dom/client.js';

/**
 * React and react-dom/client (CommonJS only) for the React demo page, served as one ES module so
 * that both share one React; react-dom/client re-exports from it.
 */
function reactAsEsm() {
  const require = createRequire(import.meta.url);
  let names;
  try {
    names = Object.keys(require('react')).filter((key) => /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default');
  } catch {
    return { name: 'react-as-esm (react not installed)' };
  }
  const react = bundledModule(
    'react-as-esm',
    REACT_ENTRY,
    [
      "import React from 'react';",
      "import * as client from 'react-dom/client';",
      'export default React;',
      'export { client };',
      `export const { ${names.join(', ')} } = React;`,
    ].join('\n'),
  );
  return {
    name: 'react-as-esm',
    serve(context) {
      if (context.path === REACT_DOM_CLIENT_ENTRY) {
        return {
          body: `import { client } from '${REACT_ENTRY}';\nexport const { createRoot, hydrateRoot } = client;\nexport default client;`,
          type: 'js',
        };
      }
      return react.serve(context);
    },
  };
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
    reactAsEsm(),
    // The plugin reads its tsconfig raw (no "extends"): point it at the file with the decorator settings.
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: new URL('../tsconfig.base.json', import.meta.url).pathname }),
  ];
}

export const nodeResolve = { exportConditions: ['browser', 'development'] };
