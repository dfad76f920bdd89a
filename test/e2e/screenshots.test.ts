// `npm run screenshots` (issue 19): eight PNGs of the phone (light and dark, LTR and RTL, wide and
// narrow), the narrow ones narrower, and nothing it started left running once it exits: every
// process it spawned (Chromium and its helpers inherit its environment) is found by a marker in
// that environment.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { wantedBrowsers } from '../../tools/browsers.mjs';

const root = new URL('../..', import.meta.url).pathname;
/** A run takes about 30 s on a loaded two-core machine. */
const EXIT_WITHIN_MS = 150000;

/** A PNG's width and height, from its IHDR chunk (PNG spec §11.2.2). */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${path} is a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The processes whose environment holds `marker`. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker)) found.push(Number(pid));
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return found;
}

for (const name of wantedBrowsers(['chromium'])) {
  describe(`npm run screenshots in ${name}`, () => {
    it('writes the eight pictures and leaves no process behind', { timeout: 240000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sip-screenshots-'));
      const marker = `SIP_ELEMENTS_SCREENSHOTS_RUN=${randomUUID()}`;
      const [key, value] = marker.split('=') as [string, string];
      let left: number[] = [];
      try {
        const child = spawn(process.execPath, ['scripts/screenshots.mjs'], {
          cwd: root,
          env: { ...process.env, SCREENSHOTS_DIR: dir, [key]: value },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        // It must end by itself: one that hangs (a server or browser not stopped) is ended here, and fails.
        const code = await new Promise<number | null | 'hung'>((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve('hung');
          }, EXIT_WITHIN_MS);
          child.on('exit', (exitCode) => {
            clearTimeout(timer);
            resolve(exitCode);
          });
        });
        left = processesWith(marker);
        assert.equal(code, 0, output);
        assert.deepEqual(left, [], 'no process of the run is left');
        const files = readdirSync(dir).sort();
        assert.deepEqual(files, [
          'phone-dark-ltr-narrow.png',
          'phone-dark-ltr-wide.png',
          'phone-dark-rtl-narrow.png',
          'phone-dark-rtl-wide.png',
          'phone-light-ltr-narrow.png',
          'phone-light-ltr-wide.png',
          'phone-light-rtl-narrow.png',
          'phone-light-rtl-wide.png',
        ]);
        for (const theme of ['light', 'dark']) {
          for (const dir2 of ['ltr', 'rtl']) {
            const wide = pngSize(join(dir, `phone-${theme}-${dir2}-wide.png`));
            const narrow = pngSize(join(dir, `phone-${theme}-${dir2}-narrow.png`));
            // 22rem at twice the pixels on a 1280 px screen; the 320 px screen's column (less the page's padding) is
            // narrower.
            assert.equal(wide.width, 704, `${theme} ${dir2} wide`);
            assert.ok(
              narrow.width < wide.width && narrow.width <= 2 * 320,
              `${theme} ${dir2} narrow: ${narrow.width} px`,
            );
          }
        }
      } finally {
        // What a failed run left behind: found by the marker, so only processes of this run.
        for (const pid of processesWith(marker)) process.kill(pid, 'SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
