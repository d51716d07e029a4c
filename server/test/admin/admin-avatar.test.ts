import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectId } from 'mongodb';
import { AdminUserDetailSchema, ADMIN_USER_ROUTES } from '@wechat-login/shared';
import { AVATAR_FILES_COLLECTION } from '../../src/profile/avatar-store.js';
import { RATE_LIMIT_RULES } from '../../src/rate-limit/rules.js';
import { auditEvents } from '../audit/audit-support.js';
import { browser, signInByUsername, signUpByEmail, type Browser } from '../support/http.js';
import { NOT_IMAGES, solidPng, TINY_GIF, TINY_JPEG } from '../support/images.js';
import { createTestRuntime, TEST_BASE_URL } from '../support/test-runtime.js';
import { newWechatUser, signInByWechat, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';

/** Small, so "too large" costs nothing to send. */
const MAX_BYTES = 8192;

let harness: WechatHarness;
let admin: Browser;
let adminId: string;
let member: Browser;
let memberId: string;
let wechatUserId: string;

beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'plain', env: { AVATAR_MAX_BYTES: String(MAX_BYTES), ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1' } });
  admin = await signInByUsername(harness.runtime.app, 'root', 'root-password-1');
  adminId = (await admin.get('/api/auth/get-session')).body.user.id;
  member = await signUpByEmail(harness.runtime.app, { email: 'member@example.com', password: 'password-123', name: 'Member' });
  memberId = (await member.get('/api/auth/get-session')).body.user.id;
  wechatUserId = (await signInByWechat(harness, newWechatUser())).body.user.id;
});
afterAll(async () => {
  await harness?.close();
});

const avatarPath = (userId: string) => `/api/v1/admin${ADMIN_USER_ROUTES.avatar(userId)}`;
const put = (client: Browser, userId: string, body: Buffer, contentType: string, origin: string | null = TEST_BASE_URL) => {
  let req = client.agent.put(avatarPath(userId)).set('Content-Type', contentType);
  if (origin !== null) req = req.set('Origin', origin);
  return req.send(body);
};
const remove = (client: Browser, userId: string, origin: string | null = TEST_BASE_URL) => {
  const req = client.agent.delete(avatarPath(userId));
  return origin === null ? req : req.set('Origin', origin);
};
const filesOf = (userId: string) => harness.runtime.database.db.collection(AVATAR_FILES_COLLECTION).find({ 'metadata.userId': userId }).toArray();
const imageOf = async (userId: string) => AdminUserDetailSchema.parse((await admin.get(`/api/v1/admin/users/${userId}`)).body.data).image;
const pathOf = (image: string) => new URL(image).pathname;

function expectError(res: { status: number; body: unknown }, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ success: false, error: expect.objectContaining({ code, message: expect.any(String) }) });
}

