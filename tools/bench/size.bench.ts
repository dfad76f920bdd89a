/**
 * Bundle size: what a page pays to load us, beside what it pays for JsSIP or SIP.js doing the same
 * job. Each app is a tiny entry under tools/bench/apps/, bundled into one file by the project's own
 * rollup config (the self-contained `dist/sip-elements.bundle.js` build: node-resolve with browser
 * conditions, commonjs, terser); the peers get the same plugins without the TypeScript one. Sizes
 * are minified, then gzip (zlib level 9) and brotli (quality 11) of that, as a server would send it.
 * Every chunk an app can load counts: a dynamic import() becomes its own chunk, compressed on its
 * own as a server would send it, and its bytes are added to the app's (so moving code behind a lazy
 * import cannot make the page look smaller than what a user who uses everything downloads).
 *
 * The budget (issue 21): the page, all four elements and everything they can load, at most the
 * gzip size of the smaller peer's bare stack in the same run.
 *
 * Run with `npm run bench` (all sections) or `npm run bench -- size`.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { rollup, type OutputChunk, type Plugin, type RollupOptions } from 'rollup';
import { minify } from 'terser';
import { integer, kb, printTable, ratio, within } from './report';

const ROOT = new URL('../..', import.meta.url).pathname;
/** Issue 21's budget: the page's gzip bytes at most this many times the smaller peer's. */
const BUDGET_RATIO = 1.0;

interface App {
  name: string;
  entry: string;
  /** Ours go through the TypeScript plugin; the peers are JavaScript already. */
  typescript: boolean;
}

const APPS: readonly App[] = [
  { name: 'sip-elements: page with the four elements', entry: 'sip-elements-page.js', typescript: true },
  { name: 'sip-elements: stack only (UA, register, call)', entry: 'sip-elements-stack.js', typescript: true },
  { name: 'JsSIP 3.13 (UA, register, call)', entry: 'jssip-app.js', typescript: false },
  { name: 'SIP.js 0.21 (UserAgent, Registerer, Inviter)', entry: 'sipjs-app.js', typescript: false },
];

interface Sizes {
  min: number;
  gzip: number;
  brotli: number;
}

const gzip = (code: string) => gzipSync(code, { level: 9 }).length;
const brotli = (code: string) =>
  brotliCompressSync(code, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(code) },
  }).length;

function measure(code: string): Sizes {
  return { min: Buffer.byteLength(code), gzip: gzip(code), brotli: brotli(code) };
}

const addSizes = (a: Sizes, b: Sizes): Sizes => ({
  min: a.min + b.min,
  gzip: a.gzip + b.gzip,
  brotli: a.brotli + b.brotli,
});

/**
 * The plugins of rollup.config.mjs's self-contained bundle, fresh for each build (a new module
 * instance per import URL, so no plugin state carries over from one build to the next).
 */
async function projectPlugins(build: number, typescript: boolean): Promise<Plugin[]> {
  const url = `${pathToFileURL(`${ROOT}rollup.config.mjs`).href}?build=${build}`;
  const configs = (await import(url)).default as RollupOptions[];
  const bundle = configs.find((config) => typeof config.input === 'string' && config.plugins);
  if (!bundle) throw new Error('rollup.config.mjs has no single-file bundle build');
  const plugins = (bundle.plugins as Plugin[]).filter(Boolean);
  return typescript ? plugins : [jsonAsModule(), ...plugins.filter((plugin) => plugin.name !== 'typescript')];
}

/**
 * JsSIP require()s its package.json (for its name and version); an app's bundler would load it
 * with a JSON plugin, which this stands in for (the object whole, as `require` wants it).
 */
function jsonAsModule(): Plugin {
  return {
    name: 'json-as-module',
    transform: (code, id) => (id.endsWith('.json') ? { code: `export default ${code};`, map: null } : null),
  };
}

/**
 * One app's chunks: `page`, the entry and every chunk it can import() later (all counted: a split
 * must not hide bytes), and `languages`, the shipped translations (de, fr, es, ar), which a page
 * fetches only the first time an element is in that language, listed apart.
 */
