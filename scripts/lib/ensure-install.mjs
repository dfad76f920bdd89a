// Installs npm dependencies when they are missing or older than package-lock.json, so that
// `npm test` and `npm start` work on a fresh clone. Uses only Node built-ins: it runs before install.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function ensureInstall(root) {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  const fresh = existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs);
  if (fresh) return;
  const args = existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  console.log(`› npm ${args[0]} (dependencies missing or out of date)`);
  const result = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm ${args[0]} failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}
