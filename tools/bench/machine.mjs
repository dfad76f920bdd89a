// What `npm run bench` ran on, printed before the sections so that every copy of the figures
// carries its machine (BENCHMARKS.md quotes it). Plain ESM: scripts/bench.mjs imports it directly.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';

const root = new URL('../..', import.meta.url).pathname;

function firstLine(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout: 10000 });
  return result.status === 0 ? result.stdout.trim().split('\n')[0] : 'not found';
}

function cpuModel() {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function osName() {
  try {
    return /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? process.platform;
  } catch {
    return process.platform;
  }
}

/** A Markdown list of the machine, tools and checkout the figures come from. */
export function describeMachine() {
  const commit = firstLine('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = firstLine('git', ['status', '--porcelain', '--untracked-files=no']) !== '';
  return [
    '## Machine',
    `- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- CPU: ${cpuModel()}, ${availableParallelism()} cores (nproc)`,
    `- memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- OS: ${osName()}`,
    `- Node ${process.version}; ${firstLine(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'])}; ${firstLine(
      process.env.KAMAILIO_PATH ?? '/usr/sbin/kamailio',
      ['-v'],
    )
      .replace(/^version:\s*/, '')
      .trim()}`,
    `- checkout: ${commit}${dirty ? ' with uncommitted changes in the working tree' : ''}`,
  ].join('\n');
}
