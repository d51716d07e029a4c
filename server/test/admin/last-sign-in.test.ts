import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectId } from 'mongodb';
import { AdminUserDetailSchema, AdminUserSchema, type AdminUser, type LastSignIn } from '@wechat-login/shared';
import { LastSignInStore, USER_COLLECTION } from '../../src/auth/last-sign-in-store.js';
import { silentLogger } from '../../src/logger.js';
import { browser, signInByUsername, signUpByEmail, type Browser } from '../support/http.js';
import { TEST_BASE_URL } from '../support/test-runtime.js';
import { newWechatUser, requestQrcode, scanAndConfirm, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';
import { wechatPhone } from '../support/wechat-web-authorization.js';
import { userIdOf } from '../audit/audit-support.js';

let harness: WechatHarness;
let admin: Browser;

beforeAll(async () => {
  // Behind a proxy on loopback, so a test can say which client address each sign-in came from.
  harness = await startWechatHarness({ mode: 'plain', env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1', TRUST_PROXY: 'loopback' } });
  admin = await signInByUsername(harness.runtime.app, 'root', 'root-password-1');
});
afterAll(async () => {
  await harness?.close();
});

const app = () => harness.runtime.app;
const postFrom = (client: Browser, ip: string, path: string, body: object) => client.agent.post(path).set('Origin', TEST_BASE_URL).set('X-Forwarded-For', ip).send(body);

async function lastSignInOf(userId: string): Promise<LastSignIn | null> {
  const res = await admin.get(`/api/v1/admin/users/${userId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return AdminUserDetailSchema.parse(res.body.data).lastSignIn;
}

describe('the last sign-in kept on the user', () => {
  it('is set by a password sign-in by username and by email, with the method and the client IP', async () => {
    const client = await signUpByEmail(app(), { email: 'pat@example.com', password: 'password-123', name: 'Pat', username: 'pat' });
    const userId = await userIdOf(client);
    // Signing up signs in: the account page opens at once.
    expect(await lastSignInOf(userId)).toMatchObject({ method: 'email' });

    const byUsername = await postFrom(browser(app()), '203.0.113.10', '/api/auth/sign-in/username', { username: 'pat', password: 'password-123' });
    expect(byUsername.status).toBe(200);
    const first = await lastSignInOf(userId);
    expect(first).toMatchObject({ method: 'username', ip: '203.0.113.10' });

    const byEmail = await postFrom(browser(app()), '203.0.113.11', '/api/auth/sign-in/email', { email: 'pat@example.com', password: 'password-123' });
    expect(byEmail.status).toBe(200);
    const second = await lastSignInOf(userId);
    expect(second).toMatchObject({ method: 'email', ip: '203.0.113.11' });
    expect(second!.at.getTime()).toBeGreaterThanOrEqual(first!.at.getTime());
  });

  it('is not changed by a failed sign-in, a session read or an admin impersonating the user', async () => {
    const client = await signUpByEmail(app(), { email: 'quinn@example.com', password: 'password-123', name: 'Quinn', username: 'quinn' });
    const userId = await userIdOf(client);
    await postFrom(browser(app()), '203.0.113.20', '/api/auth/sign-in/username', { username: 'quinn', password: 'password-123' });
    const before = await lastSignInOf(userId);
    expect(before).toMatchObject({ method: 'username', ip: '203.0.113.20' });

    const wrong = await postFrom(browser(app()), '203.0.113.21', '/api/auth/sign-in/username', { username: 'quinn', password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    const wrongEmail = await postFrom(browser(app()), '203.0.113.22', '/api/auth/sign-in/email', { email: 'quinn@example.com', password: 'wrong-password' });
    expect(wrongEmail.status).toBe(401);
    expect((await client.get('/api/auth/get-session')).status).toBe(200);
    // From a browser of its own: impersonating swaps that browser's session for the user's.
    const impersonating = await signInByUsername(app(), 'root', 'root-password-1');
    const impersonated = await impersonating.post('/api/auth/admin/impersonate-user', { userId });
    expect(impersonated.status, JSON.stringify(impersonated.body)).toBe(200);
    expect(await lastSignInOf(userId)).toEqual(before);
  });

  it('is set by a WeChat QR sign-in, and not by a banned user\'s attempt', async () => {
    const person = newWechatUser();
    const client = browser(app());
    const qrcode = await requestQrcode(client);
    await scanAndConfirm(harness, qrcode, person);
    const res = await postFrom(client, '198.51.100.7', '/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const userId = res.body.user.id as string;
    const signedIn = await lastSignInOf(userId);
    expect(signedIn).toMatchObject({ method: 'wechat', ip: '198.51.100.7' });

    await admin.post('/api/auth/admin/ban-user', { userId });
    const again = browser(app());
    const second = await requestQrcode(again);
    await scanAndConfirm(harness, second, person);
    const refused = await postFrom(again, '198.51.100.8', '/api/auth/sign-in-wechat', { sceneId: second.sceneId });
    expect(refused.status).toBe(403);
    expect(await lastSignInOf(userId)).toEqual(signedIn);
  });

  it('is set by web authorization inside WeChat as wechat-oauth', async () => {
    const { openid } = newWechatUser();
    const phone = wechatPhone(harness, openid);
    const consent = await phone.startSignIn();
    await phone.browser.submitForm(consent, { name: 'decision', value: 'allow' });
    const user = await phone.sessionUser();
    expect(user).not.toBeNull();
    const lastSignIn = await lastSignInOf(user!.id);
    expect(lastSignIn?.method).toBe('wechat-oauth');
    // The phone reaches the app over loopback with no proxy header: its own address.
    expect(lastSignIn?.ip).toMatch(/127\.0\.0\.1|::1/);
  });

  it('keeps no sign-in for a user who never signed in, and leaves it out of session answers', async () => {
    const created = await admin.post('/api/auth/admin/create-user', { email: 'never@example.com', password: 'password-123', name: 'Never' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(await lastSignInOf(created.body.user.id)).toBeNull();
    const session = await admin.get('/api/auth/get-session');
    expect(Object.keys(session.body.user)).not.toContain('lastSignInIp');
    expect(Object.keys(session.body.user)).not.toContain('lastSignInAt');
  });

  it('cannot be set by an admin through update-user', async () => {
    const created = await admin.post('/api/auth/admin/create-user', { email: 'forge@example.com', password: 'password-123', name: 'Forge' });
    const forged = await admin.post('/api/auth/admin/update-user', { userId: created.body.user.id, data: { lastSignInAt: new Date().toISOString(), lastSignInIp: '1.2.3.4' } });
    expect(forged.status).toBe(400);
    expect(await lastSignInOf(created.body.user.id)).toBeNull();
  });
});

describe('writes from several instances, in any order', () => {
  const users = () => harness.runtime.database.db.collection(USER_COLLECTION);
  const insertUser = async (fields: Record<string, unknown>) => {
    const _id = new ObjectId();
    await users().insertOne({ _id, name: `Raw ${_id.toHexString()}`, email: `${_id.toHexString()}@example.com`, emailVerified: false, createdAt: new Date(), updatedAt: new Date(), ...fields });
    return _id;
  };

  it('never moves the last sign-in backwards: a late write of an older sign-in changes nothing', async () => {
    const one = new LastSignInStore(harness.runtime.database.db, silentLogger, harness.runtime.database.capabilities);
    const two = new LastSignInStore(harness.runtime.database.db, silentLogger, harness.runtime.database.capabilities);
    const userId = (await insertUser({})).toHexString();
    const newer = new Date('2026-03-02T10:00:00.000Z');
    const older = new Date('2026-03-01T10:00:00.000Z');
    one.record({ userId, at: newer, method: 'wechat', ip: '192.0.2.2' });
    await one.settled();
    two.record({ userId, at: older, method: 'username', ip: '192.0.2.1' });
    await two.settled();
    expect(await lastSignInOf(userId)).toEqual({ at: newer, method: 'wechat', ip: '192.0.2.2' });

    // Both at once, many times over: the newest wins whichever batch lands last.
    const racers = Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2026, 3, 1, 0, 0, i)));
    for (const [i, at] of [...racers].reverse().entries()) (i % 2 === 0 ? one : two).record({ userId, at, method: 'email', ip: `192.0.2.${i + 10}` });
    await Promise.all([one.settled(), two.settled()]);
    expect((await lastSignInOf(userId))?.at).toEqual(racers.at(-1));
  });

  it('writes on a user stored without the field and on one with an explicit null (FerretDB as MongoDB)', async () => {
    const store = new LastSignInStore(harness.runtime.database.db, silentLogger, harness.runtime.database.capabilities);
    const missing = await insertUser({});
    const explicitNull = await insertUser({ lastSignInAt: null, lastSignInMethod: null, lastSignInIp: null });
    const at = new Date('2026-05-05T05:05:05.000Z');
    store.record({ userId: missing.toHexString(), at, method: 'email', ip: null });
    store.record({ userId: explicitNull.toHexString(), at, method: 'username', ip: '192.0.2.9' });
    await store.settled();
    expect(await lastSignInOf(missing.toHexString())).toEqual({ at, method: 'email', ip: null });
    expect(await lastSignInOf(explicitNull.toHexString())).toEqual({ at, method: 'username', ip: '192.0.2.9' });
    // Nothing else of the user is touched, and no user is created for an unknown id.
    const unknown = new ObjectId().toHexString();
    store.record({ userId: unknown, at, method: 'email', ip: null });
    store.record({ userId: 'not-an-id', at, method: 'email', ip: null });
    await store.settled();
    expect(await users().countDocuments({ _id: new ObjectId(unknown) })).toBe(0);
    expect((await users().findOne({ _id: missing }))?.name).toBe(`Raw ${missing.toHexString()}`);
  });
});

describe('the users table by last sign-in', () => {
  const tag = 'dormancy';
  const at = (day: number) => new Date(Date.UTC(2026, 0, day, 12));
  let ids: Record<string, string>;

  beforeAll(async () => {
    const users = harness.runtime.database.db.collection(USER_COLLECTION);
    const specs: [string, Record<string, unknown>][] = [
      ['jan-10', { lastSignInAt: at(10), lastSignInMethod: 'email', lastSignInIp: '192.0.2.10' }],
      ['jan-02', { lastSignInAt: at(2), lastSignInMethod: 'wechat', lastSignInIp: null }],
      ['never-a', {}],
      ['jan-20', { lastSignInAt: at(20), lastSignInMethod: 'wechat-oauth', lastSignInIp: '192.0.2.20' }],
      ['never-b', { lastSignInAt: null }],
    ];
    ids = {};
    for (const [name, fields] of specs) {
      const _id = new ObjectId();
      await users.insertOne({ _id, name: `${tag} ${name}`, email: `${name}@${tag}.example`, emailVerified: true, createdAt: new Date(), updatedAt: new Date(), ...fields });
      ids[name] = _id.toHexString();
    }
  });

  const list = async (query: string) => {
    const res = await admin.get(`/api/v1/admin/users?search=${tag}&${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { items: (res.body.data.items as unknown[]).map((item) => AdminUserSchema.parse(item)), total: res.body.data.total as number };
  };
  const namesOf = (items: AdminUser[]) => items.map((user) => user.name.slice(tag.length + 1));

  it('sorts by last sign-in both ways, users who never signed in last either way', async () => {
    const desc = await list('sortBy=lastSignInAt&sortDirection=desc');
    expect(namesOf(desc.items)).toEqual(['jan-20', 'jan-10', 'jan-02', 'never-b', 'never-a']);
    const asc = await list('sortBy=lastSignInAt&sortDirection=asc');
    expect(namesOf(asc.items)).toEqual(['jan-02', 'jan-10', 'jan-20', 'never-a', 'never-b']);
    expect(asc.items[0]!.lastSignIn).toEqual({ at: at(2), method: 'wechat', ip: null });
    expect(asc.items.at(-1)!.lastSignIn).toBeNull();
    // With no other filter too: every user once, the ones who never signed in after the rest.
    const everyone = await admin.get('/api/v1/admin/users?sortBy=lastSignInAt&sortDirection=asc&limit=100');
    expect(everyone.status).toBe(200);
    const items = (everyone.body.data.items as unknown[]).map((item) => AdminUserSchema.parse(item));
    expect(items).toHaveLength(everyone.body.data.total);
    const firstNever = items.findIndex((user) => user.lastSignIn === null);
    expect(firstNever).toBeGreaterThan(0);
    expect(items.slice(firstNever).every((user) => user.lastSignIn === null)).toBe(true);
  });

  it('pages across the signed-in users and the never-signed-in ones without gaps or repeats', async () => {
    for (const direction of ['asc', 'desc']) {
      const whole = namesOf((await list(`sortBy=lastSignInAt&sortDirection=${direction}`)).items);
      const paged: string[] = [];
      for (let offset = 0; offset < 5; offset += 2) {
        const page = await list(`sortBy=lastSignInAt&sortDirection=${direction}&limit=2&offset=${offset}`);
        expect(page.total).toBe(5);
        paged.push(...namesOf(page.items));
      }
      expect(paged).toEqual(whole);
      expect((await list(`sortBy=lastSignInAt&sortDirection=${direction}&limit=2&offset=6`)).items).toEqual([]);
    }
  });

  it('finds dormant users: a last sign-in before the instant, or none', async () => {
    const dormant = await list('notSignedInSince=2026-01-10T12:00:00Z&sortBy=lastSignInAt&sortDirection=asc');
    // Strictly before: jan-10 signed in at that very instant.
    expect(namesOf(dormant.items)).toEqual(['jan-02', 'never-a', 'never-b']);
    expect(dormant.total).toBe(3);
    expect(namesOf((await list('notSignedInSince=2026-01-15&sortBy=name&sortDirection=asc')).items)).toEqual(['jan-02', 'jan-10', 'never-a', 'never-b']);
    expect(namesOf((await list('notSignedInSince=2025-12-31T00:00:00%2B08:00&sortBy=name&sortDirection=asc')).items)).toEqual(['never-a', 'never-b']);
    expect(ids['never-a']).toMatch(/^[0-9a-f]{24}$/);
  });

  it('refuses dates that are not dates with 400 naming the parameter', async () => {
    for (const value of ['yesterday', '2026-13-01', '2026-01-10T25:00:00Z', '1700000000', '2026-01-10T12:00:00', '']) {
      const res = await admin.get(`/api/v1/admin/users?notSignedInSince=${encodeURIComponent(value)}`);
      expect(res.status, value).toBe(400);
      expect(res.body.error.code).toBe('INVALID_QUERY');
      expect(res.body.error.details.parameter).toBe('notSignedInSince');
    }
    // Said twice, it is a list, not a date.
    const repeated = await admin.get('/api/v1/admin/users?notSignedInSince=2026-01-01&notSignedInSince=2026-02-01');
    expect(repeated.status).toBe(400);
    expect(repeated.body.error.details.parameter).toBe('notSignedInSince');
  });
});
