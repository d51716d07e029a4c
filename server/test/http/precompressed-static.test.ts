import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressDynamicResponses } from '../../src/http/compression.js';
import { errorHandler } from '../../src/http/error-handler.js';
import { spaRouter } from '../../src/http/spa.js';
import { repoRoot } from '../../src/paths.js';
import { decodedBody, exchangeRaw, listen, varyOf, type RawExchange } from './raw-exchange.js';

const PRECOMPRESS_SCRIPT = join(repoRoot, 'scripts', 'precompress-assets.mjs');
const SECRET_MARKER = 'SECRET-OUTSIDE-DIST-7f3a';
const BROWSER = 'gzip, deflate, br, zstd';

/** Text that compresses well, as bundles do. */
const sourceLike = (bytes: number, seed: string) =>
  Array.from({ length: Math.ceil(bytes / 60) }, (_, i) => `export const ${seed}${i} = () => console.log("${seed} line ${i}");\n`).join('').slice(0, bytes);

let root: string;
let dist: string;
let server: { baseUrl: string; close(): Promise<void> };
const original = (path: string) => readFileSync(join(dist, path));
const get = (target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawExchange> => exchangeRaw(server.baseUrl, target, { method, headers });
const precompress = (...dirs: string[]) => execFileSync(process.execPath, [PRECOMPRESS_SCRIPT, ...dirs], { encoding: 'utf8' });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'precompressed-static-'));
  dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  mkdirSync(join(dist, 'widget'));
  writeFileSync(join(root, 'secret.txt'), `${SECRET_MARKER}\n`.repeat(200));
  // A small index.html, as Vite writes it: HTML is precompressed whatever its size.
  writeFileSync(join(dist, 'index.html'), `<!doctype html><html><head><script type="module" src="/assets/app-3f2a.js"></script></head><body><div id="app"></div></body></html>`);
  writeFileSync(join(dist, 'assets', 'app-3f2a.js'), sourceLike(40_000, 'app'));
  writeFileSync(join(dist, 'assets', 'app-9c1d.css'), `.a{color:red}\n`.repeat(500));
  writeFileSync(join(dist, 'assets', 'tiny-1b2c.js'), 'export const tiny = 1;\n');
  writeFileSync(join(dist, 'assets', 'logo-7d7d.png'), randomBytes(3000));
  // Random bytes compress to more than they are: no variant is kept, so nothing may compress it on the fly either.
  writeFileSync(join(dist, 'assets', 'noise-5e5e.json'), randomBytes(4000));
  writeFileSync(join(dist, 'widget', 'wechat-login.js'), sourceLike(8000, 'widget'));
  writeFileSync(join(dist, '.env'), `SECRET=${SECRET_MARKER}\n`);
  symlinkSync(join(root, 'secret.txt'), join(dist, 'assets', 'linked-secret.js'));
  symlinkSync(join(root, 'secret.txt'), join(dist, 'linked-secret.txt'));
  precompress(dist);

  const app = express();
  compressDynamicResponses(app);
  app.use(spaRouter(dist)!);
  app.use(errorHandler);
  server = await listen(app);
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('scripts/precompress-assets.mjs', () => {
  it('writes brotli and gzip variants beside text files of 1 kB and more, and beside every HTML file', () => {
    for (const path of ['assets/app-3f2a.js', 'assets/app-9c1d.css', 'widget/wechat-login.js', 'index.html']) {
      const size = statSync(join(dist, path)).size;
      expect(statSync(join(dist, `${path}.br`)).size, path).toBeLessThan(size);
      expect(statSync(join(dist, `${path}.gz`)).size, path).toBeLessThan(size);
    }
  });

  it('leaves small files, images, and files that would not shrink without variants', () => {
    const names = readdirSync(join(dist, 'assets'));
    for (const stem of ['tiny-1b2c.js', 'logo-7d7d.png', 'noise-5e5e.json']) {
      expect(names.filter((name) => name.startsWith(`${stem}.`)), stem).toEqual([]);
    }
    expect(readdirSync(dist).filter((name) => name.startsWith('.env.'))).toEqual([]);
  });

  it('gives the same files when run again, and drops the variants of a file that shrank below the minimum', () => {
    const own = join(root, 'rerun');
    mkdirSync(own);
    writeFileSync(join(own, 'grows.js'), sourceLike(5000, 'grows'));
    const firstSummary = precompress(own);
    expect(firstSummary).toMatch(/^precompress-assets: 1 files of [\d.]+ kB -> brotli [\d.]+ kB, gzip [\d.]+ kB \(/);
    const first = readFileSync(join(own, 'grows.js.br'));
    precompress(own);
    expect(readFileSync(join(own, 'grows.js.br')).equals(first)).toBe(true);
    writeFileSync(join(own, 'grows.js'), 'export const small = 1;\n');
    precompress(own);
    expect(readdirSync(own)).toEqual(['grows.js']);
  });

  it('fails with a message, not a stack, for a folder that does not exist, and asks for one when given none', () => {
    expect(() => precompress(join(root, 'missing'))).toThrow(/precompress-assets: ENOENT/);
    expect(() => precompress()).toThrow(/usage: node scripts\/precompress-assets\.mjs <dir>/);
  });
});

describe('precompressed static files', () => {
  it('sends brotli to a browser that takes it, with the original type, its own length and Vary', async () => {
    const res = await get('/assets/app-3f2a.js', { 'accept-encoding': BROWSER });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(varyOf(res)).toContain('accept-encoding');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.equals(readFileSync(join(dist, 'assets/app-3f2a.js.br')))).toBe(true);
    expect(decodedBody(res).equals(original('assets/app-3f2a.js'))).toBe(true);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('sends gzip when brotli is refused or not offered, and identity when neither is taken', async () => {
    for (const header of ['gzip', 'br;q=0, gzip', 'gzip;q=0.9, br;q=0.1', 'x-gzip']) {
      const res = await get('/assets/app-9c1d.css', { 'accept-encoding': header });
      expect(res.headers['content-encoding'], header).toBe('gzip');
      expect(decodedBody(res).equals(original('assets/app-9c1d.css')), header).toBe(true);
      expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    }
    for (const headers of [{}, { 'accept-encoding': 'deflate' }, { 'accept-encoding': 'br;q=0, gzip;q=0' }, { 'accept-encoding': 'gzip;q=0.5, identity' }] as Record<string, string>[]) {
      const res = await get('/assets/app-9c1d.css', headers);
      expect(res.headers['content-encoding'], JSON.stringify(headers)).toBeUndefined();
      expect(res.body.equals(original('assets/app-9c1d.css'))).toBe(true);
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      // The identity answer varies too: a shared cache must not hand it to a brotli client, or the reverse.
      expect(varyOf(res)).toContain('accept-encoding');
    }
  });

  it('gives each coding its own ETag, and answers a conditional request only for the coding it names', async () => {
    const br = await get('/assets/app-3f2a.js', { 'accept-encoding': 'br' });
    const gzip = await get('/assets/app-3f2a.js', { 'accept-encoding': 'gzip' });
    const identity = await get('/assets/app-3f2a.js');
    const etags = [br, gzip, identity].map((res) => res.headers.etag);
    expect(new Set(etags).size).toBe(3);
    const revalidated = await get('/assets/app-3f2a.js', { 'accept-encoding': 'br', 'if-none-match': br.headers.etag! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    expect(varyOf(revalidated)).toContain('accept-encoding');
    const otherCoding = await get('/assets/app-3f2a.js', { 'accept-encoding': 'gzip', 'if-none-match': br.headers.etag! });
    expect(otherCoding.status).toBe(200);
    expect(otherCoding.headers['content-encoding']).toBe('gzip');
  });

  it('serves index.html compressed and revalidated, for itself and for any deep link of the dashboard', async () => {
    for (const target of ['/', '/admin/users/42', '/index.html', '/welcome?next=%2Fadmin']) {
      const res = await get(target, { accept: 'text/html,application/xhtml+xml', 'accept-encoding': BROWSER });
      expect(res.status, target).toBe(200);
      expect(res.headers['content-encoding'], target).toBe('br');
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(varyOf(res)).toContain('accept-encoding');
      expect(decodedBody(res).equals(original('index.html'))).toBe(true);
    }
  });

  it('keeps unhashed files (the widget script) for an hour', async () => {
    const res = await get('/widget/wechat-login.js', { 'accept-encoding': BROWSER });
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.headers['content-encoding']).toBe('br');
    expect(decodedBody(res).equals(original('widget/wechat-login.js'))).toBe(true);
  });

  it('answers HEAD with the headers of the GET in the same coding, and no body', async () => {
    const get_ = await get('/assets/app-3f2a.js', { 'accept-encoding': 'gzip' });
    const head = await get('/assets/app-3f2a.js', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of ['content-encoding', 'content-length', 'content-type', 'etag', 'cache-control', 'vary']) expect(head.headers[name], name).toEqual(get_.headers[name]);
  });

  it('answers a Range request with the whole file, encoded or not (never a slice of compressed bytes)', async () => {
    const encoded = await get('/assets/app-3f2a.js', { 'accept-encoding': 'br', range: 'bytes=0-99' });
    expect(encoded.status).toBe(200);
    expect(encoded.headers['content-range']).toBeUndefined();
    expect(decodedBody(encoded).equals(original('assets/app-3f2a.js'))).toBe(true);
    const plain = await get('/assets/app-3f2a.js', { range: 'bytes=10-19' });
    expect(plain.status).toBe(200);
    expect(plain.body.equals(original('assets/app-3f2a.js'))).toBe(true);
  });

  it('sends a file without variants as it is, without Vary, and nothing compresses it on the fly', async () => {
    for (const path of ['assets/tiny-1b2c.js', 'assets/logo-7d7d.png', 'assets/noise-5e5e.json']) {
      const res = await get(`/${path}`, { 'accept-encoding': BROWSER });
      expect(res.status, path).toBe(200);
      expect(res.headers['content-encoding'], path).toBeUndefined();
      expect(varyOf(res), path).not.toContain('accept-encoding');
      expect(res.body.equals(original(path)), path).toBe(true);
    }
  });

  it('ignores a variant older than its original: yesterday\'s bytes never go out under today\'s name', async () => {
    const own = join(root, 'stale-dist');
    mkdirSync(own);
    writeFileSync(join(own, 'index.html'), '<!doctype html><title>new</title>');
    writeFileSync(join(own, 'index.html.br'), Buffer.from('not the current index.html'));
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(own, 'index.html.br'), past, past);
    const app = express();
    app.use(spaRouter(own)!);
    const stale = await listen(app);
    try {
      const res = await exchangeRaw(stale.baseUrl, '/', { headers: { accept: 'text/html', 'accept-encoding': 'br' } });
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.toString()).toBe('<!doctype html><title>new</title>');
    } finally {
      await stale.close();
    }
  });
});

describe('static files under attack', () => {
  const traversals = [
    '/assets/../../secret.txt',
    '/assets/../secret.txt',
    '/../secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/assets\\..\\..\\secret.txt',
    '/assets/%252e%252e/%252e%252e/secret.txt',
    `/assets/${'..%2f'.repeat(30)}etc/passwd`,
    '/assets/app-3f2a.js%00.png',
    '/assets/%c0%ae%c0%ae/secret.txt',
    '/assets/%',
    '/assets/linked-secret.js',
    '/linked-secret.txt',
    '/.env',
    '/%2eenv',
  ];

  it.each(traversals)('%s reaches nothing outside the build', async (target) => {
    for (const accept of ['*/*', 'text/html']) {
      const res = await get(target, { accept, 'accept-encoding': BROWSER });
      expect(decodedBody(res).toString('latin1')).not.toContain(SECRET_MARKER);
      expect(decodedBody(res).toString('latin1')).not.toContain('root:');
      expect([200, 400, 404]).toContain(res.status);
      // A hit is only ever index.html, the history fallback for an HTML request.
      if (res.status === 200) expect(decodedBody(res).equals(original('index.html'))).toBe(true);
    }
  });

  it('never serves a variant under its own name: no second URL for a file, no brotli bytes as a download', async () => {
    for (const target of ['/assets/app-3f2a.js.br', '/assets/app-3f2a.js.gz']) {
      const res = await get(target, { accept: '*/*', 'accept-encoding': BROWSER });
      expect(res.status, target).toBe(404);
      expect(res.headers['content-type'], target).toMatch(/^application\/json/);
    }
    // Outside /assets an HTML request for one gets what any unknown path gets: the dashboard's index.html.
    for (const target of ['/index.html.br', '/widget/wechat-login.js.gz']) {
      const asPage = await get(target, { accept: 'text/html', 'accept-encoding': BROWSER });
      expect(decodedBody(asPage).equals(original('index.html')), target).toBe(true);
      const asFile = await get(target, { accept: 'application/octet-stream', 'accept-encoding': BROWSER });
      expect(asFile.status, target).toBe(404);
      expect(asFile.body.equals(readFileSync(join(dist, target.slice(1)))), target).toBe(false);
    }
  });

  it('answers a missing hashed file with 404, never with index.html (a stale page asking for an old build)', async () => {
    const res = await get('/assets/app-0000.js', { accept: 'text/html,*/*', 'accept-encoding': BROWSER });
    expect(res.status).toBe(404);
    expect(JSON.parse(decodedBody(res).toString())).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
  });

  it('serves files to GET and HEAD only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await get('/assets/app-3f2a.js', { 'accept-encoding': BROWSER }, method);
      expect(res.status, method).toBe(404);
      expect(decodedBody(res).toString()).not.toContain('app0 line 0');
    }
  });
});
