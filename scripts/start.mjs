#!/usr/bin/env node
// `npm start`: installs what is missing, then serves the demo phone on localhost and prints its URL.
// The dev SIP server joins here with the dev-server issue.
import { ensureInstall } from './lib/ensure-install.mjs';

const root = new URL('..', import.meta.url).pathname;
ensureInstall(root);

const { startDemoServer } = await import('../tools/demo-server/demo-server.mjs');
const server = await startDemoServer({ port: Number(process.env.PORT ?? 8000) });
console.log(`\nsip-elements demo phone: ${server.url}`);
console.log('Press Ctrl+C to stop.');

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