async function build(app: App, index: number): Promise<{ page: OutputChunk[]; languages: OutputChunk[] }> {
  const warnings: string[] = [];
  const bundle = await rollup({
    input: `${ROOT}tools/bench/apps/${app.entry}`,
    plugins: await projectPlugins(index, app.typescript),
    onwarn: (warning) => warnings.push(warning.message),
  });
  try {
    const { output } = await bundle.generate({ format: 'es' });
    const chunks = output.filter((item): item is OutputChunk => item.type === 'chunk');
    if (!chunks.some((chunk) => chunk.isEntry)) throw new Error(`no entry chunk for ${app.entry}`);
    const isLanguage = (chunk: OutputChunk) =>
      chunk.isDynamicEntry &&
      Object.keys(chunk.modules).every((id) => /\/src\/components\/i18n\/[a-z]{2}\.ts$/.test(id));
    return { page: chunks.filter((chunk) => !isLanguage(chunk)), languages: chunks.filter(isLanguage) };
  } finally {
    await bundle.close();
  }
}

/** Which part of the product a module belongs to: a package, or a folder of src/. */
function groupOf(id: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id);
  if (pkg) return pkg[1];
  const source = /\/src\/([^/]+)(?:\/([^/]+)\/)?/.exec(id);
  if (!source) return id.replace(ROOT, '');
  return source[1] === 'stack' || source[1] === 'components'
    ? `src/${source[1]}/${source[2] ?? ''}`
    : `src/${source[1]}`;
}

/**
 * Where the bytes of our page go. Each group's code, as rollup rendered it into the bundle, is
 * minified on its own. Two gzip figures: the group alone (ranks the parts, but loses the
 * dictionary they share, so the column adds up to more than the whole), and its marginal cost,
 * what gzip of all groups together loses without it (shared text counts once, so this column adds
 * up to about the whole: it is what deleting the part would save).
 */
async function breakdown(chunks: readonly OutputChunk[]): Promise<Array<{ name: string; marginal: number }>> {
  const groups = new Map<string, string[]>();
  for (const [id, module] of chunks.flatMap((chunk) => Object.entries(chunk.modules))) {
    if (!module.code) continue;
    const name = groupOf(id);
    groups.set(name, [...(groups.get(name) ?? []), module.code]);
  }
  const parts: Array<{ name: string; modules: number; code: string }> = [];
  for (const [name, codes] of groups) {
    // Script mode, top level kept: code that only other parts use must not be dropped as unused.
    const result = await minify(codes.join('\n'), {
      ecma: 2020,
      module: false,
      toplevel: false,
      compress: { passes: 2 },
      format: { comments: false },
    });
    parts.push({ name, modules: codes.length, code: result.code ?? '' });
  }
  const together = gzip(parts.map((part) => part.code).join('\n'));
  const rows = parts.map((part) => ({
    ...part,
    min: Buffer.byteLength(part.code),
    alone: gzip(part.code),
    marginal:
      together -
      gzip(
        parts
          .filter((other) => other !== part)
          .map((other) => other.code)
          .join('\n'),
      ),
  }));
  rows.sort((a, b) => b.marginal - a.marginal);
  console.log('');
  console.log(
    "Where the page bundle's bytes go (each part minified on its own; marginal = what gzip of all parts loses without it):",
  );
  printTable(
    ['part', '>modules', '>min KB', '>gzip KB (alone)', '>gzip KB (marginal)', '>share'],
    rows.map((row) => [
      row.name,
      String(row.modules),
      kb(row.min),
      kb(row.alone),
      kb(row.marginal),
      `${((100 * row.marginal) / together).toFixed(0)} %`,
    ]),
  );
  return rows;
}

/** Minified (the project's terser options) and gzipped, one file on its own. */
async function fileGzip(path: string): Promise<number> {
  const result = await minify(readFileSync(`${ROOT}${path}`, 'utf8'), {
    ecma: 2020,
    module: false,
    compress: { passes: 2 },
    format: { comments: false },
  });
  return gzip(result.code ?? '');
}

