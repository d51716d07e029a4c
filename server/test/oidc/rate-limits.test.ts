import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMIT_RULES } from '../../src/rate-limit/rules.js';
import type { Runtime } from '../../src/runtime.js';
import { createTestRuntime, uniqueDbName } from '../support/test-runtime.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await createTestRuntime({ env: { RATE_LIMIT_ENABLED: 'true', TRUST_PROXY: 'loopback' }, dbName: uniqueDbName('oidc') });
});
afterAll(async () => {
  await runtime?.close();
});

/** Budgets are fixed windows on the clock; should one end during the check, run it again as another client. */
async function inOneWindow<T>(windowMs: number, check: (attempt: number) => Promise<T>): Promise<T> {
  const windowOf = () => Math.floor(Date.now() / windowMs);
  const started = windowOf();
  const result = await check(0);
  return windowOf() === started ? result : check(1);
}

function tokenRequest(ip: string, form: Record<string, string>, authorization?: string) {
  const req = request(runtime.app).post('/api/auth/oauth2/token').set('X-Forwarded-For', ip).type('form');
  if (authorization) req.set('Authorization', authorization);
  return req.send({ grant_type: 'authorization_code', code: 'x', ...form });
}

describe('OIDC rate limits', () => {
  it('limits the token endpoint per address, whatever applications it names', { timeout: 120_000 }, async () => {
    const rule = RATE_LIMIT_RULES.oidcToken;
    expect(RATE_LIMIT_RULES.oidcTokenPerClient.max).toBeLessThan(rule.max);
    const statuses = await inOneWindow(rule.windowMs, async (attempt) => {
      const ip = `203.0.113.${10 + attempt}`;
      const out: number[] = [];
      // A new client_id each time: naming other applications does not buy an address more requests.
      // Sent 50 at a time (a budget this wide takes long one by one); the count is exact within a process.
      for (let i = 0; i <= rule.max; i += 50) {
        const batch = Array.from({ length: Math.min(50, rule.max + 1 - i) }, (_, k) => tokenRequest(ip, { client_id: `flood${i + k}` }));
        out.push(...(await Promise.all(batch)).map((res) => res.status));
      }
      return out;
    });
    expect(statuses).toHaveLength(rule.max + 1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    // Another address still has its budget.
    expect((await tokenRequest('203.0.113.99', { client_id: 'c' })).status).not.toBe(429);
  });

  it('limits each application at each address apart: its own loop leaves the others and other addresses alone', { timeout: 120_000 }, async () => {
    const rule = RATE_LIMIT_RULES.oidcTokenPerClient;
    const answers = await inOneWindow(rule.windowMs, async (attempt) => {
      const ip = `198.51.100.${10 + attempt}`;
      const out: request.Response[] = [];
      for (let i = 0; i <= rule.max; i += 50) {
        out.push(...(await Promise.all(Array.from({ length: Math.min(50, rule.max + 1 - i) }, () => tokenRequest(ip, { client_id: `loopingApp${attempt}` })))));
      }
      return {
        out,
        // The same application named in HTTP Basic instead of the form: the same budget.
        basic: await tokenRequest(ip, {}, `Basic ${Buffer.from(`loopingApp${attempt}:wrong-secret`).toString('base64')}`),
        otherApp: await tokenRequest(ip, { client_id: `quietApp${attempt}` }),
        otherAddress: await tokenRequest(`198.51.100.${200 + attempt}`, { client_id: `loopingApp${attempt}` }),
      };
    });
    const refusals = answers.out.filter((res) => res.status === 429);
    expect(refusals).toHaveLength(1);
    const refused = refusals[0]!;
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(answers.basic.status).toBe(429);
    expect(answers.otherApp.status).not.toBe(429);
    expect(answers.otherAddress.status).not.toBe(429);
  });

  it('allows only a few registrations a minute from one address', async () => {
    const rule = RATE_LIMIT_RULES.oidcRegister;
    const statuses = await inOneWindow(rule.windowMs, async (attempt) => {
      const out: number[] = [];
      for (let i = 0; i <= rule.max; i += 1) {
        out.push((await request(runtime.app).post('/api/auth/oauth2/register').set('X-Forwarded-For', `203.0.113.${50 + attempt}`).send({ redirect_uris: ['https://rp.example.test/cb'] })).status);
      }
      return out;
    });
    expect(statuses[rule.max]).toBe(429);
  });
});
