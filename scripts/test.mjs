#!/usr/bin/env node
// `npm test`: every check the project has, in order, on a fresh clone or a warm checkout:
// install → system packages (Chromium, Firefox ESR, WebKitGTK, Kamailio) → lint → typecheck → build →
// manifest up to date → Node tests → browser tests in Chromium, Firefox and WebKit. It keeps going
// after a failure so one run shows everything, then prints a summary and "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import { ensureInstall } from './lib/ensure-install.mjs';

const root = new URL('..', import.meta.url).pathname;
ensureInstall(root);

/** Runs a command, streaming its output, and resolves to { code, output }. */
function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const forward = (stream, sink) =>
      stream.on('data', (chunk) => {
        output += chunk;
        sink.write(chunk);
      });
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

// Test counts as each runner reports them.
const ESC = String.fromCharCode(27);
const plain = (text) => text.replace(new RegExp(`${ESC}\\[[0-9;]*[A-Za-z]`, 'g'), '');
const countNode = (out) => ({
  passed: Number(/ℹ pass (\d+)/.exec(plain(out))?.[1] ?? 0),
  failed: Number(/ℹ fail (\d+)/.exec(plain(out))?.[1] ?? 0),
});
const countBrowser = (out) => {
  // The runner redraws its progress lines; the last line per browser holds the final counts.
  const last = new Map();
  for (const m of plain(out).matchAll(/^(\w+):\s+\|.*\|\s+(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/gm))
    last.set(m[1], m);
  let passed = 0;
  let failed = 0;
  // A launcher may say how long its own part took (tools/webkit/wtr-launcher.mjs does).
  const seconds = new Map([...plain(out).matchAll(/^(\w+): \d+ test files in ([\d.]+) s$/gm)].map((m) => [m[1], m[2]]));
  const browsers = [];
  for (const [name, m] of last) {
    passed += Number(m[2]);
    failed += Number(m[3]);
    // A browser test skips only for want of WebRTC (test/browser/webrtc-capability.ts; eslint
    // forbids any other skip), as in WebKitGTK.
    const skipped = m[4] ? ` + ${m[4]} skipped: no WebRTC` : '';
    browsers.push(`${name} ${m[2]}${skipped}${seconds.has(name) ? ` in ${seconds.get(name)} s` : ''}`);
  }
  return { passed, failed, browsers };
};

const steps = [
  { name: 'system packages', cmd: ['bash', ['scripts/ensure-system-deps.sh']] },
  { name: 'lint', cmd: ['npm', ['run', '-s', 'lint']] },
  { name: 'typecheck', cmd: ['npm', ['run', '-s', 'typecheck']] },
  { name: 'build', cmd: ['npm', ['run', '-s', 'build']] },
  {
    name: 'manifest up to date',
    check: () => {
      const diff = spawnSync('git', ['status', '--porcelain', '--', 'custom-elements.json'], {
        cwd: root,
        encoding: 'utf8',
      });
      if (diff.status !== 0) return { code: 0, note: 'not a git checkout, skipped comparison' };
      return diff.stdout.trim() === ''
        ? { code: 0 }
        : { code: 1, note: 'custom-elements.json differs from the generated one: run `npm run build` and commit it' };
    },
  },
  { name: 'node tests', cmd: ['node', ['scripts/test-node.mjs']], count: countNode },
  {
    name: 'browser tests',
    cmd: ['npx', ['web-test-runner', '--config', 'web-test-runner.config.mjs']],
    count: countBrowser,
  },
];

const results = [];
for (const step of steps) {
  console.log(`\n━━ ${step.name} ━━`);
  const started = Date.now();
  const { code, output = '', note } = step.check ? step.check() : await run(...step.cmd);
  if (note) console.log(note);
  const counts = step.count ? step.count(output) : undefined;
  results.push({ name: step.name, ok: code === 0, seconds: (Date.now() - started) / 1000, counts, note });
}

let passed = 0;
let failed = 0;
console.log('\n━━ summary ━━');
for (const r of results) {
  const counts = r.counts
    ? ` ${r.counts.passed} passed, ${r.counts.failed} failed${r.counts.browsers ? ` (${r.counts.browsers.join(', ')})` : ''}`
    : '';
  console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(20)} ${r.seconds.toFixed(1).padStart(6)} s${counts}`);
  if (r.counts) {
    passed += r.counts.passed;
    failed += r.counts.failed;
  }
  // A step that failed without failing tests (a crash, a lint error) still counts as a failure.
  if (!r.ok && (!r.counts || r.counts.failed === 0)) failed += 1;
  if (r.ok && r.counts && r.counts.passed === 0) {
    console.log(`FAIL  ${r.name}: ran no test`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
