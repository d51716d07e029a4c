import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectId } from 'mongodb';
import { browser, signInByUsername, signUpByEmail, type Browser } from '../support/http.js';
import { TINY_GIF } from '../support/images.js';
import { TEST_BASE_URL } from '../support/test-runtime.js';
import { newWechatUser, signInByWechat, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';
import { auditEvents, postAs, uniqueUserAgent } from '../audit/audit-support.js';

/**
 * What a request may write into a user's email and image, tried as an attacker would: the
 * placeholder domain of WeChat sign-ups in every spelling that means the same domain, and
 * pictures that are scripts, other hosts, or WeChat's hosts in disguise.
 */
let harness: WechatHarness;
let admin: Browser;
let counter = 0;
const uniqueEmail = (label: string) => `${label}.${Date.now().toString(36)}.${(counter += 1)}@example.com`;

beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'plain', env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1' } });
  admin = await signInByUsername(harness.runtime.app, 'root', 'root-password-1');
});
afterAll(async () => {
  await harness?.close();
});

const users = () => harness.runtime.database.db.collection('user');
const ownAvatarUrl = (id: string) => `${harness.baseUrl}/api/v1/pub/avatars/${id}`;

const PLACEHOLDER_SPELLINGS = ['mallory@wechat.placeholder', 'Mallory@WECHAT.Placeholder', 'mallory@wechat.placeholder.'];

const REFUSED_IMAGES = [
  'javascript:alert(document.cookie)',
  'JaVaScRiPt:alert(1)',
  'data:image/svg+xml;base64,PHN2Zy8+',
  'https://evil.example.com/pixel.gif',
  'http://thirdwx.qlogo.cn/mmopen/vi_32/abc/132',
  'https://thirdwx.qlogo.cn.evil.com/mmopen/abc/132',
  'https://wx.qlogo.cn@evil.com/mmopen/abc/132',
  'https://user:pass@wx.qlogo.cn/mmopen/abc/132',
  'https://thirdwx.qlogo.cn:8443/mmopen/abc/132',
  'https://THIRDWX.QLOGO.CN/mmopen/abc/132',
  'https://thirdwx.qlogo.cn/mmopen/abc\n/132',
  '//thirdwx.qlogo.cn/mmopen/abc/132',
  'https://evilqlogo.cn/x',
  '/api/v1/pub/avatars/0123456789abcdef01234567',
];
const ownAvatarTricks = () => [
  `${ownAvatarUrl('0123456789abcdef01234567')}?next=https://evil.example.com`,
  `${ownAvatarUrl('0123456789abcdef01234567')}/../../../../evil`,
  `${harness.baseUrl}/api/v1/pub/avatars/../../../evil`,
  `${harness.baseUrl}/api/v1/pub/avatars/not-an-id`,
  `${harness.baseUrl}.evil.com/api/v1/pub/avatars/0123456789abcdef01234567`,
];
const ACCEPTED_IMAGES = ['https://thirdwx.qlogo.cn/mmopen/vi_32/Q0j4TwGTfTK/132', 'https://wx.qlogo.cn/mmhead/abc/0', 'https://mmbiz.qpic.cn/mmbiz_png/abc/0?wx_fmt=png'];

