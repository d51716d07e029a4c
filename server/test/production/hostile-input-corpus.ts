import request from 'supertest';
import type { Express } from 'express';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '@wechat-login/shared';
import { CLAIMS_COLLECTION } from '../../src/db/claims.js';
import { DEDUPE_COLLECTION } from '../../src/wechat/webhook/dedupe.js';
import { SCENE_COLLECTION } from '../../src/wechat/scenes/scene-store.js';
import { TEST_WECHAT } from '../support/wechat-harness.js';

/**
 * The table-driven part of the hostile-input corpus (issue #6): what a case is, what every answer
 * must (and must never) look like, and the database facts that prove a refused request recorded
 * nothing. The three test files hold the tables: webhook, public routes, better-auth endpoints.
 */

export type HttpResponse = request.Response;

/** How the body of the answer must look. */
export type AnswerShape =
  /** Our routes: `{success:false, error:{code,message}}`. */
  | 'our-error'
  /** better-auth's endpoints: `{code, message}`. */
  | 'auth-error'
  /** Either of the two JSON error shapes (where a fix could land in our layer or in better-auth's). */
  | 'any-error'
  /** better-auth's unknown path or method: a bare 404 without a body. */
  | 'auth-empty'
  /** The webhook acknowledging a verified push it has nothing to do with: `success`. */
  | 'wechat-success'
  /** The webhook's URL verification echo: text/plain, never sniffed as HTML. */
  | 'wechat-echo'
  /** `{success:true, data}` from one of our routes. */
  | 'our-success'
  /** Node's HTTP parser refused the request before Express saw it (431): no body at all. */
  | 'node-refusal';

export interface Expectation {
  /** One status, or an inclusive range. */
  status: number | readonly [number, number];
  shape: AnswerShape;
  /** The error code (or the codes one of which it must be), for error shapes. */
  code?: string | readonly string[];
}

export interface HostileCase<Context> {
  name: string;
  send: (ctx: Context) => Promise<HttpResponse>;
  expect: Expectation;
  /** Extra checks on the answer, e.g. that an echo is text/plain. */
  also?: (res: HttpResponse, ctx: Context) => void;
}

/** Every request of the corpus must be answered well within this: a slower answer counts as a hang. */
export const ANSWER_TIMEOUT_MS = 5_000;

/** supertest calls that give up instead of hanging, so a stuck handler fails its case, not the run. */
export function http(app: Express) {
  const bounded = (test: request.Test) => test.timeout({ response: ANSWER_TIMEOUT_MS, deadline: 2 * ANSWER_TIMEOUT_MS });
  const agent = request(app);
  return {
    get: (path: string) => bounded(agent.get(path)),
    post: (path: string) => bounded(agent.post(path)),
    put: (path: string) => bounded(agent.put(path)),
    patch: (path: string) => bounded(agent.patch(path)),
    delete: (path: string) => bounded(agent.delete(path)),
  };
}

/**
 * A request whose head is too large for Node's HTTP parser (e.g. a 100 KB query), sent over a raw
 * socket. Node answers 431 itself, before Express, and closes; from Node 25 on it resets the
 * connection while the client is still writing, which supertest reports as ECONNRESET although the
 * 431 arrived. The answer is read off the socket, so the case checks what Node sent whichever way
 * the connection ends. The result carries only status and text, which is all a `node-refusal` looks at.
 */
export async function sendOversizedHead(app: Express, method: string, target: string, body = ''): Promise<HttpResponse> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let received = '';
      socket.setTimeout(ANSWER_TIMEOUT_MS, () => socket.destroy(new Error(`no answer to ${method} within ${ANSWER_TIMEOUT_MS} ms`)));
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      // A reset after the answer arrived is Node closing a connection it refused, not a failure.
      socket.on('error', (error) => (received ? resolve(received) : reject(error)));
      socket.on('close', () => resolve(received));
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    const [head = '', text = ''] = raw.split('\r\n\r\n');
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
    return { status, text, headers: {}, body: {} } as unknown as HttpResponse;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Query strings are written out by hand: duplicates, brackets and odd encodings are the point. */
export function queryString(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}

/** Secrets of the test deployment: none may ever appear in an answer. */
const SECRETS = [TEST_WECHAT.token, TEST_WECHAT.encodingAESKey, TEST_WECHAT.appSecret];

/** Lines a stack trace or a raw Node error would put into a body. */
const LEAK_PATTERNS: readonly RegExp[] = [
  /\bat .*\.[cm]?[jt]s:\d+/, // "at fn (/x/y.ts:12:3)"
  /\n\s+at /, // any stack frame
  /\b\w*Error: /, // "TypeError: ...", "Error: ...", anywhere in the body (JSON strings too)
  /node:internal|node_modules|\/work\//,
  /E11000|\bERR_[A-Z_]{4,}/, // a driver's duplicate-key text, a Node error code
  /root:x:0:0/, // /etc/passwd, should an external entity ever be resolved
];

