#!/usr/bin/env node
// Runs the Node test files (the DOM-free stack, tools, Kamailio interop) with node:test, loading
// TypeScript through tsx. Arguments narrow the run: `npm run test:node -- src/stack/message`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// Tests under src/components, src/media and test/browser run inside the browser (web-test-runner);
// the rest run in Node, including test/e2e, which drives whole pages in real browsers.
const NODE_ROOTS = ['src/stack', 'src/sip.test.ts', 'tools', 'test/node', 'test/e2e'];

function walk(path, out) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return out;
  }
  if (stat.isDirectory()) {
    for (const name of readdirSync(path)) if (name !== 'node_modules') walk(join(path, name), out);
  } else if (/\.test\.(ts|mjs)$/.test(path)) {
    out.push(relative(root, path));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = NODE_ROOTS.flatMap((dir) => walk(join(root, dir), []))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

if (files.length === 0) {
  console.error('No Node test files found.');
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  // --test-force-exit: a file's process ends once its tests have, even if something it used keeps
  // the event loop alive. The demo server's esbuild child did (tools/demo-server/demo-server.test.ts
  // sat for minutes after passing, in two full runs of the last three); services the tests start
  // themselves are checked for orphans by their own tests.
  ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
