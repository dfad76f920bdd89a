// Builds dist/: one minified ESM entry per package export (dependencies left to the consumer's
// bundler so lit is never duplicated), plus a single self-contained file a page can load with one
// <script type="module">. Translations other than English are chunks of their own in both.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const dependencies = Object.keys(pkg.dependencies ?? {});
const isDependency = (id) => dependencies.some((dep) => id === dep || id.startsWith(`${dep}/`));

const ts = () =>
  typescript({
    tsconfig: './tsconfig.build.json',
    compilerOptions: { declaration: false, declarationMap: false, emitDeclarationOnly: false, noEmit: false, outDir: 'dist' },
    exclude: ['**/*.test.ts', '**/*.fake.ts'],
  });

const minify = () =>
  terser({ ecma: 2022, module: true, format: { comments: false }, compress: { passes: 2 } });

export default [
  {
    input: { index: 'src/index.ts', sip: 'src/sip.ts' },
    external: isDependency,
    plugins: [nodeResolve(), ts(), minify()],
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  },
  {
    input: 'src/index.ts',
    plugins: [nodeResolve({ browser: true }), commonjs(), ts(), minify()],
    // One file for the page to load; the translations beside it (dist/bundle/), each fetched only
    // the first time an element is in its language.
    output: { dir: 'dist', entryFileNames: 'sip-elements.bundle.js', chunkFileNames: 'bundle/[name]-[hash].js', format: 'es', sourcemap: true },
  },
];