describe('the placeholder email domain of WeChat sign-ups', () => {
  it('is refused for email sign-up in every spelling of the domain, and no user is made', async () => {
    for (const email of PLACEHOLDER_SPELLINGS) {
      const res = await browser(harness.runtime.app).post('/api/auth/sign-up/email', { email, password: 'password-123', name: 'Mallory' });
      expect([res.status, res.body.code], email).toEqual([400, 'PLACEHOLDER_EMAIL_DOMAIN']);
    }
    expect(await users().countDocuments({ name: 'Mallory' })).toBe(0);
  });

  it('answers the same for the address of an existing WeChat user, so sign-up does not tell who exists', async () => {
    const { body } = await signInByWechat(harness, newWechatUser());
    const res = await browser(harness.runtime.app).post('/api/auth/sign-up/email', { email: body.user.email, password: 'password-123', name: 'Prober' });
    expect([res.status, res.body.code]).toEqual([400, 'PLACEHOLDER_EMAIL_DOMAIN']);
  });

  it('leaves other domains alone, even ones that contain it', async () => {
    for (const email of [uniqueEmail('fine'), `sub.${Date.now()}@mail.wechat.placeholder`, `x${Date.now()}@wechat.placeholder.example.com`]) {
      const res = await browser(harness.runtime.app).post('/api/auth/sign-up/email', { email, password: 'password-123', name: 'Fine' });
      expect(res.status, email).toBe(200);
    }
  });

  it('is refused for change-email, and the address stays', async () => {
    const email = uniqueEmail('changer');
    const client = await signUpByEmail(harness.runtime.app, { email, password: 'password-123', name: 'Changer' });
    for (const newEmail of PLACEHOLDER_SPELLINGS) {
      const res = await client.post('/api/auth/change-email', { newEmail });
      // change-email's own check already refuses the trailing dot as no address.
      expect([res.status, res.body.code], newEmail).toEqual([400, newEmail.endsWith('.') ? 'VALIDATION_ERROR' : 'PLACEHOLDER_EMAIL_DOMAIN']);
    }
    expect((await client.get('/api/auth/get-session')).body.user.email).toBe(email);
  });

  it('is refused for an admin creating or updating a user, but re-saving a WeChat user\'s own address works', async () => {
    const created = await admin.post('/api/auth/admin/create-user', { email: 'made@WeChat.placeholder', password: 'password-123', name: 'Made' });
    expect([created.status, created.body.code]).toEqual([400, 'PLACEHOLDER_EMAIL_DOMAIN']);
    expect(await users().countDocuments({ name: 'Made' })).toBe(0);

    const target = await signUpByEmail(harness.runtime.app, { email: uniqueEmail('target'), password: 'password-123', name: 'Target' });
    const targetId = (await target.get('/api/auth/get-session')).body.user.id as string;
    const userAgent = uniqueUserAgent('placeholder update');
    const updated = await postAs(admin, userAgent, '/api/auth/admin/update-user', { userId: targetId, data: { email: 'target@wechat.placeholder' } });
    expect([updated.status, updated.body.code]).toEqual([400, 'PLACEHOLDER_EMAIL_DOMAIN']);
    // The refusal is the endpoint's own answer, so the audit trail has it.
    expect(await auditEvents(harness.runtime, { userAgent })).toMatchObject([{ type: 'admin.user-updated', outcome: 'failure', details: { code: 'PLACEHOLDER_EMAIL_DOMAIN' } }]);

    const wechatUser = (await signInByWechat(harness, newWechatUser())).body.user;
    const resaved = await admin.post('/api/auth/admin/update-user', { userId: wechatUser.id, data: { name: 'Renamed', email: wechatUser.email } });
    expect(resaved.status, JSON.stringify(resaved.body)).toBe(200);
    expect(resaved.body.name).toBe('Renamed');
    // Another WeChat user's placeholder is not "unchanged" for this one.
    const other = (await signInByWechat(harness, newWechatUser())).body.user;
    const taken = await admin.post('/api/auth/admin/update-user', { userId: other.id, data: { email: `other${Date.now()}@wechat.placeholder` } });
    expect([taken.status, taken.body.code]).toEqual([400, 'PLACEHOLDER_EMAIL_DOMAIN']);
  });
});

