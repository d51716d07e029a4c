import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminUserDetailSchema, AdminUserSchema, OwnProfileSchema } from '@wechat-login/shared';
import { AVATAR_FILES_COLLECTION } from '../../src/profile/avatar-store.js';
import { browser, signInByUsername, signUpByEmail, type Browser } from '../support/http.js';
import { TINY_GIF } from '../support/images.js';
import { TEST_BASE_URL } from '../support/test-runtime.js';
import { newWechatUser, signInByWechat, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';

let harness: WechatHarness;
let admin: Browser;

beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'plain', env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1' } });
  admin = await signInByUsername(harness.runtime.app, 'root', 'root-password-1');
});
afterAll(async () => {
  await harness?.close();
});

async function newWechatSignUp(): Promise<{ client: Browser; id: string; name: string }> {
  const { client, body } = await signInByWechat(harness, newWechatUser());
  expect(body.isNewUser).toBe(true);
  return { client, id: body.user.id, name: body.user.name };
}

const ownProfile = async (client: Browser) => OwnProfileSchema.parse((await client.get('/api/v1/me/profile')).body.data);
const complete = (client: Browser, body: object) => client.post('/api/v1/me/profile', body);
const incompleteIds = async () =>
  ((await admin.get('/api/v1/admin/users?profileCompleted=false&limit=100')).body.data.items as unknown[]).map((item) => AdminUserSchema.parse(item).id);

describe('profile completion', () => {
  it('starts incomplete for a WeChat sign-up and complete for people who typed a name', async () => {
    const wechat = await newWechatSignUp();
    const profile = await ownProfile(wechat.client);
    expect(profile).toMatchObject({ name: wechat.name, image: null, profileCompletedAt: null });
    expect(profile.name).toMatch(/^WeChat user /);
    expect(profile.avatarRules).toEqual({ maxBytes: 1024 * 1024, contentTypes: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] });

    const emailUser = await signUpByEmail(harness.runtime.app, { email: 'ann@example.com', password: 'password-123', name: 'Ann' });
    expect((await ownProfile(emailUser)).profileCompletedAt).toBeInstanceOf(Date);
    expect((await ownProfile(admin)).profileCompletedAt).toBeInstanceOf(Date);
  });

  it('sets the chosen name and the completion time, and the admin filter stops listing the user', async () => {
    const wechat = await newWechatSignUp();
    const other = await newWechatSignUp();
    expect(await incompleteIds()).toEqual(expect.arrayContaining([wechat.id, other.id]));

    const before = Date.now();
    const res = await complete(wechat.client, { name: '  小明 Ming  ' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const profile = OwnProfileSchema.parse(res.body.data);
    expect(profile.name).toBe('小明 Ming');
    expect(profile.profileCompletedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await wechat.client.get('/api/auth/get-session')).body.user.name).toBe('小明 Ming');

    const incomplete = await incompleteIds();
    expect(incomplete).toContain(other.id);
    expect(incomplete).not.toContain(wechat.id);
    const completeIds = ((await admin.get('/api/v1/admin/users?profileCompleted=true&limit=100')).body.data.items as { id: string }[]).map((u) => u.id);
    expect(completeIds).toContain(wechat.id);
    expect(completeIds).not.toContain(other.id);

    const detail = AdminUserDetailSchema.parse((await admin.get(`/api/v1/admin/users/${wechat.id}`)).body.data);
    expect(detail.profileCompletedAt).toBeInstanceOf(Date);
    expect(AdminUserDetailSchema.parse((await admin.get(`/api/v1/admin/users/${other.id}`)).body.data).profileCompletedAt).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['41 characters', 'a'.repeat(41)],
    ['a control character', 'Ming\u0007'],
    ['a newline', 'Ming\nAdmin'],
    ['a right-to-left override', '\u202Enimda'],
    ['not a string', 42],
    ['an operator', { $ne: null }],
  ])('refuses a name that is %s', async (_kind, name) => {
    const wechat = await newWechatSignUp();
    const res = await complete(wechat.client, { name });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ success: false, error: expect.objectContaining({ code: 'INVALID_PROFILE', message: expect.any(String) }) });
    expect((await ownProfile(wechat.client)).profileCompletedAt).toBeNull();
  });

  it('counts characters, not bytes: 40 Chinese characters fit', async () => {
    const wechat = await newWechatSignUp();
    const name = '微'.repeat(40);
    expect((await complete(wechat.client, { name })).status).toBe(200);
    expect((await ownProfile(wechat.client)).name).toBe(name);
  });

  it('completes with an avatar alone, but not with nothing chosen', async () => {
    const wechat = await newWechatSignUp();
    const nothing = await complete(wechat.client, {});
    expect(nothing.status).toBe(400);
    expect(nothing.body.error.code).toBe('INVALID_PROFILE');

    const uploaded = await wechat.client.agent.put('/api/v1/me/avatar').set('Origin', TEST_BASE_URL).set('Content-Type', 'image/gif').send(TINY_GIF);
    expect(uploaded.status).toBe(200);
    const res = await complete(wechat.client, {});
    expect(res.status).toBe(200);
    expect(OwnProfileSchema.parse(res.body.data)).toMatchObject({ name: wechat.name, image: expect.stringContaining('/api/v1/pub/avatars/') });
  });

  it('deletes a removed user\'s avatars with them', async () => {
    const wechat = await newWechatSignUp();
    await wechat.client.agent.put('/api/v1/me/avatar').set('Origin', TEST_BASE_URL).set('Content-Type', 'image/gif').send(TINY_GIF);
    const files = harness.runtime.database.db.collection(AVATAR_FILES_COLLECTION);
    expect(await files.countDocuments({ 'metadata.userId': wechat.id })).toBe(1);

    expect((await admin.post('/api/auth/admin/remove-user', { userId: wechat.id })).status).toBe(200);
    await expect.poll(() => files.countDocuments({ 'metadata.userId': wechat.id })).toBe(0);
  });

  it('cannot be marked complete through better-auth\'s update-user', async () => {
    const wechat = await newWechatSignUp();
    const res = await wechat.client.post('/api/auth/update-user', { profileCompletedAt: new Date().toISOString() });
    expect(res.status).toBe(400);
    expect((await ownProfile(wechat.client)).profileCompletedAt).toBeNull();
  });

  it('refuses a cross-origin POST, and answers 401 when signed out', async () => {
    const wechat = await newWechatSignUp();
    const crossOrigin = await wechat.client.agent.post('/api/v1/me/profile').set('Origin', 'https://evil.example').send({ name: 'Pwned' });
    expect(crossOrigin.status).toBe(403);
    expect(crossOrigin.body.error.code).toBe('INVALID_ORIGIN');
    // A form posted from another site says where it came from in Referer only.
    const fromReferer = await wechat.client.agent.post('/api/v1/me/profile').set('Referer', 'https://evil.example/page').send({ name: 'Pwned' });
    expect(fromReferer.status).toBe(403);
    expect((await ownProfile(wechat.client)).name).toBe(wechat.name);

    const signedOut = browser(harness.runtime.app);
    expect((await signedOut.post('/api/v1/me/profile', { name: 'Nobody' })).status).toBe(401);
    expect((await signedOut.get('/api/v1/me/profile')).status).toBe(401);
  });
});
