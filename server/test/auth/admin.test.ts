import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime.js';
import { browser, signInByUsername, signUpByEmail, type Browser } from '../support/http.js';
import { createTestRuntime } from '../support/test-runtime.js';

const ADMIN = { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1' };
let runtime: Runtime;
let admin: Browser;

beforeAll(async () => {
  runtime = await createTestRuntime({ env: ADMIN });
  admin = await signInByUsername(runtime.app, 'root', 'root-password-1');
});
afterAll(async () => {
  await runtime?.close();
});

async function userIdOf(email: string): Promise<string> {
  const user = await runtime.database.db.collection('user').findOne({ email });
  return String(user!._id);
}

describe('admin plugin', () => {
  it('bootstraps the admin from ADMIN_USERNAME with the admin role', async () => {
    const session = await admin.get('/api/auth/get-session');
    expect(session.body.user).toMatchObject({ username: 'root', role: 'admin' });
  });

  it('lists, searches and paginates users', async () => {
    for (const name of ['Mia', 'Max', 'Zoe']) {
      await signUpByEmail(runtime.app, { email: `${name.toLowerCase()}@list.test`, password: 'password-123', name });
    }
    const page = await admin.get('/api/auth/admin/list-users?limit=2&offset=0&sortBy=createdAt&sortDirection=asc');
    expect(page.status).toBe(200);
    expect(page.body.users).toHaveLength(2);
    expect(page.body.total).toBeGreaterThanOrEqual(4);

    const search = await admin.get('/api/auth/admin/list-users?searchField=name&searchOperator=contains&searchValue=Ma');
    expect(search.status).toBe(200);
    expect(search.body.users.map((u: { name: string }) => u.name)).toEqual(['Max']);
  });

  it('sets a user password that the user can then sign in with', async () => {
    await signUpByEmail(runtime.app, { email: 'reset@list.test', password: 'old-password-1', name: 'Reset', username: 'resetme' });
    const set = await admin.post('/api/auth/admin/set-user-password', { userId: await userIdOf('reset@list.test'), newPassword: 'new-password-2' });
    expect(set.status).toBe(200);
    const oldRefused = await browser(runtime.app).post('/api/auth/sign-in/username', { username: 'resetme', password: 'old-password-1' });
    expect(oldRefused.status).toBe(401);
    const newAccepted = await browser(runtime.app).post('/api/auth/sign-in/username', { username: 'resetme', password: 'new-password-2' });
    expect(newAccepted.status).toBe(200);
  });

  it('gives a non-admin 403 on admin endpoints', async () => {
    const user = await signUpByEmail(runtime.app, { email: 'plain@list.test', password: 'password-123', name: 'Plain' });
    const list = await user.get('/api/auth/admin/list-users');
    expect(list.status).toBe(403);
    const setPassword = await user.post('/api/auth/admin/set-user-password', { userId: await userIdOf('reset@list.test'), newPassword: 'hijacked-123' });
    expect(setPassword.status).toBe(403);
    const anonymous = await browser(runtime.app).get('/api/auth/admin/list-users');
    expect(anonymous.status).toBe(401);
  });

  it('keeps a banned user out', async () => {
    await signUpByEmail(runtime.app, { email: 'banned@list.test', password: 'password-123', name: 'Banned' });
    const ban = await admin.post('/api/auth/admin/ban-user', { userId: await userIdOf('banned@list.test'), banReason: 'spam' });
    expect(ban.status).toBe(200);
    const signIn = await browser(runtime.app).post('/api/auth/sign-in/email', { email: 'banned@list.test', password: 'password-123' });
    expect(signIn.status).toBe(403);
    expect(signIn.body.code).toBe('BANNED_USER');
    expect(signIn.headers['set-cookie']).toBeUndefined();
  });
});
