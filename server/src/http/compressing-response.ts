import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Transform } from 'node:stream';
import type { ContentCoding } from './accept-encoding.js';

export interface BodyEncoder {
  coding: ContentCoding;
  /** `sizeHint`: the body's length when known, so the compressor sizes its buffers to it. */
  create(sizeHint: number | undefined): Transform;
}

/** What to do with the responses of an app, asked once per response as its headers are about to go. */
export interface CompressionPolicy {
  /** Bodies smaller than this go out as they are: compressing them costs more CPU than the bytes are worth. */
  thresholdBytes: number;
  /** The encoder for this response, or undefined to send it as it is (it may set Vary meanwhile). */
  encoderFor(res: ServerResponse): BodyEncoder | undefined;
}

type Chunk = string | Uint8Array;
type Callback = (error?: Error | null) => void;
type HeadersArgument = OutgoingHttpHeaders | unknown[] | undefined;
interface OriginalMethods {
  writeHead: (this: ServerResponse, statusCode: number, reasonOrHeaders?: string | HeadersArgument, headers?: HeadersArgument) => ServerResponse;
  write: (this: ServerResponse, chunk: Chunk, encoding?: BufferEncoding, callback?: Callback) => boolean;
  end: (this: ServerResponse, chunkOrCallback?: Chunk | Callback, encoding?: BufferEncoding, callback?: Callback) => ServerResponse;
}

const POLICY = Symbol('compression policy');
const ORIGINAL = Symbol('original response methods');
type InterceptedResponse = ServerResponse & { readonly [POLICY]: CompressionPolicy; readonly [ORIGINAL]: OriginalMethods };

/**
 * Makes every response whose prototype is `responsePrototype` (Express's `app.response`, the documented
 * place to extend responses) compress its body as it is written, when the policy gives an encoder and the
 * body reaches the threshold. The decision is taken when the headers would be written: from Content-Length
 * when the route set it (Express's `res.json`/`res.send`), otherwise the first bytes are held back until
 * they reach the threshold (compress) or the response ends (send as is, with its Content-Length) — so a
 * small streamed answer (better-auth's get-session) is never compressed either. A response the policy
 * does not compress (an event stream) is never held back: its headers and bytes pass through at once.
 *
 * Why on the prototype and not per request, as middleware usually does: every request of the hot routes
 * comes through here, so a small answer must cost next to nothing. Own `writeHead`/`write`/`end` on each
 * response cost ~15 µs of CPU (V8 reshapes the object), a prototype swapped in per request or a state
 * object per response in a WeakMap several more; here a small answer allocates nothing, and state exists
 * only for the few bodies held back or compressed.
 */
export function compressBodies(responsePrototype: object, policy: CompressionPolicy): void {
  if (Object.prototype.hasOwnProperty.call(responsePrototype, POLICY)) throw new Error('compressBodies: these responses are compressed already');
  const inherited = responsePrototype as OriginalMethods;
  const original: OriginalMethods = { writeHead: inherited.writeHead, write: inherited.write, end: inherited.end };
  const own = (value: unknown) => ({ value, writable: true, configurable: true });
  Object.defineProperties(responsePrototype, {
    [POLICY]: { value: policy },
    [ORIGINAL]: { value: original },
    writeHead: own(interceptedWriteHead),
    write: own(interceptedWrite),
    end: own(interceptedEnd),
  });
}

/** The bodies being held back or compressed; every other response has no state at all. */
const bodiesInFlight = new WeakMap<ServerResponse, BodyInFlight>();

function interceptedWriteHead(this: InterceptedResponse, statusCode: number, reasonOrHeaders?: string | HeadersArgument, headers?: HeadersArgument): ServerResponse {
  const inFlight = bodiesInFlight.get(this);
  if (inFlight) return inFlight.writeHead(statusCode, reasonOrHeaders, headers);
  // Already decided and sent as is: a second call, which Node refuses.
  if (this.headersSent) return this[ORIGINAL].writeHead.call(this, statusCode, reasonOrHeaders, headers);
  const given = typeof reasonOrHeaders === 'string' ? headers : reasonOrHeaders;
  // Raw header lists are rare and not ours to rewrite: the response goes out as it is.
  if (Array.isArray(given)) return this[ORIGINAL].writeHead.call(this, statusCode, reasonOrHeaders, headers);
  if (given) for (const name of Object.keys(given)) if (given[name] !== undefined) this.setHeader(name, given[name]);
  this.statusCode = statusCode;
  if (typeof reasonOrHeaders === 'string') this.statusMessage = reasonOrHeaders;
  decideAtHeaders(this);
  return this;
}

function decideAtHeaders(res: InterceptedResponse): void {
  const policy = res[POLICY];
  const encoder = policy.encoderFor(res);
  if (encoder !== undefined) {
    const length = contentLengthOf(res);
    if (length === undefined || length >= policy.thresholdBytes) {
      bodiesInFlight.set(res, new BodyInFlight(res, policy.thresholdBytes, encoder, length));
      return;
    }
  }
  res[ORIGINAL].writeHead.call(res, res.statusCode);
}

