/**
 * The dev SIP server on its own:
 *
 *   node --import tsx tools/dev-server/main.ts [--host 127.0.0.1] [--port 8089]
 *        [--domain sip-elements.test] [--users users.json] [--digest SHA-256,MD5]
 *        [--log debug|info|warn|error] [--origins https://phone.example.com,...]
 *
 * Each option falls back to an environment variable (HOST, SIP_PORT, SIP_DOMAIN, SIP_USERS_FILE,
 * SIP_DIGEST_ALGORITHMS, SIP_LOG, SIP_ALLOWED_ORIGINS). `--digest` lists the digest challenges,
 * most preferred first; `--origins` the only web page origins whose pages may connect (default:
 * pages on loopback or on this host).
 * `npm start` runs this server together with the demo web server.
 */
import { parseArgs } from 'node:util';
import { consoleLogger, isLogLevel } from './console-logger';
import { parseDigestAlgorithms } from './digest-verifier';
import { startDevSipServer } from './dev-sip-server';
import { DEFAULT_DOMAIN, DEFAULT_SIP_HOST, DEFAULT_SIP_PORT } from './options';
import { parseAllowedOrigins } from './origin-check';

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    domain: { type: 'string' },
    users: { type: 'string' },
    digest: { type: 'string' },
    log: { type: 'string' },
    origins: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(
    'usage: node --import tsx tools/dev-server/main.ts [--host H] [--port P] [--domain D] [--users FILE] [--digest SHA-256,MD5] [--log LEVEL] [--origins O1,O2]',
  );
  process.exit(0);
}

const level = values.log ?? process.env.SIP_LOG ?? 'info';
const port = Number(values.port ?? process.env.SIP_PORT ?? DEFAULT_SIP_PORT);
if (!isLogLevel(level) || !Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('invalid --log or --port (see --help)');
  process.exit(2);
}

try {
  const digest = values.digest ?? process.env.SIP_DIGEST_ALGORITHMS;
  const origins = values.origins ?? process.env.SIP_ALLOWED_ORIGINS;
  const server = await startDevSipServer({
    host: values.host ?? process.env.HOST ?? DEFAULT_SIP_HOST,
    port,
    domain: values.domain ?? process.env.SIP_DOMAIN ?? DEFAULT_DOMAIN,
    ...((values.users ?? process.env.SIP_USERS_FILE) ? { users: values.users ?? process.env.SIP_USERS_FILE } : {}),
    ...(digest ? { digestAlgorithms: parseDigestAlgorithms(digest) } : {}),
    ...(origins ? { allowedOrigins: parseAllowedOrigins(origins) } : {}),
    logger: consoleLogger(level),
  });
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(`dev SIP server: ${(error as Error).message}`);
  process.exit(1);
}