describe('an admin replaces and removes a user\'s avatar', () => {
  it('stores the upload as the user\'s own would be, answers the detail, and deletes the picture it replaces', async () => {
    const png = solidPng(6, 6, [10, 120, 200]);
    const first = await put(admin, wechatUserId, png, 'image/png');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const detail = AdminUserDetailSchema.parse(first.body.data);
    expect(detail.id).toBe(wechatUserId);
    expect(detail.image).toMatch(new RegExp(`^${harness.baseUrl}/api/v1/pub/avatars/[0-9a-f]{24}$`));
    // The user did not choose it: the welcome page still asks them for a name or picture.
    expect(detail.profileCompletedAt).toBeNull();
    const served = await request(harness.runtime.app).get(pathOf(detail.image!)).buffer(true);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');

    // What the bytes are decides the type, whatever the label said.
    const second = AdminUserDetailSchema.parse((await put(admin, wechatUserId, TINY_JPEG, 'image/png')).body.data);
    expect(second.image).not.toBe(detail.image);
    expect((await request(harness.runtime.app).get(pathOf(second.image!))).headers['content-type']).toBe('image/jpeg');
    expectError(await request(harness.runtime.app).get(pathOf(detail.image!)), 404, 'AVATAR_NOT_FOUND');
    expect((await filesOf(wechatUserId)).map((file) => file._id.toHexString())).toEqual([pathOf(second.image!).split('/').at(-1)]);
  });

  it('removes an uploaded picture: the user has none and its file is gone', async () => {
    const image = AdminUserDetailSchema.parse((await put(admin, memberId, TINY_GIF, 'image/gif')).body.data).image!;
    const removed = await remove(admin, memberId);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(AdminUserDetailSchema.parse(removed.body.data).image).toBeNull();
    expect(await filesOf(memberId)).toEqual([]);
    expectError(await request(harness.runtime.app).get(pathOf(image)), 404, 'AVATAR_NOT_FOUND');
    expect((await member.get('/api/auth/get-session')).body.user.image).toBeNull();
    // Removing again is no error: there is nothing left to remove.
    expect((await remove(admin, memberId)).status).toBe(200);
  });

  it('clears a WeChat picture URL without touching any stored file', async () => {
    const users = harness.runtime.database.db.collection('user');
    await users.updateOne({ _id: new ObjectId(memberId) }, { $set: { image: 'https://thirdwx.qlogo.cn/mmopen/abc/132' } });
    const othersFiles = (await filesOf(wechatUserId)).length;
    const removed = await remove(admin, memberId);
    expect(AdminUserDetailSchema.parse(removed.body.data).image).toBeNull();
    expect((await filesOf(wechatUserId)).length).toBe(othersFiles);
  });

  it.each([
    ['an SVG', NOT_IMAGES.svg, 'image/svg+xml'],
    ['an SVG labelled image/png', NOT_IMAGES.svg, 'image/png'],
    ['an HTML page labelled image/png', NOT_IMAGES.html, 'image/png'],
    ['a PDF labelled image/jpeg', NOT_IMAGES.pdf, 'image/jpeg'],
    ['a PNG labelled text/html', solidPng(2, 2, [1, 2, 3]), 'text/html'],
    ['a PNG sent as JSON', solidPng(2, 2, [1, 2, 3]), 'application/json'],
  ])('refuses %s with 415 and keeps the current picture', async (_kind, bytes, contentType) => {
    const before = await imageOf(wechatUserId);
    expectError(await put(admin, wechatUserId, bytes, contentType), 415, 'UNSUPPORTED_AVATAR_TYPE');
    expect(await imageOf(wechatUserId)).toBe(before);
  });

  it('refuses an upload over AVATAR_MAX_BYTES with 413 and an empty one with 400', async () => {
    const png = solidPng(1, 1, [0, 0, 0]);
    const tooLarge = Buffer.concat([png, Buffer.alloc(MAX_BYTES + 1 - png.length)]);
    const refused = await put(admin, wechatUserId, tooLarge, 'image/png');
    expectError(refused, 413, 'AVATAR_TOO_LARGE');
    expect(refused.body.error.details).toEqual({ maxBytes: MAX_BYTES });
    expectError(await put(admin, wechatUserId, Buffer.alloc(0), 'image/png'), 400, 'EMPTY_AVATAR');
  });

  it('answers 404 for unknown and malformed user ids, leaving no file behind', async () => {
    const before = await harness.runtime.database.db.collection(AVATAR_FILES_COLLECTION).countDocuments();
    for (const id of [new ObjectId().toHexString(), 'nope', '{"$ne":1}']) {
      expectError(await put(admin, id, TINY_GIF, 'image/gif'), 404, 'USER_NOT_FOUND');
      expectError(await remove(admin, id), 404, 'USER_NOT_FOUND');
    }
    expect(await harness.runtime.database.db.collection(AVATAR_FILES_COLLECTION).countDocuments()).toBe(before);
  });

  it('is for admins only: 403 for a user (even on their own id), 401 without a session', async () => {
    const before = await imageOf(wechatUserId);
    expectError(await put(member, wechatUserId, TINY_GIF, 'image/gif'), 403, 'FORBIDDEN');
    expectError(await put(member, memberId, TINY_GIF, 'image/gif'), 403, 'FORBIDDEN');
    expectError(await remove(member, wechatUserId), 403, 'FORBIDDEN');
    expectError(await put(browser(harness.runtime.app), wechatUserId, TINY_GIF, 'image/gif'), 401, 'UNAUTHORIZED');
    expect(await imageOf(wechatUserId)).toBe(before);
  });

  it('refuses an admin\'s cookie sent from another origin, or from no origin at all', async () => {
    const before = await imageOf(wechatUserId);
    expectError(await put(admin, wechatUserId, TINY_GIF, 'image/gif', 'https://evil.example'), 403, 'INVALID_ORIGIN');
    expectError(await put(admin, wechatUserId, TINY_GIF, 'image/gif', null), 403, 'MISSING_OR_NULL_ORIGIN');
    expectError(await remove(admin, wechatUserId, 'https://evil.example'), 403, 'INVALID_ORIGIN');
    expect(await imageOf(wechatUserId)).toBe(before);
  });

  it('records each change as an admin action, the refusals with their code', async () => {
    const replaced = await auditEvents(harness.runtime, { type: 'admin.avatar-replaced', userId: wechatUserId });
    expect(replaced.filter((event) => event.outcome === 'success')).toHaveLength(2);
    expect(replaced[0]).toMatchObject({ actorId: adminId, outcome: 'success' });
    expect(replaced.map((event) => event.details.code).filter(Boolean)).toEqual(expect.arrayContaining(['UNSUPPORTED_AVATAR_TYPE', 'AVATAR_TOO_LARGE', 'EMPTY_AVATAR']));
    const removed = await auditEvents(harness.runtime, { type: 'admin.avatar-removed', userId: memberId });
    expect(removed.map((event) => event.outcome)).toEqual(['success', 'success', 'success']);
    expect(removed.every((event) => event.actorId === adminId)).toBe(true);
    // A non-admin's attempt is refused before it is anyone's action.
    expect(await auditEvents(harness.runtime, { type: { $in: ['admin.avatar-replaced', 'admin.avatar-removed'] }, actorId: memberId })).toEqual([]);
  });
});

describe('admin avatar rate limit', () => {
  it('draws on the upload budget per client, 429 past it', async () => {
    const runtime = await createTestRuntime({ env: { RATE_LIMIT_ENABLED: 'true', ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1' } });
    try {
      const root = await signInByUsername(runtime.app, 'root', 'root-password-1');
      const rootId = (await root.get('/api/auth/get-session')).body.user.id as string;
      const statuses: number[] = [];
      for (let i = 0; i <= RATE_LIMIT_RULES.avatarUpload.max; i += 1) {
        statuses.push((await root.agent.put(avatarPath(rootId)).set('Origin', TEST_BASE_URL).set('Content-Type', 'image/gif').send(TINY_GIF)).status);
      }
      expect(statuses.slice(0, -1).every((status) => status === 200)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await runtime.close();
    }
  });
});
