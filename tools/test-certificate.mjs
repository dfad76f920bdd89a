// The throwaway certificate of the test servers (Kamailio's WSS, coturn's TURNS): one key per test
// run, for 127.0.0.1 and localhost, made before the browsers start so that they can be told to
// accept this key and no other (Chromium's --ignore-certificate-errors-spki-list takes the
// SHA-256 of its SubjectPublicKeyInfo). Never a CA, never installed anywhere.

import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';

import { makeRunDir, selfSignedCertificate } from './test-support/local-services.mjs';

let made;

/** { certFile, keyFile, spkiSha256 } of this process's test certificate, made on first use. */
export function testCertificate() {
  if (made) return made;
  const dir = makeRunDir('test-certificate');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const { certFile, keyFile } = selfSignedCertificate(dir, 'test');
  const spki = createPublicKey(readFileSync(keyFile)).export({ type: 'spki', format: 'der' });
  made = { certFile, keyFile, spkiSha256: createHash('sha256').update(spki).digest('base64') };
  return made;
}

/**
 * A browser's puppeteer launch options (tools/browsers.mjs) made to accept the test certificate,
 * for WSS to Kamailio and TURNS to coturn:
 * - Chromium accepts it by its key and nothing else (--ignore-certificate-errors-spki-list), so
 *   any other certificate error is still an error.
 * - Firefox has no key-pinned switch. The WebDriver BiDi session capability acceptInsecureCerts
 *   reaches both WebSocket's TLS and TURNS (checked in its parent process: without it, TURNS to
 *   coturn is refused). It waives certificate errors for the whole test browser, which only ever
 *   visits 127.0.0.1. (BiDi also defines it per user context; puppeteer 24's
 *   createBrowserContext() does not pass it on.)
 */
export function trustTestCertificate(name, options, { spkiSha256 } = testCertificate()) {
  if (name === 'chromium')
    return { ...options, args: [...options.args, `--ignore-certificate-errors-spki-list=${spkiSha256}`] };
  if (name === 'firefox') return { ...options, acceptInsecureCerts: true };
  return options;
}
