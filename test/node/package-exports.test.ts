// The package as users get it: `npm test` builds dist/ before the Node tests, and the public
// entry points resolve through package.json "exports" (a self-reference from inside the repo).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const root = new URL('../..', import.meta.url);
// Resolved at run time through package.json "exports" (dist/ exists once `npm test` has built it);
// typed from the source, because the type check runs before the build.
const STACK_ENTRY: string = 'sip-elements/sip';

describe('the built package', () => {
  it('serves the DOM-free stack as sip-elements/sip', async () => {
    const sip = (await import(STACK_ENTRY)) as typeof import('../../src/sip');
    const message = sip.parseMessage(
      'OPTIONS sip:a@b.example SIP/2.0\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bK1\r\nFrom: <sip:c@d.example>;tag=1\r\nTo: <sip:a@b.example>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n',
    );
    assert.equal(message.callId, 'x');
    assert.throws(
      () => sip.parseMessage('nonsense'),
      (error: Error) => error instanceof sip.SipParseError,
    );
  });

  it('serves the whole user agent from sip-elements/sip, usable without the elements', async () => {
    const sip = (await import(STACK_ENTRY)) as typeof import('../../src/sip');
    const { WebSocket } = await import('ws');
    const transport = new sip.WebSocketTransport({ url: 'ws://127.0.0.1:9/ws', webSocket: WebSocket as never });
    const ua = new sip.UserAgent({ aor: 'sip:alice@example.com', transport });
    assert.equal(ua.registered, false);
    assert.equal(ua.targetUri('bob').toString(), 'sip:bob@example.com');
    for (const name of [
      'DigestAuthenticator',
      'Dialog',
      'RequestFailedError',
      'OutgoingCall',
      'IncomingCall',
      'TransportError',
    ] as const) {
      assert.equal(typeof sip[name], 'function', name);
    }
  });

  it('ships types, source maps, the single-file bundle and the manifest it names', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
    for (const entry of Object.values(pkg.exports) as Array<string | { types: string; default: string }>) {
      for (const file of typeof entry === 'string' ? [entry] : [entry.types, entry.default]) {
        assert.ok(existsSync(new URL(file, root)), `${file} exists`);
      }
    }
    for (const file of ['dist/index.js.map', 'dist/sip-elements.bundle.js.map', pkg.customElements]) {
      assert.ok(existsSync(new URL(file, root)), `${file} exists`);
    }
    const manifest = JSON.parse(readFileSync(new URL(pkg.customElements, root), 'utf8'));
    const tags = manifest.modules
      .flatMap((m: { declarations?: Array<{ tagName?: string }> }) => (m.declarations ?? []).map((d) => d.tagName))
      .filter(Boolean);
    assert.deepEqual(tags.sort(), ['sip-call', 'sip-phone', 'sip-presence', 'sip-video']);
  });

  it('packs no test double, rig, fuzz harness or test', () => {
    // What `npm publish` would upload: test code must never reach users, neither as JavaScript nor
    // as a declaration file in dist/types (a double shipped there once: fake-media-session.d.ts).
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
    );
    const files: string[] = pack.files.map((file: { path: string }) => file.path);
    assert.ok(files.includes('dist/index.js'), 'the listing is the package');
    const testOnly = files.filter((path) => /\.(fake|fixtures|test)\.|fuzz|(^|\/)fake-/.test(path));
    assert.deepEqual(testOnly, []);
  });
});