function interceptedWrite(this: InterceptedResponse, chunk: Chunk, encodingOrCallback?: BufferEncoding | Callback, callback?: Callback): boolean {
  const encoding = typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined;
  const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
  const inFlight = bodyAfterHeaders(this);
  return inFlight ? inFlight.write(chunk, encoding, done) : this[ORIGINAL].write.call(this, chunk, encoding ?? 'utf8', done);
}

function interceptedEnd(this: InterceptedResponse, chunkOrCallback?: Chunk | Callback, encodingOrCallback?: BufferEncoding | Callback, callback?: Callback): ServerResponse {
  const chunk = typeof chunkOrCallback === 'function' ? undefined : chunkOrCallback;
  const encoding = typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined;
  const done = typeof chunkOrCallback === 'function' ? chunkOrCallback : typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
  const inFlight = bodyAfterHeaders(this);
  if (inFlight) return inFlight.end(chunk, encoding, done);
  return chunk === undefined ? this[ORIGINAL].end.call(this, done) : this[ORIGINAL].end.call(this, chunk, encoding ?? 'utf8', done);
}

/** The first write or end decides, as Node's own implicit writeHead would; then: held back or compressed, or neither. */
function bodyAfterHeaders(res: InterceptedResponse): BodyInFlight | undefined {
  if (!bodiesInFlight.has(res) && !res.headersSent) res.writeHead(res.statusCode);
  return bodiesInFlight.get(res);
}

/** A body held back until its size is known, or going through a compressor. */
class BodyInFlight {
  private phase: 'holding' | 'compressing' = 'holding';
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private compressor: Transform | undefined;
  private ended = false;

  constructor(
    private readonly res: InterceptedResponse,
    private readonly thresholdBytes: number,
    private readonly encoder: BodyEncoder,
    knownLength: number | undefined,
  ) {
    if (knownLength !== undefined) this.startCompressing(knownLength);
  }

  writeHead(statusCode: number, reasonOrHeaders?: string | HeadersArgument, headers?: HeadersArgument): ServerResponse {
    // Held back: the headers go out once the size is known. Compressing: they went out, a second call Node refuses.
    if (this.phase === 'holding') return this.res;
    return this.res[ORIGINAL].writeHead.call(this.res, statusCode, reasonOrHeaders, headers);
  }

  write(chunk: Chunk, encoding: BufferEncoding | undefined, done: Callback | undefined): boolean {
    if (this.phase === 'compressing') return this.compressor!.write(chunk, encoding ?? 'utf8', done);
    this.hold(chunk, encoding);
    if (done) process.nextTick(done);
    // Enough to be worth it: from here on, everything goes through the compressor.
    if (this.heldBytes >= this.thresholdBytes) return this.startCompressing(undefined).write(this.releaseHeld());
    return true;
  }

  end(chunk: Chunk | undefined, encoding: BufferEncoding | undefined, done: Callback | undefined): ServerResponse {
    const { res } = this;
    // A second end() is a no-op, as Node's own is; the compressor would call it an error.
    if (this.ended) return res;
    this.ended = true;
    if (chunk !== undefined) this.hold(chunk, encoding);
    if (this.phase === 'holding' && this.heldBytes < this.thresholdBytes) {
      bodiesInFlight.delete(res);
      res.setHeader('Content-Length', String(this.heldBytes));
      res[ORIGINAL].writeHead.call(res, res.statusCode);
      return res[ORIGINAL].end.call(res, this.releaseHeld(), undefined, done);
    }
    if (done) res.once('finish', () => done());
    const stream = this.phase === 'compressing' ? this.compressor! : this.startCompressing(this.heldBytes);
    stream.end(this.releaseHeld());
    return res;
  }

  private startCompressing(sizeHint: number | undefined): Transform {
    const { res } = this;
    const original = res[ORIGINAL];
    this.phase = 'compressing';
    res.setHeader('Content-Encoding', this.encoder.coding);
    res.removeHeader('Content-Length');
    const stream = this.encoder.create(sizeHint);
    stream.on('data', (chunk: Buffer) => {
      if (!original.write.call(res, chunk)) stream.pause();
    });
    // The socket took what it had: produce more. A `drain` we re-emitted below for the writer does not count.
    res.on('drain', () => {
      if (!res.writableNeedDrain) stream.resume();
    });
    // The compressor took what it had: a route waiting on `drain` may write again.
    stream.on('drain', () => res.emit('drain'));
    stream.on('end', () => original.end.call(res));
    stream.on('error', (error) => res.destroy(error));
    res.on('close', () => stream.destroy());
    this.compressor = stream;
    original.writeHead.call(res, res.statusCode);
    return stream;
  }

  private hold(chunk: Chunk, encoding: BufferEncoding | undefined): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding ?? 'utf8') : chunk;
    this.held.push(bytes);
    this.heldBytes += bytes.byteLength;
  }

  private releaseHeld(): Buffer {
    const body = Buffer.concat(this.held);
    this.held = [];
    return body;
  }
}

function contentLengthOf(res: ServerResponse): number | undefined {
  const header = res.getHeader('Content-Length');
  if (header === undefined) return undefined;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}
