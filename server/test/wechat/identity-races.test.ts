import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENE_COLLECTION } from '../../src/wechat/scenes/scene-store.js';
import { browser, signUpByEmail, type Browser } from '../support/http.js';
import { newWechatUser, requestQrcode, scanAndConfirm, signInByWechat, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';

/**
 * One WeChat person is one user, however their requests race: the database
 * refuses a second account for the same identity (FerretDB has no transactions,
 * so nothing else could), and the losers of a race sign in as the winner.
 */
let harness: WechatHarness;
beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'plain' });
});
afterAll(async () => {
  await harness?.close();
});

const RACERS = 8;
const accounts = () => harness.runtime.database.db.collection('account');
const users = () => harness.runtime.database.db.collection('user');

/** `count` browsers, each holding a confirmed scene of `person` (scanned one after another, as phones do). */
async function confirmedScenes(
  person: ReturnType<typeof newWechatUser>,
  count: number,
  purpose: 'login' | 'bind',
  options: { clients?: Browser[]; userInfoFails?: boolean } = {},
) {
  const prepared: { client: Browser; sceneId: string }[] = [];
  for (let index = 0; index < count; index += 1) {
    const client = options.clients?.[index] ?? browser(harness.runtime.app);
    const qrcode = await requestQrcode(client, purpose);
    // The webhook's user/info call (the only source of the unionid) fails: the scene carries the openid alone.
    if (options.userInfoFails) harness.simulator.faults.failNext(45009, 'reach max api daily quota limit');
    await scanAndConfirm(harness, qrcode, person);
    prepared.push({ client, sceneId: qrcode.sceneId });
  }
  return prepared;
}

async function wechatAccountsOf(openid: string) {
  return accounts().find({ providerId: 'wechat', wechatOpenid: openid }).toArray();
}

