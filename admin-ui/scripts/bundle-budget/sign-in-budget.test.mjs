import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetVerdict } from './budget-report.mjs';
import { compressedSizes, firstLoadFiles, measurePage, readManifest } from './first-load.mjs';
import { SIGN_IN_BROTLI_BUDGET_BYTES, SIGN_IN_PAGE } from './measured-pages.mjs';

// A path, not a URL object: in Vitest's page environment `URL` is the simulated page's.
const adminUiDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const viteCli = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
const outDir = mkdtempSync(join(tmpdir(), 'sign-in-budget-'));
/** A production build takes a few seconds; a busy machine running the other test files at once, more. */
const BUILD_TIMEOUT_MS = 180_000;

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/**
 * The SPA built as `npm run build` builds it, into a folder of its own. A child process, because Vitest's
 * NODE_ENV=test would make an in-process build a development one.
 */
beforeAll(async () => {
  await promisify(execFile)(process.execPath, [viteCli, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: adminUiDir,
    env: { ...process.env, NODE_ENV: 'production' },
    maxBuffer: 16 * 1024 * 1024,
  });
}, BUILD_TIMEOUT_MS);

describe('the sign-in page\'s first download', () => {
  it(`fits its budget of ${SIGN_IN_BROTLI_BUDGET_BYTES / 1000} kB (brotli)`, async () => {
    const page = await measurePage(outDir, await readManifest(outDir), SIGN_IN_PAGE);
    const verdict = budgetVerdict(page, SIGN_IN_BROTLI_BUDGET_BYTES);
    expect(verdict.ok, verdict.message).toBe(true);
  });

  it('holds no Element Plus component, nor the other language', async () => {
    const manifest = await readManifest(outDir);
    const files = firstLoadFiles(manifest, SIGN_IN_PAGE.routeSources);
    const code = files.map((file) => readFileSync(join(outDir, file), 'utf8')).join('\n');
    // Element Plus's components keep their names (`name:"ElButton"`) through minification.
    expect(code.match(/"El[A-Z][A-Za-z]+"/g) ?? []).toEqual([]);
    const english = manifest['src/i18n/locales/en/index.ts'];
    expect(english?.isDynamicEntry).toBe(true);
    expect(files).not.toContain(english?.file);
  });

  it('would not fit with Element Plus installed whole: that alone is over the budget', async () => {
    const wholeElementPlus = readFileSync(require.resolve('element-plus/dist/index.full.min.mjs'));
    expect((await compressedSizes(wholeElementPlus)).brotli).toBeGreaterThan(SIGN_IN_BROTLI_BUDGET_BYTES);
  });
});
