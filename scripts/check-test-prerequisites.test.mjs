import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./check-test-prerequisites.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'prerequisites-entry-'));
const fakeChromium = join(dir, 'chromium');
writeFileSync(fakeChromium, '#!/bin/sh\nexit 0\n');
chmodSync(fakeChromium, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The check as `npm test` runs it; MONGODB_URI stands in for a database so only the browser varies. */
async function runCheck(env) {
  return promisify(execFile)(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: 'mongodb://127.0.0.1:1/unused', ...env } }).then(
    ({ stderr }) => ({ exitCode: 0, stderr }),
    (error) => ({ exitCode: error.code, stderr: error.stderr }),
  );
}

describe('check-test-prerequisites', () => {
  it('lets the tests run when everything is there (at most a warning about the Node version)', async () => {
    const { exitCode, stderr } = await runCheck({ E2E_CHROMIUM_PATH: fakeChromium });
    expect(exitCode).toBe(0);
    for (const line of stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^warning: Node\.js /);
  });

  it('stops with one line that says what to install when Chromium is missing', async () => {
    const missing = join(dir, 'no-chromium-here');
    const { exitCode, stderr } = await runCheck({ E2E_CHROMIUM_PATH: missing });
    expect(exitCode).toBe(1);
    const needs = stderr.split('\n').filter((line) => line.startsWith('npm test needs'));
    expect(needs).toEqual([`npm test needs Chromium at ${missing} for the browser tests: apt-get install chromium (Debian/Ubuntu), or set E2E_CHROMIUM_PATH to a Chromium binary`]);
  });
});
