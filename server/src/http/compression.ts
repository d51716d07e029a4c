import type { ServerResponse } from 'node:http';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import type { Express, Request, Response } from 'express';
import { negotiateContentEncoding, type ChosenCoding, type ContentCoding } from './accept-encoding.js';
import { compressBodies, type BodyEncoder } from './compressing-response.js';

/**
 * Below 1 kB the saving is a packet at most, and the hot routes (get-scan-result, get-qrcode: a few
 * hundred bytes of JSON) then cost no compression at all.
 */
export const DYNAMIC_COMPRESSION_THRESHOLD_BYTES = 1024;

/**
 * Measured on a page of the admin users list (65 kB of JSON, CPU time per response, best of 12 runs on
 * the 2-core reference machine): gzip level 6 469 µs → 10.5 kB; brotli quality 3 241 µs → 10.2 kB;
 * quality 4 368 µs → 10.0 kB; quality 5 726 µs → 9.5 kB. Quality 3 sends fewer bytes than gzip for half
 * its CPU, and within 3 % of quality 4 for two thirds of it (the same order at 2 kB and 237 kB). Gzip,
 * at its usual level, is for the clients without brotli (browsers over plain http).
 */
const BROTLI_QUALITY = 3;
const GZIP_LEVEL = 6;
const DYNAMIC_CODINGS: readonly ContentCoding[] = ['br', 'gzip'];

/**
 * JSON (also `application/problem+json` and the like) and HTML: what our routes and better-auth answer
 * with. Never `text/event-stream` (a compressor holds events back until its buffer fills: the page would
 * hear of a scan late), never XML or plain text (the webhook's replies to WeChat), never images.
 */
const COMPRESSIBLE_CONTENT_TYPE = /^(?:application\/(?:[\w.-]+\+)?json|text\/html)\s*(?:;|$)/i;

const encodedElsewhere = new WeakSet<ServerResponse>();

/** For a handler that negotiated its own encoding (the precompressed static files): leave its bytes alone. */
export function leaveEncodingAlone(res: ServerResponse): void {
  encodedElsewhere.add(res);
}

export interface DynamicCompressionOptions {
  thresholdBytes?: number;
  /** Paths (and everything below) never compressed, whatever they answer: the WeChat webhook. */
  exceptPaths?: readonly string[];
}

/**
 * Compresses the app's JSON and HTML answers above a size threshold, in the coding the client prefers
 * (brotli, then gzip), with `Vary: Accept-Encoding` on every response that could have been compressed.
 * It extends `app.response` rather than adding a middleware (see compressBodies: the hot routes pay
 * nothing), so it covers every response of the app, wherever this call stands in app.ts.
 */
export function compressDynamicResponses(app: Express, options: DynamicCompressionOptions = {}): void {
  const exceptPaths = (options.exceptPaths ?? []).map((path) => path.toLowerCase());
  const isExcepted = (req: Request) => {
    // originalUrl: inside a mounted router req.url is relative to the mount point.
    const queryAt = req.originalUrl.indexOf('?');
    const path = (queryAt === -1 ? req.originalUrl : req.originalUrl.slice(0, queryAt)).toLowerCase();
    return exceptPaths.some((except) => path === except || path.startsWith(`${except}/`));
  };
  compressBodies(app.response, {
    thresholdBytes: options.thresholdBytes ?? DYNAMIC_COMPRESSION_THRESHOLD_BYTES,
    encoderFor: (res) => {
      const { req } = res as Response;
      // A HEAD answer has no body to compress; its headers then say what an uncompressed GET would.
      if (req.method === 'HEAD' || isExcepted(req) || !isCompressible(res)) return undefined;
      return ENCODERS[codingFor(req.headers['accept-encoding'])];
    },
  });
}

/** Browsers send a handful of distinct headers: each is parsed once. Bounded, so varied headers cannot grow it. */
const codingByHeader = new Map<string | undefined, ChosenCoding>();
const CODING_CACHE_ENTRIES = 64;

function codingFor(acceptEncoding: string | undefined): ChosenCoding {
  let coding = codingByHeader.get(acceptEncoding);
  if (coding === undefined) {
    coding = negotiateContentEncoding(acceptEncoding, DYNAMIC_CODINGS);
    if (codingByHeader.size >= CODING_CACHE_ENTRIES) codingByHeader.clear();
    codingByHeader.set(acceptEncoding, coding);
  }
  return coding;
}

/** Whether the response could be compressed for some client; if so, caches learn it depends on Accept-Encoding. */
function isCompressible(res: ServerResponse): boolean {
  if (encodedElsewhere.has(res)) return false;
  if (res.statusCode < 200 || res.statusCode === 204 || res.statusCode === 206 || res.statusCode === 304) return false;
  if (!COMPRESSIBLE_CONTENT_TYPE.test(String(res.getHeader('Content-Type') ?? ''))) return false;
  const encoding = res.getHeader('Content-Encoding');
  if (encoding !== undefined && String(encoding).toLowerCase() !== 'identity') return false;
  if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(String(res.getHeader('Cache-Control') ?? ''))) return false;
  // Express's res.vary parses what is there; most answers have no Vary yet.
  if (res.getHeader('Vary') === undefined) res.setHeader('Vary', 'Accept-Encoding');
  else (res as Response).vary('Accept-Encoding');
  return true;
}

const ENCODERS: Record<ChosenCoding, BodyEncoder | undefined> = {
  br: {
    coding: 'br',
    create: (sizeHint) =>
      createBrotliCompress({
        params: {
          [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          ...(sizeHint === undefined ? {} : { [constants.BROTLI_PARAM_SIZE_HINT]: sizeHint }),
        },
      }),
  },
  gzip: { coding: 'gzip', create: () => createGzip({ level: GZIP_LEVEL }) },
  identity: undefined,
};
