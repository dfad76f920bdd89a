// Builds dist/: one minified ESM entry per package export (dependencies left to the consumer's
// bundler so lit is never duplicated), plus a single self-contained file a page can load with one
// <script type="module">. Translations other than English are chunks of their own in both.
import minifyLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { defaultStrategy } from '@lit-labs/rollup-plugin-minify-html-literals/lib/strategy.js';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { transform } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const dependencies = Object.keys(pkg.dependencies ?? {});
const isDependency = (id) => dependencies.some((dep) => id === dep || id.startsWith(`${dep}/`));

const ts = () =>
  typescript({
    tsconfig: './tsconfig.build.json',
    compilerOptions: {
      declaration: false,
      declarationMap: false,
      emitDeclarationOnly: false,
      noEmit: false,
      outDir: 'dist',
    },
    exclude: ['**/*.test.ts', '**/*.fake.ts', '**/*.fixtures.ts'],
  });

// The elements' CSS and HTML are written to be read (one declaration a line); lightningcss and
// html-minifier-next squeeze the lit `css` and `html` templates at build time instead.
// A template that is a list of declarations alone (a palette spliced into rules) is not a style
// sheet, so lightningcss gets it inside a rule and gives it back without one.
const strategy = {
  ...defaultStrategy,
  minifyCSS(text, options) {
    if (text.includes('{')) return defaultStrategy.minifyCSS(text, options);
    return defaultStrategy.minifyCSS(`a{${text}}`, options).replace(/^a\{(.*)\}$/s, '$1');
  },
};
const literals = () => minifyLiterals({ include: ['src/**/*.ts'], failOnError: true, options: { strategy } });

// esbuild renames the locals and `#private` members of a chunk before terser compresses it. terser
// gives every private name in the file its own mangled name (#Vt, #ce: 301 of them on the page);
// esbuild starts each class over from #e, #t, so the classes repeat the same few short names, which
// gzip folds away: 1.2 KB gzip less on the page (`npm run bench -- size`). Only names change:
// `target: 'esnext'` lowers nothing, and exported names stay.
const renameLocals = () => ({
  name: 'esbuild-rename-locals',
  async renderChunk(code) {
    const result = await transform(code, { minifyIdentifiers: true, format: 'esm', target: 'esnext', sourcemap: true });
    return { code: result.code, map: result.map };
  },
});

const minify = () => terser({ ecma: 2022, module: true, format: { comments: false }, compress: { passes: 2 } });

export default [
  {
    input: { index: 'src/index.ts', sip: 'src/sip.ts' },
    external: isDependency,
    plugins: [nodeResolve(), literals(), ts(), renameLocals(), minify()],
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
    },
  },
  {
    input: 'src/index.ts',
    plugins: [nodeResolve({ browser: true }), commonjs(), literals(), ts(), renameLocals(), minify()],
    // One file for the page to load; the translations beside it (dist/bundle/), each fetched only
    // the first time an element is in its language.
    output: {
      dir: 'dist',
      entryFileNames: 'sip-elements.bundle.js',
      chunkFileNames: 'bundle/[name]-[hash].js',
      format: 'es',
      sourcemap: true,
    },
  },
];
