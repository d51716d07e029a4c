#!/usr/bin/env node
// @ts-check
/**
 * `node scripts/precompress-assets.mjs <dir>...`: writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip,
 * level 9) beside every text-like file of at least 1 kB (and every HTML file) in the given folders, recursively, for the server to
 * send by content negotiation (server/src/http/precompressed-static.ts). The build runs this once, so the
 * slowest, smallest settings cost nothing per request. A variant is kept only when it is smaller than its
 * original; a variant left from an earlier run is removed when it no longer is. Running it twice gives the
 * same files. Plain Node, no dependencies.
 */
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * Below this, the bytes saved do not pay for the extra file. HTML is compressed whatever its size: index.html
 * answers every deep link of the dashboard (the history fallback), so its few hundred bytes add up.
 */
const MIN_BYTES = 1024;
/** Text compresses with brotli's text model; the rest (icons, WebAssembly) with its generic one. */
const TEXT_EXTENSIONS = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.webmanifest', '.txt', '.xml']);
const BINARY_EXTENSIONS = new Set(['.ico', '.wasm']);
/** The variants themselves, never compressed again. Source maps are skipped: only developer tools fetch them. */
const VARIANT_SUFFIXES = ['.br', '.gz'];
/** zlib runs on libuv's thread pool: a few at a time keeps every core busy without holding every file in memory. */
const PARALLEL_FILES = 4;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Every regular file below `dir`: symbolic links and dot-files are not followed, as the server does not serve them. */
async function* filesBelow(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesBelow(path);
    else if (entry.isFile()) yield path;
  }
}

function isCompressible(path) {
  const extension = extname(path).toLowerCase();
  return TEXT_EXTENSIONS.has(extension) || BINARY_EXTENSIONS.has(extension);
}

/** @param {Buffer} original @param {string} path */
function variantsOf(original, path) {
  const mode = TEXT_EXTENSIONS.has(extname(path).toLowerCase()) ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC;
  return [
    {
      suffix: '.br',
      compress: () =>
        brotli(original, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: mode,
            [constants.BROTLI_PARAM_SIZE_HINT]: original.length,
          },
        }),
    },
    { suffix: '.gz', compress: () => gzipAsync(original, { level: constants.Z_BEST_COMPRESSION }) },
  ];
}

/** Writes (or removes) the variants of one file; returns the byte counts for the summary. */
async function precompressFile(path) {
  const original = await readFile(path);
  const sizes = { original: original.length, br: original.length, gz: original.length };
  for (const variant of variantsOf(original, path)) {
    const compressed = await variant.compress();
    if (compressed.length < original.length) {
      await writeFile(path + variant.suffix, compressed);
      sizes[/** @type {'br' | 'gz'} */ (variant.suffix.slice(1))] = compressed.length;
    } else {
      await rm(path + variant.suffix, { force: true });
    }
  }
  return sizes;
}

async function precompressFolders(dirs) {
  const candidates = [];
  for (const dir of dirs) {
    for await (const path of filesBelow(dir)) {
      if (VARIANT_SUFFIXES.some((suffix) => path.endsWith(suffix)) || !isCompressible(path)) continue;
      if ((await stat(path)).size >= MIN_BYTES || extname(path).toLowerCase() === '.html') candidates.push(path);
      // A file that shrank below the minimum must not keep the variants of its older, larger self.
      else await Promise.all(VARIANT_SUFFIXES.map((suffix) => rm(path + suffix, { force: true })));
    }
  }
  const totals = { files: candidates.length, original: 0, br: 0, gz: 0 };
  for (let start = 0; start < candidates.length; start += PARALLEL_FILES) {
    for (const sizes of await Promise.all(candidates.slice(start, start + PARALLEL_FILES).map(precompressFile))) {
      totals.original += sizes.original;
      totals.br += sizes.br;
      totals.gz += sizes.gz;
    }
  }
  return totals;
}

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node scripts/precompress-assets.mjs <dir>...');
  process.exit(2);
}
try {
  const startedMs = Date.now();
  const totals = await precompressFolders(dirs);
  console.log(
    `precompress-assets: ${totals.files} files of ${kB(totals.original)} -> brotli ${kB(totals.br)}, gzip ${kB(totals.gz)} (${dirs.join(', ')}, ${Date.now() - startedMs} ms)`,
  );
} catch (error) {
  console.error(`precompress-assets: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
