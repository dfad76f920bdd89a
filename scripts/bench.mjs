#!/usr/bin/env node
// `npm run bench`: runs every benchmark section, tools/bench/*.bench.ts, each in its own Node
// process (a fresh JIT, no section skewing the next): the parser section first, then the others in
// name order, after a description of the machine. Arguments narrow the run:
// `npm run bench -- parser`. A new section is a new *.bench.ts file that prints its own results.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeMachine } from '../tools/bench/machine.mjs';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'tools', 'bench');
const filters = process.argv.slice(2);
const sections = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort((a, b) => Number(b === 'parser.bench.ts') - Number(a === 'parser.bench.ts') || a.localeCompare(b));

if (sections.length === 0) {
  console.error('No benchmark section matches.');
  process.exit(1);
}

console.log(`${describeMachine()}\n`);
let failed = 0;
for (const name of sections) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, name)], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed++;
  console.log('');
}
process.exit(failed === 0 ? 0 : 1);
