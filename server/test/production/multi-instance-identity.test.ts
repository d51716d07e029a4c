import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserOn, replyOnInstance, startTwoInstances, type TwoInstances } from '../support/two-instances.js';
import { newWechatUser } from '../support/wechat-harness.js';

/**
 * Two server processes on one database: in-process locks cannot help here, only the database's
 * unique indexes can keep one WeChat person one user when their first sign-ins race on both.
 */
let cluster: TwoInstances;
const RACERS = 8;

beforeAll(async () => {
  let webhookTurn = 0;
  // The load balancer spreads WeChat's pushes over both instances.
  cluster = await startTwoInstances({ mode: 'safe', dbPrefix: 'multiid', webhookTarget: () => ((webhookTurn += 1) % 2 === 0 ? cluster.a : cluster.b) });
}, 120_000);

afterAll(async () => {
  await cluster?.close();
});

describe('one WeChat identity across two instances', () => {
  it(`${RACERS} first sign-ins of one new WeChat, racing on two instances, make one user`, async () => {
    const person = newWechatUser();
    const prepared: { client: ReturnType<typeof browserOn>; sceneId: string }[] = [];
    for (let index = 0; index < RACERS; index += 1) {
      const instance = index % 2 === 0 ? cluster.a : cluster.b;
      const client = browserOn(() => instance);
      const qrcode = ((await (await client.get('/api/v1/pub/mp/get-qrcode')).json()) as { data: { sceneId: string; qrcodeContent: string } }).data;
      const push = await cluster.simulator.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user: person });
      // The confirmation link names the public URL; send the phone to this browser's instance.
      expect((await cluster.simulator.simulator.phone.answerConfirmation(replyOnInstance(push.reply, instance), 'confirm')).outcome).toBe('confirmed');
      prepared.push({ client, sceneId: qrcode.sceneId });
    }

    const responses = await Promise.all(prepared.map(({ client, sceneId }) => client.post('/api/auth/sign-in-wechat', { sceneId })));
    const bodies = (await Promise.all(responses.map((res) => res.json()))) as Array<{ user: { id: string }; isNewUser: boolean }>;
    expect(responses.map((res) => res.status), JSON.stringify(bodies)).toEqual(Array(RACERS).fill(200));
    expect(new Set(bodies.map((body) => body.user.id)).size).toBe(1);
    expect(bodies.filter((body) => body.isNewUser)).toHaveLength(1);

    const db = cluster.mongo.db(cluster.dbName);
    const accounts = await db.collection('account').find({ providerId: 'wechat', wechatOpenid: person.openid }).toArray();
    expect(accounts.map((account) => String(account.userId))).toEqual([bodies[0]!.user.id]);
    expect(await db.collection('user').countDocuments({ email: { $regex: `^${person.openid.toLowerCase()}` } })).toBe(1);
  });
});
