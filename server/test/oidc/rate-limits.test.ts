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

describe('OIDC rate limits', () => {
  it('limits the token endpoint per client IP, apart from the other budgets', async () => {
    const rule = RATE_LIMIT_RULES.oidcToken;
    const statuses = await inOneWindow(rule.windowMs, async (attempt) => {
      const ip = `203.0.113.${10 + attempt}`;
      const out: number[] = [];
      for (let i = 0; i <= rule.max; i += 1) {
        const res = await request(runtime.app).post('/api/auth/oauth2/token').set('X-Forwarded-For', ip).type('form').send({ grant_type: 'authorization_code', code: 'x', client_id: 'c' });
        out.push(res.status);
      }
      return out;
    });
    expect(statuses.slice(0, rule.max).every((s) => s !== 429)).toBe(true);
    expect(statuses[rule.max]).toBe(429);
    // Another address still has its budget.
    const other = await request(runtime.app).post('/api/auth/oauth2/token').set('X-Forwarded-For', '203.0.113.99').type('form').send({ grant_type: 'authorization_code', code: 'x', client_id: 'c' });
    expect(other.status).not.toBe(429);
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
