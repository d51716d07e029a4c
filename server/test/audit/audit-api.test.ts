import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventPageSchema, RecentSignInsSchema } from '@wechat-login/shared';
import { AuditLog } from '../../src/audit/audit-log.js';
import { silentLogger } from '../../src/logger.js';
import type { Runtime } from '../../src/runtime.js';
import { browser, signInByUsername, signUpByEmail, type Browser } from '../support/http.js';
import { createTestRuntime } from '../support/test-runtime.js';
import { userIdOf } from './audit-support.js';

let runtime: Runtime;
let admin: Browser;
let adminId: string;
let amy: Browser;
let amyId: string;
let bobId: string;

/** Events at chosen times, written by a second log on the same database (the API reads whatever is stored). */
const JAN_1 = Date.parse('2025-01-01T00:00:00Z');
const HOUR_MS = 60 * 60 * 1000;
async function recordAt(atMs: number, event: Parameters<AuditLog['record']>[0]): Promise<void> {
  const log = new AuditLog(runtime.database.db, { logger: silentLogger, retentionDays: 36_500, now: () => atMs });
  log.record(event);
  await log.close();
}

beforeAll(async () => {
  runtime = await createTestRuntime({ env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1' } });
  admin = await signInByUsername(runtime.app, 'root', 'root-password-1');
  adminId = await userIdOf(admin);
  amy = await signUpByEmail(runtime.app, { email: 'amy@example.com', password: 'amy-password-1', name: 'Amy', username: 'amy' });
  amyId = await userIdOf(amy);
  const bob = await signUpByEmail(runtime.app, { email: 'bob@example.com', password: 'bob-password-1', name: 'Bob', username: 'bob' });
  bobId = await userIdOf(bob);
  for (let hour = 0; hour < 5; hour += 1) {
    await recordAt(JAN_1 + hour * HOUR_MS, { type: 'sign-in.succeeded', outcome: 'success', userId: bobId, details: { method: 'email', n: hour } });
  }
  await recordAt(JAN_1 + 10 * HOUR_MS, { type: 'admin.user-banned', outcome: 'success', userId: bobId, actorId: adminId });
  await signInByUsername(runtime.app, 'amy', 'amy-password-1');
  await browser(runtime.app).post('/api/auth/sign-in/username', { username: 'amy', password: 'wrong-password-1' });
  await runtime.audit.flush();
});
afterAll(async () => {
  await runtime?.close();
});

const list = async (query: string) => {
  const res = await admin.get(`/api/v1/admin/audit-events?${query}`);
  return { res, page: res.status === 200 ? AuditEventPageSchema.parse(res.body.data) : undefined };
};

describe('GET /api/v1/admin/audit-events', () => {
  it('lists events newest first, with the names of the users involved', async () => {
    const { page } = await list('');
    expect(page!.page).toBe(1);
    expect(page!.pageSize).toBe(20);
    const times = page!.items.map((event) => event.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const ban = page!.items.find((event) => event.type === 'admin.user-banned')!;
    expect(ban).toMatchObject({ userId: bobId, userName: 'Bob', actorId: adminId, actorName: 'root' });
  });

  it('filters by user (as subject or actor), by type and by time', async () => {
    const bob = (await list(`userId=${bobId}`)).page!;
    expect(bob.total).toBe(6);
    expect(bob.items.every((event) => event.userId === bobId)).toBe(true);

    const asActor = (await list(`userId=${adminId}&type=admin.user-banned`)).page!;
    expect(asActor.items.map((event) => event.actorId)).toEqual([adminId]);

    const failed = (await list('type=sign-in.failed')).page!;
    expect(failed.items.map((event) => [event.userId, event.details.code])).toEqual([[amyId, 'INVALID_USERNAME_OR_PASSWORD']]);

    const window = (await list(`from=${new Date(JAN_1 + HOUR_MS).toISOString()}&to=2025-01-01T03:00:00%2B00:00`)).page!;
    expect(window.items.map((event) => event.details.n)).toEqual([3, 2, 1]);
  });

  it('paginates without overlap and reports the total', async () => {
    const first = (await list(`userId=${bobId}&pageSize=4&page=1`)).page!;
    const second = (await list(`userId=${bobId}&pageSize=4&page=2`)).page!;
    expect([first.total, second.total]).toEqual([6, 6]);
    expect(first.items).toHaveLength(4);
    expect(second.items).toHaveLength(2);
    expect(new Set([...first.items, ...second.items].map((event) => event.id)).size).toBe(6);
    expect((await list(`userId=${bobId}&pageSize=4&page=3`)).page!.items).toEqual([]);
  });

  it('refuses bad filters with 400 in our error shape', async () => {
    for (const query of ['userId=nope', 'userId=0123456789abcdef0123456z', 'type=sign-in', 'from=yesterday', 'from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z', 'page=0', 'pageSize=500', 'pageSize=abc']) {
      const { res } = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ success: false, error: { code: 'INVALID_QUERY' } });
    }
  });

  it('is for admins only', async () => {
    expect((await amy.get('/api/v1/admin/audit-events')).status).toBe(403);
    expect((await browser(runtime.app).get('/api/v1/admin/audit-events')).status).toBe(401);
  });
});

describe('GET /api/v1/me/sign-ins', () => {
  it('shows the caller their own sign-in attempts only, newest first', async () => {
    const res = await amy.get('/api/v1/me/sign-ins');
    expect(res.status).toBe(200);
    const { items } = RecentSignInsSchema.parse(res.body.data);
    expect(items.map((event) => [event.type, event.userId])).toEqual([
      ['sign-in.failed', amyId],
      ['sign-in.succeeded', amyId],
    ]);
    expect(items[1]!.details).toMatchObject({ method: 'username' });
    expect((await browser(runtime.app).get('/api/v1/me/sign-ins')).status).toBe(401);
  });
});
