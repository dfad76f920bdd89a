#!/usr/bin/env node
// `npm start`: installs what is missing, builds dist/ when it is missing or older than its sources,
// then runs the dev SIP server (tools/dev-server) and the demo web server on localhost and prints the
// URLs of two demo phones that can call each other. Plain Node ESM: it runs before dependencies
// (and so tsx) are installed; the TypeScript dev server is loaded through tsx once they are.
// Environment: PORT (web, 8000), SIP_PORT (8089), HOST (127.0.0.1), SIP_DOMAIN, SIP_USERS_FILE, SIP_LOG.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInstall } from './lib/ensure-install.mjs';

const root = new URL('..', import.meta.url).pathname;

/** The newest modification time under `path` (tests excluded: they are not built). */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return /\.test\.ts$/.test(path) ? 0 : stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), 0);
}

/** Builds when an output is missing or older than a source or build config. The demo itself runs from source. */
function buildIfStale() {
  const outputs = ['dist/index.js', 'dist/sip.js', 'dist/sip-elements.bundle.js'].map((file) => join(root, file));
  const built = Math.min(...outputs.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
  const sources = Math.max(
    ...['src', 'package.json', 'rollup.config.mjs', 'tsconfig.build.json', 'tsconfig.base.json'].map((path) =>
      newest(join(root, path)),
    ),
  );
  if (built > sources) return;
  console.log('› npm run build (dist/ missing or older than its sources)');
  const result = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0)
    console.warn(
      `\n⚠ npm run build failed (exit code ${result.status}); starting anyway: the demo runs from source.\n`,
    );
}

ensureInstall(root);
buildIfStale();

const { tsImport } = await import('tsx/esm/api');
const { startDevEnvironment, devEnvironmentOptionsFromEnv } = await tsImport(
  '../tools/dev-server/dev-environment.ts',
  import.meta.url,
);

let environment;
try {
  environment = await startDevEnvironment(devEnvironmentOptionsFromEnv(process.env));
} catch (error) {
  const hint = error?.code === 'EADDRINUSE' ? ' (port in use: set PORT and/or SIP_PORT to free ports)' : '';
  console.error(`npm start: ${error?.message ?? error}${hint}`);
  process.exit(1);
}

const { sip, phones } = environment;
const mode =
  sip.realm === undefined
    ? 'open registration, no passwords'
    : `digest auth, realm "${sip.realm}": enter each phone's password`;
console.log(`
sip-elements development setup
  SIP server:  ${sip.url}  (domain ${sip.domain}; ${mode})
  Demo phones: open each in its own tab; they register at once and can call each other:
    alice  ${phones.alice}
    bob    ${phones.bob}
  Any other user works too: change user= in the URL.
Press Ctrl+C to stop.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await environment.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
