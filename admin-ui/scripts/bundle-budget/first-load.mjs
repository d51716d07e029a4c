// @ts-check
/**
 * What a page of the SPA downloads before it can show anything, read from Vite's build manifest
 * (dist/.vite/manifest.json), and how many bytes that is raw, gzipped and brotli-compressed: the sizes the
 * server sends (it serves precompressed .br/.gz files, quality 11 and level 9, like these).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** index.html's key in the manifest: the entry chunk every page loads first. */
export const HTML_ENTRY = 'index.html';

/**
 * @typedef {{ file: string, src?: string, isEntry?: boolean, isDynamicEntry?: boolean,
 *   imports?: string[], dynamicImports?: string[], css?: string[] }} ManifestChunk
 * @typedef {Record<string, ManifestChunk>} Manifest
 * @typedef {{ raw: number, gzip: number, brotli: number }} Sizes
 */

/**
 * The JS and CSS files a page needs at first load: the HTML entry's chunk, then the route's lazy chunks
 * (`routeSources`, e.g. `src/views/SignInView.vue`), each with everything it imports statically and their
 * CSS. Dynamic imports are not followed: they load later, when something asks for them (a dialog, a route).
 * @param {Manifest} manifest
 * @param {string[]} routeSources manifest keys of the route's lazily loaded components, outermost first
 * @returns {string[]} file names relative to the build's folder, each once, in load order
 */
export function firstLoadFiles(manifest, routeSources) {
  /** @type {Set<string>} */
  const files = new Set();
  /** @type {Set<string>} */
  const visited = new Set();

  /** @param {string} key */
  function visit(key) {
    if (visited.has(key)) return;
    visited.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`The build manifest has no "${key}": was it renamed, or is it no longer a chunk of its own?`);
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
    for (const css of chunk.css ?? []) files.add(css);
  }

  for (const key of [HTML_ENTRY, ...routeSources]) visit(key);
  return [...files].filter((file) => /\.(m?js|css)$/.test(file));
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * @param {Buffer} content
 * @returns {Promise<Sizes>}
 */
export async function compressedSizes(content) {
  const [gzipped, brotlied] = await Promise.all([
    gzipAsync(content, { level: 9 }),
    brotliAsync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }),
  ]);
  return { raw: content.length, gzip: gzipped.length, brotli: brotlied.length };
}

/**
 * Each file's sizes and their sum. Files are compressed one by one, as the server sends them.
 * @param {string} distDir the build's folder (the one holding index.html)
 * @param {string[]} files relative to `distDir`
 * @returns {Promise<{ files: Array<{ file: string } & Sizes>, total: Sizes }>}
 */
export async function measureFiles(distDir, files) {
  const measured = await Promise.all(files.map(async (file) => ({ file, ...(await compressedSizes(await readFile(join(distDir, file)))) })));
  const total = measured.reduce((sum, one) => ({ raw: sum.raw + one.raw, gzip: sum.gzip + one.gzip, brotli: sum.brotli + one.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
  return { files: measured, total };
}

/**
 * @param {string} distDir
 * @returns {Promise<Manifest>}
 */
export async function readManifest(distDir) {
  const path = join(distDir, '.vite', 'manifest.json');
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`No build manifest at ${path} (run \`vite build\` first; vite.config.ts must keep build.manifest on)`, { cause: error });
  }
}

/**
 * A page's first load, measured.
 * @param {string} distDir
 * @param {Manifest} manifest
 * @param {import('./measured-pages.mjs').MeasuredPage} page
 */
export async function measurePage(distDir, manifest, page) {
  return { path: page.path, ...(await measureFiles(distDir, firstLoadFiles(manifest, page.routeSources))) };
}