/**
 * The budget's arithmetic, from the marginal column: what the required parts other than a SIP stack
 * take (lit and sdp-transform, which the project mandates, and our elements and WebRTC media), what
 * that leaves of the budget (the smaller peer's bare stack) for a whole SIP stack, and for scale
 * what each peer's message grammar alone (one generated module, no message model, transport or UA)
 * costs.
 */
async function budgetArithmetic(
  rows: ReadonlyArray<{ name: string; marginal: number }>,
  budget: number,
): Promise<void> {
  const sum = (test: (name: string) => boolean) =>
    rows.filter((row) => test(row.name)).reduce((total, row) => total + row.marginal, 0);
  const thirdParty = sum((name) => !name.startsWith('src/') && !name.startsWith('tools/'));
  const ui = sum((name) => name.startsWith('src/components/') || name === 'src/media');
  const stack = sum((name) => name.startsWith('src/stack/'));
  const [jssipGrammar, sipjsGrammar] = await Promise.all([
    fileGzip('node_modules/jssip/lib/Grammar.js'),
    fileGzip('node_modules/sip.js/lib/grammar/pegjs/dist/grammar.js'),
  ]);
  console.log('');
  console.log(
    `Budget arithmetic (marginal gzip): lit and sdp-transform ${kb(thirdParty)} KB + our elements and media ${kb(ui)} KB = ` +
      `${kb(thirdParty + ui)} KB, leaving ${kb(budget - thirdParty - ui)} KB of the ${kb(budget)} KB budget for a whole SIP stack; ` +
      `ours takes ${kb(stack)} KB. For scale, a peer's message grammar alone: JsSIP ${kb(jssipGrammar)} KB, SIP.js ${kb(sipjsGrammar)} KB.`,
  );
}

async function main(): Promise<void> {
  console.log('## Bundle size');
  console.log(
    'every chunk of each app, rollup.config.mjs bundle plugins (node-resolve browser, commonjs, lit literals, esbuild renaming, terser); gzip level 9, brotli quality 11, each chunk on its own',
  );
  // Two builds at a time: each spends most of its time in the TypeScript program or in terser.
  const builds = await Promise.all(APPS.map((app, index) => build(app, index)));
  const sizes = builds.map((built) => built.page.map((chunk) => measure(chunk.code)).reduce(addSizes));
  const [page, , jssip, sipjs] = sizes;
  printTable(
    ['app', '>min KB', '>gzip KB', '>brotli KB', '>gzip ÷ page', '>page ÷ gzip'],
    APPS.map((app, i) => [
      app.name,
      kb(sizes[i].min),
      kb(sizes[i].gzip),
      kb(sizes[i].brotli),
      ratio(sizes[i].gzip, page.gzip),
      ratio(page.gzip, sizes[i].gzip),
    ]),
  );
  const smallestPeer = Math.min(jssip.gzip, sipjs.gzip);
  const budget = Math.floor(BUDGET_RATIO * smallestPeer);
  const verdict = page.gzip <= budget ? 'met' : 'NOT met';
  console.log(
    `budget (page, ${builds[0].page.length} chunk(s), ≤ ${BUDGET_RATIO.toFixed(1)}x the smaller peer's bare stack): ${verdict}: ` +
      `${integer(page.gzip)} B gzip = ${ratio(page.gzip, smallestPeer)} of ${integer(smallestPeer)} B; ${page.gzip > budget ? `${integer(page.gzip - budget)} B over` : `${integer(budget - page.gzip)} B under`}`,
  );
  const languages = builds[0].languages;
  if (languages.length) {
    console.log('');
    console.log(
      "Not in the page's figures: each shipped language's table, fetched the first time an element is in that language (a page in English never loads them):",
    );
    printTable(
      ['chunk', '>min KB', '>gzip KB', '>brotli KB'],
      languages.map((chunk) => {
        const size = measure(chunk.code);
        return [
          Object.keys(chunk.modules)
            .map((id) => id.replace(ROOT, ''))
            .join(', '),
          kb(size.min),
          kb(size.gzip),
          kb(size.brotli),
        ];
      }),
    );
  }
  await budgetArithmetic(await breakdown(builds[0].page), budget);
}

// Bounded: four builds take well under a minute even on a loaded two-core machine.
await within(240000, 'the bundle-size section', main());
