import { lstatSync, readdirSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { negotiateContentEncoding, SERVER_PREFERENCE, type ContentCoding } from './accept-encoding.js';
import { leaveEncodingAlone } from './compression.js';

/** The suffix scripts/precompress-assets.mjs gives each coding's sibling file. */
const VARIANT_SUFFIX: Record<ContentCoding, string> = { br: '.br', gzip: '.gz' };

export interface StaticFile {
  /** Absolute path of the file as built. */
  path: string;
  /** Its precompressed siblings, by coding: only those present at start-up and not older than the file. */
  variants: Partial<Record<ContentCoding, string>>;
}

/** URL path (`/assets/index-3f2a.js`) → file. */
export type StaticFileIndex = ReadonlyMap<string, StaticFile>;

/**
 * Every regular file under `rootDir` when the server starts, by the URL path it is served at. Requests
 * are looked up here and nothing else is read from disk, so no path a client writes (`..`, `%2e%2e`,
 * a symbolic link planted in the folder, a dot-file) can reach a file outside this list. The `.br` and
 * `.gz` siblings are not entries of their own: they are only ever sent as an encoding of their original.
 * A UI rebuilt while the server runs is served after a restart (deployments restart anyway).
 */
export function indexStaticFiles(rootDir: string): StaticFileIndex {
  const index = new Map<string, StaticFile>();
  const visit = (dir: string, urlPrefix: string) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    const names = new Set(entries.map((entry) => entry.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path, `${urlPrefix}${entry.name}/`);
      else if (entry.isFile() && !isVariantName(entry.name)) index.set(`${urlPrefix}${entry.name}`, { path, variants: freshVariants(dir, entry.name, names) });
    }
  };
  visit(rootDir, '/');
  return index;
}

function isVariantName(name: string): boolean {
  return Object.values(VARIANT_SUFFIX).some((suffix) => name.endsWith(suffix));
}

/** A sibling older than its original would send yesterday's bytes under today's name: it is ignored. */
function freshVariants(dir: string, name: string, namesInDir: ReadonlySet<string>): StaticFile['variants'] {
  const variants: StaticFile['variants'] = {};
  const originalModifiedMs = statSync(join(dir, name)).mtimeMs;
  for (const coding of SERVER_PREFERENCE) {
    const variantPath = join(dir, name + VARIANT_SUFFIX[coding]);
    if (!namesInDir.has(name + VARIANT_SUFFIX[coding])) continue;
    // lstat: a symbolic link in the variant's place is not followed, as for the originals.
    const variant = lstatSync(variantPath, { throwIfNoEntry: false });
    if (variant?.isFile() && variant.mtimeMs >= originalModifiedMs) variants[coding] = variantPath;
  }
  return variants;
}

/** The file a request names, or undefined (an undecodable path names none). */
export function lookUpStaticFile(index: StaticFileIndex, urlPath: string): StaticFile | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  return index.get(decoded);
}

/**
 * Sends `file` in the coding the request prefers among its variants: `Content-Encoding`, `Vary`, an
 * ETag per coding (a cache must never answer a gzip request with brotli bytes), conditional GETs,
 * HEAD. Range requests are answered with the whole file (allowed by RFC 9110 §14.2): nothing fetches
 * scripts or styles in parts, and a byte range of an encoded variant is a trap for caches.
 */
export async function sendStaticFile(req: Request, res: Response, file: StaticFile, cacheControl: string): Promise<void> {
  const codings = SERVER_PREFERENCE.filter((coding) => file.variants[coding] !== undefined);
  const coding = negotiateContentEncoding(req.headers['accept-encoding'], codings);
  const handle = await open(coding === 'identity' ? file.path : file.variants[coding]!, 'r');
  let streaming = false;
  try {
    // Size and date from the handle that is read: the headers match the bytes even if the file is replaced meanwhile.
    const { size, mtime } = await handle.stat();
    leaveEncodingAlone(res);
    res.type(extname(file.path));
    res.setHeader('Cache-Control', cacheControl);
    // Also on the identity answer: a shared cache must not hand it to a client that asked for brotli, or the reverse.
    if (codings.length > 0) res.vary('Accept-Encoding');
    if (coding !== 'identity') res.setHeader('Content-Encoding', coding);
    res.setHeader('ETag', `W/"${size.toString(16)}-${mtime.getTime().toString(16)}${coding === 'identity' ? '' : `-${coding}`}"`);
    res.setHeader('Last-Modified', mtime.toUTCString());
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Length', String(size));
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    streaming = true;
    await streamToResponse(handle, size, res);
  } finally {
    if (!streaming) await handle.close();
  }
}

/** The read stream closes the handle itself; a client gone mid-file only ends this response. */
async function streamToResponse(handle: FileHandle, size: number, res: Response): Promise<void> {
  try {
    await pipeline(handle.createReadStream({ start: 0, end: size - 1 }), res);
  } catch {
    res.destroy();
  }
}
