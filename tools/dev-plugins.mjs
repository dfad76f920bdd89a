// The dev-server plugins every page served from source needs (test runner, demo server):
// TypeScript compiled on the fly, and sdp-transform (CommonJS) turned into ESM.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from '@rollup/plugin-commonjs';

const commonjs = fromRollup(rollupCommonjs);

export function devPlugins() {
  return [
    // strictRequires: false, or the plugin (v25+ wraps every module as if require()d) serves
    // sdp-transform with only a `__require` export: no default and no named exports for ESM.
    commonjs({ include: ['**/node_modules/sdp-transform/**'], strictRequires: false }),
    // The plugin reads its tsconfig raw (no "extends"): point it at the file with the decorator settings.
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: new URL('../tsconfig.base.json', import.meta.url).pathname }),
  ];
}

export const nodeResolve = { exportConditions: ['browser', 'development'] };