describe('the user image', () => {
  it('refuses scripts, other hosts and WeChat hosts in disguise through update-user, and keeps the old picture', async () => {
    const client = await signUpByEmail(harness.runtime.app, { email: uniqueEmail('pic'), password: 'password-123', name: 'Pic' });
    expect((await client.post('/api/auth/update-user', { image: ACCEPTED_IMAGES[0] })).status).toBe(200);
    for (const image of [...REFUSED_IMAGES, ...ownAvatarTricks()]) {
      const res = await client.post('/api/auth/update-user', { image });
      expect([res.status, res.body.code], image).toEqual([400, 'INVALID_IMAGE_URL']);
    }
    expect((await client.get('/api/auth/get-session')).body.user.image).toBe(ACCEPTED_IMAGES[0]);
  });

  it('accepts WeChat\'s https image hosts, our own avatar URLs, and nothing', async () => {
    const client = await signUpByEmail(harness.runtime.app, { email: uniqueEmail('ok'), password: 'password-123', name: 'Ok' });
    for (const image of [...ACCEPTED_IMAGES, ownAvatarUrl(new ObjectId().toHexString()), null, '']) {
      const res = await client.post('/api/auth/update-user', { image });
      expect(res.status, `${String(image)}: ${JSON.stringify(res.body)}`).toBe(200);
    }
  });

  it('still takes an uploaded avatar, whose URL the user may send back unchanged', async () => {
    const { client } = await signInByWechat(harness, newWechatUser());
    const upload = await client.agent.put('/api/v1/me/avatar').set('Origin', TEST_BASE_URL).set('Content-Type', 'image/gif').send(TINY_GIF);
    expect(upload.status, JSON.stringify(upload.body)).toBe(200);
    const image = upload.body.data.image as string;
    expect(image.startsWith(`${harness.baseUrl}/api/v1/pub/avatars/`)).toBe(true);
    expect((await client.post('/api/auth/update-user', { image, name: 'Same picture' })).status).toBe(200);
  });

  it('refuses a bad image at email sign-up, with no user made', async () => {
    const email = uniqueEmail('signup-pic');
    const res = await browser(harness.runtime.app).post('/api/auth/sign-up/email', { email, password: 'password-123', name: 'Pixel', image: 'javascript:alert(1)' });
    expect([res.status, res.body.code]).toEqual([400, 'INVALID_IMAGE_URL']);
    expect(await users().countDocuments({ email })).toBe(0);
  });

  it('refuses a bad image from an admin, except the picture the user already has', async () => {
    const created = await admin.post('/api/auth/admin/create-user', { email: uniqueEmail('made'), password: 'password-123', name: 'Made', data: { image: 'https://evil.example.com/x.png' } });
    expect([created.status, created.body.code]).toEqual([400, 'INVALID_IMAGE_URL']);

    const target = await signUpByEmail(harness.runtime.app, { email: uniqueEmail('legacy'), password: 'password-123', name: 'Legacy' });
    const targetId = (await target.get('/api/auth/get-session')).body.user.id as string;
    for (const image of ['javascript:alert(1)', 'https://evil.example.com/x.png', 42, { $ne: null }]) {
      const res = await admin.post('/api/auth/admin/update-user', { userId: targetId, data: { image } });
      expect([res.status, res.body.code], JSON.stringify(image)).toEqual([400, 'INVALID_IMAGE_URL']);
    }
    // A picture stored before these rules (an admin form re-sends it with every save) still saves.
    const legacy = 'https://cdn.example.com/legacy.png';
    await users().updateOne({ _id: new ObjectId(targetId) }, { $set: { image: legacy } });
    const resaved = await admin.post('/api/auth/admin/update-user', { userId: targetId, data: { name: 'Legacy 2', image: legacy } });
    expect(resaved.status, JSON.stringify(resaved.body)).toBe(200);
    expect((await admin.post('/api/auth/admin/update-user', { userId: targetId, data: { image: ACCEPTED_IMAGES[1] } })).status).toBe(200);
  });
});

describe('the user name', () => {
  const REFUSED_NAMES = ['\u202Eresu', 'Line\nbreak', 'Nul\u0000', 'x'.repeat(41), 'x'.repeat(10_240), '   ', ''];

  it('follows the profile rule through update-user (the account page) and sign-up, and is stored trimmed', async () => {
    const client = await signUpByEmail(harness.runtime.app, { email: uniqueEmail('named'), password: 'password-123', name: 'Named' });
    for (const name of REFUSED_NAMES) {
      const res = await client.post('/api/auth/update-user', { name });
      expect([res.status, res.body.code], JSON.stringify(name.slice(0, 20))).toEqual([400, 'INVALID_NAME']);
    }
    expect((await client.post('/api/auth/update-user', { name: '  小明 Ming  ' })).status).toBe(200);
    expect((await client.get('/api/auth/get-session')).body.user.name).toBe('小明 Ming');

    const padded = await signUpByEmail(harness.runtime.app, { email: uniqueEmail('padded'), password: 'password-123', name: '  Padded  ' });
    expect((await padded.get('/api/auth/get-session')).body.user.name).toBe('Padded');

    const email = uniqueEmail('rtl');
    const signUp = await browser(harness.runtime.app).post('/api/auth/sign-up/email', { email, password: 'password-123', name: '\u202Enimda' });
    expect([signUp.status, signUp.body.code]).toEqual([400, 'INVALID_NAME']);
    expect(await users().countDocuments({ email })).toBe(0);
  });

  it('refuses a bad name from an admin, except the name the user already has', async () => {
    const target = await signUpByEmail(harness.runtime.app, { email: uniqueEmail('admin-named'), password: 'password-123', name: 'Admin Named' });
    const targetId = (await target.get('/api/auth/get-session')).body.user.id as string;
    const refused = await admin.post('/api/auth/admin/update-user', { userId: targetId, data: { name: '\u202Eresu' } });
    expect([refused.status, refused.body.code]).toEqual([400, 'INVALID_NAME']);
    const created = await admin.post('/api/auth/admin/create-user', { email: uniqueEmail('made-named'), password: 'password-123', name: 'x'.repeat(41) });
    expect([created.status, created.body.code]).toEqual([400, 'INVALID_NAME']);

    const legacy = 'A name stored before the rule, longer than forty characters';
    await users().updateOne({ _id: new ObjectId(targetId) }, { $set: { name: legacy } });
    const resaved = await admin.post('/api/auth/admin/update-user', { userId: targetId, data: { name: legacy, image: null } });
    expect(resaved.status, JSON.stringify(resaved.body)).toBe(200);
  });
});
