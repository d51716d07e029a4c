import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { budgetVerdict } from './budget-report.mjs';
import { compressedSizes, firstLoadFiles, measureFiles } from './first-load.mjs';

/** A build's manifest in the shape Vite writes it: an entry, a lazy page, shared chunks, CSS. */
const MANIFEST = {
  'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_vue.js'], dynamicImports: ['src/views/SignInView.vue', 'src/views/AccountView.vue'], css: ['assets/index.css'] },
  '_vue.js': { file: 'assets/vue.js' },
  'src/views/SignInView.vue': { file: 'assets/SignInView.js', isDynamicEntry: true, imports: ['index.html', '_vue.js', '_light.js'], dynamicImports: ['src/i18n/locales/en/index.ts'], css: ['assets/SignInView.css'] },
  '_light.js': { file: 'assets/light.js', imports: ['_vue.js'], css: ['assets/light.css'] },
  'src/i18n/locales/en/index.ts': { file: 'assets/en.js', isDynamicEntry: true },
  'src/views/AccountView.vue': { file: 'assets/AccountView.js', isDynamicEntry: true, imports: ['_element-plus.js'] },
  '_element-plus.js': { file: 'assets/element-plus.js', css: ['assets/element-plus.css'] },
  'public/logo.svg': { file: 'assets/logo.svg' },
};

describe('what a page downloads at first load', () => {
  it('is the entry and the page, with what they import statically and their CSS, each once', () => {
    expect(firstLoadFiles(MANIFEST, ['src/views/SignInView.vue'])).toEqual([
      'assets/index.js',
      'assets/vue.js',
      'assets/index.css',
      'assets/SignInView.js',
      'assets/light.js',
      'assets/light.css',
      'assets/SignInView.css',
    ]);
  });

  it('leaves out what loads later: other pages, another language, chunks only they import', () => {
    const files = firstLoadFiles(MANIFEST, ['src/views/SignInView.vue']);
    for (const later of ['assets/en.js', 'assets/AccountView.js', 'assets/element-plus.js', 'assets/element-plus.css']) expect(files).not.toContain(later);
  });

  it('says which page the manifest lacks, rather than measuring nothing', () => {
    expect(() => firstLoadFiles(MANIFEST, ['src/views/Renamed.vue'])).toThrow('src/views/Renamed.vue');
  });
});

describe('measuring the files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-budget-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds up each file\'s raw, gzip and brotli bytes, compressed one by one as the server sends them', async () => {
    const repetitive = 'export const greeting = "hello";\n'.repeat(200);
    writeFileSync(join(dir, 'a.js'), repetitive);
    writeFileSync(join(dir, 'b.css'), 'body{margin:0}');
    const { files, total } = await measureFiles(dir, ['a.js', 'b.css']);

    const a = await compressedSizes(Buffer.from(repetitive));
    expect(files[0]).toEqual({ file: 'a.js', ...a });
    expect(total.raw).toBe(repetitive.length + 'body{margin:0}'.length);
    expect(total.gzip).toBe(a.gzip + (files[1]?.gzip ?? NaN));
    expect(a.brotli).toBeLessThan(a.gzip);
    expect(a.gzip).toBeLessThan(a.raw / 10);
  });
});

describe('the budget verdict', () => {
  const page = (brotli) => ({
    path: '/sign-in',
    files: [
      { file: 'assets/index.js', raw: 0, gzip: 0, brotli: brotli - 1000 },
      { file: 'assets/element-plus.js', raw: 0, gzip: 0, brotli: 1000 },
    ],
    total: { raw: 0, gzip: 0, brotli },
  });

  it('passes at the budget and fails a byte above it, naming the largest files', () => {
    expect(budgetVerdict(page(120_000), 120_000).ok).toBe(true);
    const over = budgetVerdict(page(120_001), 120_000);
    expect(over.ok).toBe(false);
    expect(over.message).toMatch(/assets\/index\.js[\s\S]*assets\/element-plus\.js/);
  });
});