export function expectNoLeak(res: HttpResponse): void {
  const text = res.text ?? '';
  for (const pattern of LEAK_PATTERNS) expect(text, `answer leaks ${pattern}`).not.toMatch(pattern);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

function expectStatus(res: HttpResponse, status: Expectation['status']): void {
  const [low, high] = typeof status === 'number' ? [status, status] : status;
  const context = `status ${res.status}, body ${String(res.text).slice(0, 300)}`;
  expect(res.status, context).toBeLessThan(500);
  expect(res.status, context).toBeGreaterThanOrEqual(low);
  expect(res.status, context).toBeLessThanOrEqual(high);
}

function expectCode(actual: unknown, code: Expectation['code']): void {
  if (code === undefined) return;
  if (typeof code === 'string') expect(actual).toBe(code);
  else expect(code).toContain(actual);
}

function expectShape(res: HttpResponse, expectation: Expectation): void {
  const { shape, code } = expectation;
  switch (shape) {
    case 'our-error': {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = ErrorBodySchema.parse(res.body);
      expectCode(body.error.code, code);
      return;
    }
    case 'auth-error': {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
      expect(res.body.success).toBeUndefined();
      expectCode(res.body.code, code);
      return;
    }
    case 'any-error': {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const ourShape = ErrorBodySchema.safeParse(res.body);
      const code: unknown = ourShape.success ? ourShape.data.error.code : res.body?.code;
      expect(typeof code).toBe('string');
      expectCode(code, expectation.code);
      return;
    }
    case 'auth-empty':
      expect(res.text ?? '').toBe('');
      return;
    case 'wechat-success':
      expect(res.text).toBe('success');
      return;
    case 'wechat-echo':
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      return;
    case 'our-success':
      expect(res.body).toEqual(expect.objectContaining({ success: true, data: expect.anything() }));
      return;
    case 'node-refusal':
      expect(res.text ?? '').toBe('');
      return;
  }
}

/** The checks every answer of the corpus gets. */
export function expectAnswer<Context>(res: HttpResponse, testCase: HostileCase<Context>, ctx: Context): void {
  expectStatus(res, testCase.expect.status);
  expectNoLeak(res);
  expectShape(res, testCase.expect);
  testCase.also?.(res, ctx);
}

/** A refusal in our shape with one known code: the common case. */
export const ours = (status: number | readonly [number, number], code?: Expectation['code']): Expectation => ({ status, shape: 'our-error', ...(code ? { code } : {}) });
export const theirs = (status: number | readonly [number, number], code?: Expectation['code']): Expectation => ({ status, shape: 'auth-error', ...(code ? { code } : {}) });

/** What the corpus may not change: counted before, compared after. */
export interface StoreCounts {
  users: number;
  sessions: number;
  accounts: number;
  claims: number;
  dedupe: number;
}

export async function countStore(db: Db): Promise<StoreCounts> {
  const count = (name: string) => db.collection(name).countDocuments({});
  const [users, sessions, accounts, claims, dedupe] = await Promise.all([
    count('user'),
    count('session'),
    count('account'),
    count(CLAIMS_COLLECTION),
    count(DEDUPE_COLLECTION),
  ]);
  return { users, sessions, accounts, claims, dedupe };
}

/** The target scene of the corpus must still be waiting, untouched, for its own browser. */
export async function expectScenePending(db: Db, sceneId: string): Promise<void> {
  const scene = await db.collection(SCENE_COLLECTION).findOne({ _id: sceneId as never });
  expect(scene).toMatchObject({ status: 'pending', openid: null, unionid: null, scannedAt: null, consumedAt: null });
  const claims = db.collection(CLAIMS_COLLECTION);
  expect(await claims.countDocuments({ _id: { $in: [`scene-scan:${sceneId}`, `scene-consume:${sceneId}`] } as never })).toBe(0);
}

/** A normal request still gets a normal answer: the corpus crashed or wedged nothing. */
export async function expectHealthy(app: Express): Promise<void> {
  const res = await http(app).get('/healthz');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'ok', db: 'up' });
}

/**
 * One describe per batch: each hostile case as its own named test, then a
 * check that the server still answers a normal request. The context is read
 * when the tests run, because beforeAll fills it.
 */
export function describeBatches<Context extends { app: Express }>(
  batches: Record<string, HostileCase<Context>[]>,
  context: () => Context,
  stillAnswers: (ctx: Context) => Promise<void>,
): void {
  for (const [batch, cases] of Object.entries(batches)) {
    describe(batch, () => {
      it.each(cases)('$name', async (testCase) => {
        const ctx = context();
        expectAnswer(await testCase.send(ctx), testCase, ctx);
      });
      it('still answers a normal request afterwards', async () => {
        const ctx = context();
        await expectHealthy(ctx.app);
        await stillAnswers(ctx);
      });
    });
  }
}