describe('one WeChat identity, racing requests', () => {
  it(`${RACERS} concurrent first sign-ins of one WeChat create exactly one user, and every one signs in as that user`, async () => {
    const person = newWechatUser();
    const prepared = await confirmedScenes(person, RACERS, 'login');
    const results = await Promise.all(prepared.map(({ client, sceneId }) => client.post('/api/auth/sign-in-wechat', { sceneId })));

    expect(results.map((r) => r.status), JSON.stringify(results.map((r) => r.body))).toEqual(Array(RACERS).fill(200));
    const userIds = new Set(results.map((r) => r.body.user.id as string));
    expect(userIds.size).toBe(1);
    expect(results.filter((r) => r.body.isNewUser === true)).toHaveLength(1);
    const bound = await wechatAccountsOf(person.openid);
    expect(bound).toHaveLength(1);
    expect(String(bound[0]!.userId)).toBe([...userIds][0]);
    // No orphan user of a lost race is left behind.
    expect(await users().countDocuments({ email: { $regex: `^${person.openid.toLowerCase()}` } })).toBe(1);
    for (const { client } of prepared) expect((await client.get('/api/auth/get-session')).body.user.id).toBe([...userIds][0]);

    const later = await signInByWechat(harness, person);
    expect(later.body.isNewUser).toBe(false);
    expect(later.body.user.id).toBe([...userIds][0]);
  });

  it('a person first known by unionid is the same user when WeChat gives no unionid the next time (user/info failed)', async () => {
    const person = newWechatUser({ unionid: `uRace_${Date.now().toString(36)}` });
    const first = await signInByWechat(harness, person);
    expect(first.body.isNewUser).toBe(true);
    const { client, sceneId } = (await confirmedScenes(person, 1, 'login', { userInfoFails: true }))[0]!;
    const scene = await harness.runtime.database.db.collection(SCENE_COLLECTION).findOne({ _id: sceneId as never });
    expect(scene?.unionid).toBeNull();
    const withoutUnionid = await client.post('/api/auth/sign-in-wechat', { sceneId });
    expect(withoutUnionid.status).toBe(200);
    expect(withoutUnionid.body.isNewUser).toBe(false);
    expect(withoutUnionid.body.user.id).toBe(first.body.user.id);
    expect(await wechatAccountsOf(person.openid)).toHaveLength(1);
  });

  it(`concurrent first sign-ins with and without the unionid still make one user`, async () => {
    const person = newWechatUser({ unionid: `uMix_${Date.now().toString(36)}` });
    const withUnionid = await confirmedScenes(person, RACERS / 2, 'login');
    const without = await confirmedScenes(person, RACERS / 2, 'login', { userInfoFails: true });
    const results = await Promise.all([...withUnionid, ...without].map(({ client, sceneId }) => client.post('/api/auth/sign-in-wechat', { sceneId })));
    expect(results.map((r) => r.status), JSON.stringify(results.map((r) => r.body))).toEqual(Array(RACERS).fill(200));
    expect(new Set(results.map((r) => r.body.user.id)).size).toBe(1);
    expect(await wechatAccountsOf(person.openid)).toHaveLength(1);
  });

  it(`${RACERS} different users binding one WeChat at the same moment: exactly one binds, the others get 409 WECHAT_ALREADY_BOUND`, async () => {
    const person = newWechatUser();
    const binders: Browser[] = [];
    for (let index = 0; index < RACERS; index += 1) {
      binders.push(await signUpByEmail(harness.runtime.app, { email: `binder${index}.${Date.now()}@example.com`, password: 'password-123', name: `Binder ${index}` }));
    }
    const prepared = await confirmedScenes(person, RACERS, 'bind', { clients: binders });
    const results = await Promise.all(prepared.map(({ client, sceneId }) => client.post('/api/auth/bind-wechat', { sceneId })));

    expect(results.filter((r) => r.status === 200), JSON.stringify(results.map((r) => r.body))).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).map((r) => [r.status, r.body.code])).toEqual(Array(RACERS - 1).fill([409, 'WECHAT_ALREADY_BOUND']));
    const bound = await wechatAccountsOf(person.openid);
    expect(bound).toHaveLength(1);
    const winner = prepared[results.findIndex((r) => r.status === 200)]!.client;
    expect(String(bound[0]!.userId)).toBe((await winner.get('/api/auth/get-session')).body.user.id);

    const signIn = await signInByWechat(harness, person);
    expect(signIn.body.user.id).toBe(String(bound[0]!.userId));
  });

  it('one user binding two different WeChats at the same moment ends with one of them', async () => {
    const client = await signUpByEmail(harness.runtime.app, { email: `twice.${Date.now()}@example.com`, password: 'password-123', name: 'Twice' });
    const people = Array.from({ length: RACERS }, () => newWechatUser());
    const prepared: { sceneId: string }[] = [];
    for (const person of people) prepared.push(...(await confirmedScenes(person, 1, 'bind', { clients: [client] })));
    const results = await Promise.all(prepared.map(({ sceneId }) => client.post('/api/auth/bind-wechat', { sceneId })));

    expect(results.filter((r) => r.status === 200), JSON.stringify(results.map((r) => r.body))).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).map((r) => [r.status, r.body.code])).toEqual(Array(people.length - 1).fill([409, 'USER_ALREADY_HAS_WECHAT']));
    const userId = (await client.get('/api/auth/get-session')).body.user.id as string;
    expect(await accounts().countDocuments({ providerId: 'wechat', userId: new ObjectId(userId) })).toBe(1);
  });

  it('racing first passwords of a WeChat-only user: one is set, the others get 400 PASSWORD_ALREADY_SET', async () => {
    const { client, body } = await signInByWechat(harness, newWechatUser());
    const passwords = Array.from({ length: RACERS }, (_, index) => `first-password-${index}`);
    const results = await Promise.all(passwords.map((newPassword) => client.post('/api/auth/set-first-password', { newPassword })));

    expect(results.filter((r) => r.status === 200), JSON.stringify(results.map((r) => r.body))).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).map((r) => [r.status, r.body.code])).toEqual(Array(RACERS - 1).fill([400, 'PASSWORD_ALREADY_SET']));
    expect(await accounts().countDocuments({ providerId: 'credential', userId: new ObjectId(body.user.id) })).toBe(1);
    const chosen = passwords[results.findIndex((r) => r.status === 200)]!;
    const signIn = await browser(harness.runtime.app).post('/api/auth/sign-in/email', { email: body.user.email, password: chosen });
    expect(signIn.status).toBe(200);
    expect(signIn.body.user.id).toBe(body.user.id);
  });
});
