import request from 'supertest';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMIT_RULES, type RateLimitRule } from '../../src/rate-limit/rules.js';
import { browser } from '../support/http.js';
import { sendRaw, type RawResponse } from '../support/raw-http.js';
import { startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';
import { createTestRuntime, uniqueDbName } from '../support/test-runtime.js';

const ENABLED = { RATE_LIMIT_ENABLED: 'true', TRUST_PROXY: 'loopback' };

/**
 * Budgets are fixed windows on the clock: should one end while a check spends a budget, the
 * fresh budget would pass requests the check expects to be limited. Run it again once, as
 * another client (the attempt number picks it), when that happened.
 */
async function inOneWindow<T>(windowMs: number, check: (attempt: number) => Promise<T>): Promise<T> {
  const windowOf = () => Math.floor(Date.now() / windowMs);
  const started = windowOf();
  const result = await check(0);
  return windowOf() === started ? result : check(1);
}

describe('rate limits', () => {
  let harness: WechatHarness;
  beforeAll(async () => {
    harness = await startWechatHarness({ env: ENABLED });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('limits get-qrcode per client IP with 429, Retry-After and our error shape', async () => {
    const from = (ip: string) => request(harness.runtime.app).get('/api/v1/pub/mp/get-qrcode').set('X-Forwarded-For', ip);
    const { statuses, limited } = await inOneWindow(RATE_LIMIT_RULES.getQrcode.windowMs, async (client) => {
      const statuses: number[] = [];
      for (let i = 0; i < RATE_LIMIT_RULES.getQrcode.max; i += 1) statuses.push((await from(`198.51.100.${1 + client * 100}`)).status);
      return { statuses, limited: await from(`198.51.100.${1 + client * 100}`) };
    });
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
    expect((await from('198.51.100.2')).status).toBe(200); // another client keeps its own budget
  });

  it('answers a burst from one client at once: exactly the budget passes, the rest get 429', async () => {
    const burst = await Promise.all(
      Array.from({ length: 100 }, () => request(harness.runtime.app).get('/api/v1/pub/mp/get-qrcode').set('X-Forwarded-For', '198.51.100.77')),
    );
    const statuses = burst.map((res) => res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(RATE_LIMIT_RULES.getQrcode.max);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - RATE_LIMIT_RULES.getQrcode.max);
  });

  it('limits password sign-in in better-auth\'s shape, with Retry-After', async () => {
    // Each wrong password is hashed: slow enough for a window to end in between now and then.
    const { statuses, limited } = await inOneWindow(RATE_LIMIT_RULES.passwordSignIn.windowMs, async (client) => {
      const attempt = () =>
        request(harness.runtime.app).post('/api/auth/sign-in/email').set('X-Forwarded-For', `198.51.100.${9 + client}`).send({ email: 'x@example.com', password: 'wrong-password' });
      const statuses: number[] = [];
      for (let i = 0; i < RATE_LIMIT_RULES.passwordSignIn.max; i += 1) statuses.push((await attempt()).status);
      return { statuses, limited: await attempt() };
    });
    expect(statuses.every((status) => status === 401)).toBe(true);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ code: 'RATE_LIMITED', message: expect.any(String) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says so', async () => {
    const runtime = await createTestRuntime({ env: { RATE_LIMIT_ENABLED: 'true' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i <= RATE_LIMIT_RULES.signUp.max; i += 1) {
        // A client rotating X-Forwarded-For must not get a fresh budget each time.
        const res = await request(runtime.app).post('/api/auth/sign-up/email').set('X-Forwarded-For', `203.0.113.${i}`).send({});
        statuses.push(res.status);
      }
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await runtime.close();
    }
  });

  it('shares one budget across instances through the database', async () => {
    const dbName = uniqueDbName('ratelimit');
    const [a, b] = await Promise.all([createTestRuntime({ env: ENABLED, dbName }), createTestRuntime({ env: ENABLED, dbName })]);
    try {
      const hit = (app: typeof a.app) => request(app).post('/api/auth/sign-up/email').set('X-Forwarded-For', '192.0.2.77').send({});
      const statuses: number[] = [];
      for (let i = 0; i <= RATE_LIMIT_RULES.signUp.max; i += 1) statuses.push((await hit(i % 2 === 0 ? a.app : b.app)).status);
      expect(statuses.slice(0, -1).every((s) => s !== 429)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('limits the scan-result poll and the push channel too', async () => {
    const client = browser(harness.runtime.app);
    const qr = await client.get('/api/v1/pub/mp/get-qrcode').set('X-Forwarded-For', '198.51.100.50');
    const sceneId = qr.body.data.sceneId as string;
    let last = 0;
    for (let i = 0; i <= RATE_LIMIT_RULES.getScanResult.max; i += 1) {
      last = (await client.get(`/api/v1/pub/mp/get-scan-result?sceneId=${sceneId}`).set('X-Forwarded-For', '198.51.100.50')).status;
    }
    expect(last).toBe(429);
    // Streams for unknown scenes close at once (404), so the budget can be spent quickly.
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT_RULES.scanEvents.max; i += 1) {
      statuses.push((await client.get(`/api/v1/pub/mp/scan-events?sceneId=${'u'.repeat(24)}`).set('X-Forwarded-For', '198.51.100.51')).status);
    }
    expect(statuses.slice(0, -1).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

/**
 * Issue #11, item 2: a request sent to a disguised form of a limited path must never reach a
 * handler with another (more generous) budget. Each endpoint's own budget is spent first with
 * its canonical path; then every disguise must be refused as non-canonical (400) or be limited
 * (429). Requests are sent byte for byte (supertest would turn "\" into "/").
 */
describe('rate limits: disguised paths', () => {
  let harness: WechatHarness;
  beforeAll(async () => {
    harness = await startWechatHarness({ env: ENABLED });
  });
  afterAll(async () => {
    await harness?.close();
  });

  interface LimitedEndpoint {
    method: 'GET' | 'POST' | 'PUT';
    base: string;
    path: string;
    rule: RateLimitRule;
  }
  const R = RATE_LIMIT_RULES;
  const auth = (path: string, rule: RateLimitRule): LimitedEndpoint => ({ method: 'POST', base: '/api/auth', path, rule });
  const AUTH_ENDPOINTS: LimitedEndpoint[] = [
    auth('/sign-in/email', R.passwordSignIn),
    auth('/sign-in/username', R.passwordSignIn),
    auth('/sign-up/email', R.signUp),
    auth('/sign-in-wechat', R.wechatAuth),
    auth('/bind-wechat', R.wechatAuth),
    auth('/unbind-wechat', R.wechatAuth),
    auth('/set-first-password', R.credentialChange),
    auth('/change-password', R.credentialChange),
    auth('/change-email', R.credentialChange),
    auth('/request-password-reset', R.credentialChange),
    auth('/reset-password', R.credentialChange),
    // A password check too (better-auth routes it over HTTP though its OpenAPI hides it).
    auth('/verify-password', R.credentialChange),
  ];
  const MP = '/api/v1/pub/mp';
  const OUR_ENDPOINTS: LimitedEndpoint[] = [
    { method: 'GET', base: MP, path: '/get-qrcode', rule: R.getQrcode },
    { method: 'GET', base: MP, path: '/get-scan-result', rule: R.getScanResult },
    { method: 'GET', base: MP, path: '/scan-events', rule: R.scanEvents },
    { method: 'GET', base: MP, path: '/confirm/abc', rule: R.scanConfirmation },
    { method: 'GET', base: '/api/v1/me', path: '/profile', rule: R.ownProfile },
    { method: 'PUT', base: '/api/v1/me', path: '/avatar', rule: R.avatarUpload },
  ];

  /** Forms a client can give `base` + `path` that a URL parser or a router may read as the same path. */
  const DISGUISES: ReadonlyArray<readonly [string, (base: string, path: string) => string]> = [
    ['dot segment', (b, p) => `${b}/.${p}`],
    ['dot-dot segment', (b, p) => `${b}/x/..${p}`],
    ['"%2e" segment', (b, p) => `${b}/%2e${p}`],
    ['"%2E" segment', (b, p) => `${b}/%2E${p}`],
    ['"%2e%2e" segment', (b, p) => `${b}/x/%2e%2e${p}`],
    ['".%2E" segment', (b, p) => `${b}/x/.%2E${p}`],
    ['climbing out of the base and back', (b, p) => `${b}/../${b.split('/').at(-1)}${p}`],
    ['three dot segments', (b, p) => `${b}/./././${p.slice(1)}`],
    ['backslash dot-dot', (b, p) => `${b}/x\\..${p}`],
    ['backslash for the slash', (b, p) => `${b}\\${p.slice(1)}`],
    ['"%2F" for the slash', (b, p) => `${b}/%2F${p.slice(1)}`],
    ['"%5c" dot-dot', (b, p) => `${b}/x%5c..${p}`],
    ['an empty segment', (b, p) => `${b}/${p}`],
    ['doubled slashes', (b, p) => `${b}${p.replaceAll('/', '//')}`],
    ['a trailing slash', (b, p) => `${b}${p}/`],
    ['a trailing dot segment', (b, p) => `${b}${p}/.`],
    ['upper case', (b, p) => `${b}${p.toUpperCase()}`],
    ['a matrix parameter', (b, p) => `${b}${p};x=1`],
    ['an encoded NUL', (b, p) => `${b}${p}%00`],
    ['a double-encoded dot segment', (b, p) => `${b}/%252e${p}`],
    ['an absolute-form target', (b, p) => `http://127.0.0.1${b}${p}`],
  ];

  const send = (method: string, target: string, ip: string) =>
    sendRaw(harness.baseUrl, { method, target, headers: { 'x-forwarded-for': ip }, ...(method === 'GET' ? {} : { body: '{}' }) });
  const codeOf = (res: RawResponse): unknown => {
    const body = res.body as { code?: unknown; error?: { code?: unknown } } | undefined;
    return body?.code ?? body?.error?.code;
  };

  /** Spends the endpoint's budget, then lists every disguise that got anything but 400 NON_CANONICAL_PATH or 429. */
  async function disguisesThatSlipThrough(endpoint: LimitedEndpoint, ip: string): Promise<string[]> {
    const canonical = `${endpoint.base}${endpoint.path}`;
    for (let i = 0; i < endpoint.rule.max; i += 1) await send(endpoint.method, canonical, ip);
    const spent = await send(endpoint.method, canonical, ip);
    expect(spent.status, `${canonical} after its budget`).toBe(429);
    const slipped: string[] = [];
    for (const [name, disguise] of DISGUISES) {
      const target = disguise(endpoint.base, endpoint.path);
      const res = await send(endpoint.method, target, ip);
      const refused = res.status === 400 && codeOf(res) === 'NON_CANONICAL_PATH';
      const limited = res.status === 429 && codeOf(res) === 'RATE_LIMITED';
      if (!refused && !limited) slipped.push(`${name}: ${endpoint.method} ${target} -> ${res.status} ${res.text.slice(0, 100)}`);
    }
    return slipped;
  }

  async function checkWithinOneWindow(endpoint: LimitedEndpoint, ipOf: (attempt: number) => string): Promise<void> {
    expect(await inOneWindow(endpoint.rule.windowMs, (attempt) => disguisesThatSlipThrough(endpoint, ipOf(attempt)))).toEqual([]);
  }

  it.each(AUTH_ENDPOINTS.map((endpoint, index) => [endpoint.path, endpoint, index] as const))(
    'POST /api/auth%s: every disguise is refused or draws from its own budget',
    async (_path, endpoint, index) => {
      await checkWithinOneWindow(endpoint, (attempt) => `198.18.${attempt}.${index + 1}`);
    },
  );

  it.each(OUR_ENDPOINTS.map((endpoint, index) => [`${endpoint.method} ${endpoint.base}${endpoint.path}`, endpoint, index] as const))(
    '%s: every disguise is refused or draws from its own budget',
    async (_name, endpoint, index) => {
      await checkWithinOneWindow(endpoint, (attempt) => `198.18.${attempt + 10}.${index + 1}`);
    },
  );
});

/** Issue #11, item 4: the IP a budget is counted against is one the client cannot choose. */
describe('rate limits: the client IP', () => {
  const signUps = async (app: Express, forwardedFor: (i: number) => string) => {
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT_RULES.signUp.max; i += 1) {
      statuses.push((await request(app).post('/api/auth/sign-up/email').set('X-Forwarded-For', forwardedFor(i)).send({})).status);
    }
    return statuses;
  };

  it('behind one proxy (TRUST_PROXY=1) counts the hop the proxy added, not the entries the client forged before it', async () => {
    const runtime = await createTestRuntime({ env: { RATE_LIMIT_ENABLED: 'true', TRUST_PROXY: '1' } });
    try {
      // The proxy appends the address it saw; everything left of it is whatever the client sent.
      const statuses = await signUps(runtime.app, (i) => `203.0.113.${i}, 198.51.100.${i}, 192.0.2.10`);
      expect(statuses.slice(0, -1)).not.toContain(429);
      expect(statuses.at(-1)).toBe(429);
      // Another client behind the same proxy keeps its own budget.
      expect((await request(runtime.app).post('/api/auth/sign-up/email').set('X-Forwarded-For', '203.0.113.1, 192.0.2.11').send({})).status).not.toBe(429);
    } finally {
      await runtime.close();
    }
  });

  it('counts an IPv6 client by its /64, so rotating addresses within it earns no fresh budget', async () => {
    const runtime = await createTestRuntime({ env: ENABLED });
    try {
      const statuses = await signUps(runtime.app, (i) => `2001:db8:7:7:${i.toString(16)}::${i + 1}`);
      expect(statuses.at(-1)).toBe(429);
      expect((await request(runtime.app).post('/api/auth/sign-up/email').set('X-Forwarded-For', '2001:db8:7:8::1').send({})).status).not.toBe(429);
    } finally {
      await runtime.close();
    }
  });

  it('counts an IPv4 address and its IPv4-mapped IPv6 form as one client', async () => {
    const runtime = await createTestRuntime({ env: ENABLED });
    try {
      const forms = ['203.0.113.80', '::ffff:203.0.113.80', '::FFFF:cb00:7150', '0:0:0:0:0:ffff:203.0.113.80'];
      const statuses = await signUps(runtime.app, (i) => forms[i % forms.length]!);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await runtime.close();
    }
  });
});
