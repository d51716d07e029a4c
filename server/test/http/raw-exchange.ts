import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

/** A response as it came over the wire: the bytes are not decoded (supertest would undo the very encoding under test). */
export interface RawExchange {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The app on a loopback port, for requests whose target and bytes must be exactly as written. */
export async function listen(app: RequestListener): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts a request and gives the response as soon as its headers arrive, its body unread. */
export function openRaw(baseUrl: string, target: string, options: RawRequestOptions = {}): Promise<IncomingMessage> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: options.method ?? 'GET', path: target, headers: options.headers ?? {}, timeout: 20_000 }, resolve);
    req.on('timeout', () => req.destroy(new Error(`no answer to ${target}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export async function exchangeRaw(baseUrl: string, target: string, options: RawRequestOptions = {}): Promise<RawExchange> {
  const res = await openRaw(baseUrl, target, options);
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
}

/** The body with its Content-Encoding undone (and an error for a coding we never send). */
export function decodedBody(exchange: RawExchange): Buffer {
  const coding = exchange.headers['content-encoding'];
  if (coding === undefined) return exchange.body;
  if (coding === 'br') return brotliDecompressSync(exchange.body);
  if (coding === 'gzip') return gunzipSync(exchange.body);
  throw new Error(`unexpected Content-Encoding: ${coding}`);
}

/** The tokens of the Vary header, lower-cased. */
export function varyOf(exchange: { headers: IncomingHttpHeaders }): string[] {
  return String(exchange.headers.vary ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
}
