import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import express, { type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressDynamicResponses, DYNAMIC_COMPRESSION_THRESHOLD_BYTES } from '../../src/http/compression.js';
import { decodedBody, exchangeRaw, listen, openRaw, varyOf, type RawExchange } from './raw-exchange.js';

const BROWSER = 'gzip, deflate, br, zstd';
const HOOK_PATH = '/api/v1/pub/mp/webhook';

/** JSON of about `bytes` bytes, shaped like a page of users. */
const usersJson = (bytes: number) => {
  const items = Array.from({ length: Math.ceil(bytes / 90) }, (_, i) => ({ id: `u${i}`, name: `User ${i}`, email: `user${i}@example.com` }));
  return { success: true, data: { items } };
};

/** A route's way out, told by the test when to end: a held-back response cannot pass these tests. */
let releaseStream: () => void = () => {};
let routeSawBackpressure: (drained: boolean) => void = () => {};
let streamStarted: () => void = () => {};

let server: { baseUrl: string; close(): Promise<void> };
const get = (target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawExchange> => exchangeRaw(server.baseUrl, target, { method, headers });

function streamInChunks(res: Response, body: Buffer, chunkBytes: number, onBackpressure?: (drained: boolean) => void) {
  let offset = 0;
  const writeMore = () => {
    while (offset < body.length) {
      const chunk = body.subarray(offset, offset + chunkBytes);
      offset += chunk.length;
      if (!res.write(chunk)) {
        onBackpressure?.(false);
        res.once('drain', () => {
          onBackpressure?.(true);
          writeMore();
        });
        return;
      }
    }
    res.end();
  };
  writeMore();
}

const LARGE_STREAM = randomBytes(4 * 1024 * 1024).toString('base64');

beforeAll(async () => {
  const app = express();
  compressDynamicResponses(app, { exceptPaths: [HOOK_PATH] });
  app.get('/json/:bytes', (req, res) => {
    res.json(usersJson(Number(req.params.bytes)));
  });
  app.get('/html', (_req, res) => {
    res.type('html').send(`<!doctype html><main>${'<p>confirm</p>'.repeat(300)}</main>`);
  });
  app.get('/problem', (_req, res) => {
    res.type('application/problem+json').send(JSON.stringify(usersJson(4000)));
  });
  app.get('/xml', (_req, res) => {
    res.type('text/xml').send(`<xml>${'<Content><![CDATA[hello]]></Content>'.repeat(200)}</xml>`);
  });
  app.get('/png', (_req, res) => {
    res.type('image/png').send(Buffer.alloc(8000, 7));
  });
  app.get(`${HOOK_PATH}`, (_req, res) => {
    res.json(usersJson(8000));
  });
  app.get(`${HOOK_PATH}/sub`, (_req, res) => {
    res.json(usersJson(8000));
  });
  app.get(`${HOOK_PATH}ed`, (_req, res) => {
    res.json(usersJson(8000));
  });
  app.get('/already-gzipped', (_req, res) => {
    res.setHeader('Content-Encoding', 'gzip');
    res.type('json').send(gzipSync(JSON.stringify(usersJson(8000))));
  });
  app.get('/no-transform', (_req, res) => {
    res.setHeader('Cache-Control', 'private, no-transform');
    res.json(usersJson(8000));
  });
  app.get('/with-vary', (_req, res) => {
    res.vary('Origin');
    res.json(usersJson(8000));
  });
  // Streamed as better-auth does: writeHead with no Content-Length, then chunks, then end().
  app.get('/streamed/:bytes', (req, res) => {
    const body = Buffer.from(JSON.stringify(usersJson(Number(req.params.bytes))));
    res.writeHead(200, { 'content-type': 'application/json' });
    streamInChunks(res, body, 300);
  });
  app.get('/streamed-large', (_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    streamInChunks(res, Buffer.from(JSON.stringify({ blob: LARGE_STREAM })), 64 * 1024, (drained) => routeSawBackpressure(drained));
  });
  app.get('/streamed-compressible', (_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    streamInChunks(res, Buffer.from(JSON.stringify(usersJson(2_000_000))), 64 * 1024);
  });
  app.get('/end-twice', (_req, res) => {
    res.json(usersJson(8000));
    res.end();
  });
  app.get('/events', (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store' });
    res.write('retry: 2000\n\n');
    res.write(`event: scan\ndata: ${JSON.stringify({ status: 'scanned' })}\n\n`);
    releaseStream = () => res.end();
  });
  app.get('/html-stream', (_req, res) => {
    // HTML written bit by bit and never ended until told: the bytes held back stay below the threshold.
    res.type('html');
    res.write('<!doctype html><p>first</p>');
    releaseStream = () => res.end('<p>last</p>');
    streamStarted();
  });
  server = await listen(app);
});

afterAll(async () => {
  await server?.close();
});

describe('dynamic compression', () => {
  it('compresses JSON above the threshold in brotli, and it decodes to what the route sent', async () => {
    const res = await get('/json/8000', { 'accept-encoding': BROWSER });
    expect(res.headers['content-encoding']).toBe('br');
    expect(varyOf(res)).toContain('accept-encoding');
    expect(res.body.length).toBeLessThan(8000 / 3);
    expect(JSON.parse(decodedBody(res).toString())).toEqual(usersJson(8000));
    if (res.headers['content-length'] !== undefined) expect(Number(res.headers['content-length'])).toBe(res.body.length);
  });

  it('uses gzip for a client without brotli, and sends identity (with Vary) to one that takes neither', async () => {
    const gzip = await get('/json/8000', { 'accept-encoding': 'br;q=0, gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decodedBody(gzip).toString())).toEqual(usersJson(8000));
    for (const headers of [{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'deflate' }] as Record<string, string>[]) {
      const plain = await get('/json/8000', headers);
      expect(plain.headers['content-encoding'], JSON.stringify(headers)).toBeUndefined();
      expect(varyOf(plain)).toContain('accept-encoding');
      expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    }
  });

  it('leaves JSON below the threshold alone, so the small hot answers cost nothing', async () => {
    const res = await get('/json/300', { 'accept-encoding': BROWSER });
    expect(res.body.length).toBeLessThan(DYNAMIC_COMPRESSION_THRESHOLD_BYTES);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(varyOf(res)).toContain('accept-encoding');
  });

  it('compresses HTML and +json types too', async () => {
    for (const target of ['/html', '/problem']) {
      const res = await get(target, { 'accept-encoding': 'gzip' });
      expect(res.headers['content-encoding'], target).toBe('gzip');
      expect(decodedBody(res).length).toBeGreaterThan(DYNAMIC_COMPRESSION_THRESHOLD_BYTES);
    }
  });

  it('never touches XML, images, a response already encoded, or one marked no-transform', async () => {
    for (const target of ['/xml', '/png', '/no-transform']) {
      const res = await get(target, { 'accept-encoding': BROWSER });
      expect(res.headers['content-encoding'], target).toBeUndefined();
      expect(varyOf(res), target).not.toContain('accept-encoding');
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
    }
    const encoded = await get('/already-gzipped', { 'accept-encoding': BROWSER });
    expect(encoded.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decodedBody(encoded).toString())).toEqual(usersJson(8000));
  });

  it('never compresses the webhook path or anything below it, however it is spelled', async () => {
    for (const target of [HOOK_PATH, `${HOOK_PATH}/sub`, HOOK_PATH.toUpperCase(), `${HOOK_PATH}?x=1`]) {
      const res = await get(target, { 'accept-encoding': BROWSER });
      expect(res.status, target).toBe(200);
      expect(res.headers['content-encoding'], target).toBeUndefined();
      expect(varyOf(res), target).not.toContain('accept-encoding');
    }
    // Only the path itself and what is below it: a longer name is another route.
    expect((await get(`${HOOK_PATH}ed`, { 'accept-encoding': BROWSER })).headers['content-encoding']).toBe('br');
  });

  it('adds to a Vary the route set, and sends no body compressed to HEAD or in a 304', async () => {
    const varied = await get('/with-vary', { 'accept-encoding': BROWSER });
    expect(varyOf(varied)).toEqual(['origin', 'accept-encoding']);
    const head = await get('/json/8000', { 'accept-encoding': BROWSER }, 'HEAD');
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(head.body.length).toBe(0);
    const first = await get('/json/8000', { 'accept-encoding': BROWSER });
    const notModified = await get('/json/8000', { 'accept-encoding': BROWSER, 'if-none-match': first.headers.etag! });
    expect(notModified.status).toBe(304);
    expect(notModified.headers['content-encoding']).toBeUndefined();
    expect(notModified.body.length).toBe(0);
  });

  it('decides a streamed answer of unknown length by its size: small goes out as is with its length, large compressed', async () => {
    const small = await get('/streamed/500', { 'accept-encoding': BROWSER });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(Number(small.headers['content-length'])).toBe(small.body.length);
    expect(JSON.parse(small.body.toString())).toEqual(usersJson(500));
    const large = await get('/streamed/20000', { 'accept-encoding': BROWSER });
    expect(large.headers['content-encoding']).toBe('br');
    expect(JSON.parse(decodedBody(large).toString())).toEqual(usersJson(20000));
  });

  it('keeps the writer waiting while the client reads slowly, and loses no byte', async () => {
    const backpressure = new Promise<void>((resolve) => {
      routeSawBackpressure = (drained) => {
        if (!drained) resolve();
      };
    });
    const res = await openRaw(server.baseUrl, '/streamed-large', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    res.pause();
    // The route's write() said "wait": the compressor and the socket are full while this client does not read.
    await backpressure;
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const body = decodedBody({ status: 200, headers: res.headers, body: Buffer.concat(chunks) });
    expect(JSON.parse(body.toString()).blob).toBe(LARGE_STREAM);
  });

  it('lets a writer that waits on drain go on when the compressor, not the socket, was full', async () => {
    // 2 MB of JSON in 64 kB writes: each write fills the compressor, while its small output never fills the socket.
    const res = await get('/streamed-compressible', { 'accept-encoding': 'br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.body.length).toBeLessThan(200_000);
    expect(JSON.parse(decodedBody(res).toString())).toEqual(usersJson(2_000_000));
  });

  it('ignores a second end()', async () => {
    const res = await get('/end-twice', { 'accept-encoding': BROWSER });
    expect(res.status).toBe(200);
    expect(JSON.parse(decodedBody(res).toString())).toEqual(usersJson(8000));
  });

  it('never holds back an event stream: each event arrives while the stream stays open', async () => {
    const res = await openRaw(server.baseUrl, '/events', { headers: { 'accept-encoding': BROWSER, accept: 'text/event-stream' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(varyOf(res)).not.toContain('accept-encoding');
    let received = '';
    for await (const chunk of res) {
      received += String(chunk);
      if (received.includes('event: scan')) break;
    }
    expect(received).toContain('"status":"scanned"');
    expect(res.complete).toBe(false);
    releaseStream();
  });

  it('holds back the first bytes of HTML of unknown length only until it ends or reaches the threshold', async () => {
    const started = new Promise<void>((resolve) => {
      streamStarted = resolve;
    });
    const answer = openRaw(server.baseUrl, '/html-stream', { headers: { 'accept-encoding': BROWSER } });
    // The route has written its first bytes; they are held, so the headers can still say "not compressed": end it.
    await started;
    releaseStream();
    const res = await answer;
    expect(res.headers['content-encoding']).toBeUndefined();
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('<!doctype html><p>first</p><p>last</p>');
    expect(Number(res.headers['content-length'])).toBe(Buffer.concat(chunks).length);
  });
});
