import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { startWechatSimulatorServer } from '../../src/simulator/server.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { TEST_BASE_URL, uniqueDbName } from '../support/test-runtime.js';
import { newWechatUser, TEST_WECHAT } from '../support/wechat-harness.js';

/**
 * Two server processes on one database: in-process locks cannot help here, only the database's
 * unique indexes can keep one WeChat person one user when their first sign-ins race on both.
 */
type Simulator = Awaited<ReturnType<typeof startWechatSimulatorServer>>;

let simulator: Simulator;
let instances: ServerProcess[] = [];
let mongo: MongoClient;
const dbName = uniqueDbName('multiid');
const RACERS = 8;

beforeAll(async () => {
  let webhookTurn = 0;
  // The load balancer spreads WeChat's pushes over both instances.
  simulator = await startWechatSimulatorServer({
    ...TEST_WECHAT,
    messageMode: 'safe',
    webhookUrl: () => `${instances[(webhookTurn += 1) % instances.length]!.url}/api/v1/pub/mp/webhook`,
  });
  const uri = new URL(inject('mongoUri'));
  uri.pathname = `/${dbName}`;
  const env = {
    MONGODB_URI: uri.toString(),
    WECHAT_MP_APPID: TEST_WECHAT.appId,
    WECHAT_MP_SECRET: TEST_WECHAT.appSecret,
    WECHAT_MP_TOKEN: TEST_WECHAT.token,
    WECHAT_MP_ENCODING_AES_KEY: TEST_WECHAT.encodingAESKey,
    WECHAT_MP_API_BASE: simulator.url,
  };
  instances = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  mongo = await MongoClient.connect(inject('mongoUri'));
}, 120_000);

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.kill()));
  await simulator?.close();
  await mongo?.close();
});

/** A browser talking to one instance, keeping the cookies it is given. */
function browserOn(instance: ServerProcess) {
  const cookies = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [name, ...value] = line.split(';')[0]!.split('=');
      cookies.set(name!, value.join('='));
    }
    return res;
  };
  const headers = () => ({ cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '), origin: TEST_BASE_URL, 'content-type': 'application/json' });
  return {
    get: (path: string) => fetch(`${instance.url}${path}`, { headers: headers() }).then(remember),
    post: (path: string, body: object) => fetch(`${instance.url}${path}`, { method: 'POST', headers: headers(), body: JSON.stringify(body) }).then(remember),
  };
}

describe('one WeChat identity across two instances', () => {
  it(`${RACERS} first sign-ins of one new WeChat, racing on two instances, make one user`, async () => {
    const person = newWechatUser();
    const prepared: { client: ReturnType<typeof browserOn>; sceneId: string }[] = [];
    for (let index = 0; index < RACERS; index += 1) {
      const instance = instances[index % instances.length]!;
      const client = browserOn(instance);
      const qrcode = ((await (await client.get('/api/v1/pub/mp/get-qrcode')).json()) as { data: { sceneId: string; qrcodeContent: string } }).data;
      const push = await simulator.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user: person });
      // The confirmation link names the public URL; send the phone to this browser's instance.
      const reply = push.reply && { ...push.reply, Content: (push.reply.Content ?? '').replaceAll(TEST_BASE_URL, instance.url) };
      expect((await simulator.simulator.phone.answerConfirmation(reply, 'confirm')).outcome).toBe('confirmed');
      prepared.push({ client, sceneId: qrcode.sceneId });
    }

    const responses = await Promise.all(prepared.map(({ client, sceneId }) => client.post('/api/auth/sign-in-wechat', { sceneId })));
    const bodies = (await Promise.all(responses.map((res) => res.json()))) as Array<{ user: { id: string }; isNewUser: boolean }>;
    expect(responses.map((res) => res.status), JSON.stringify(bodies)).toEqual(Array(RACERS).fill(200));
    expect(new Set(bodies.map((body) => body.user.id)).size).toBe(1);
    expect(bodies.filter((body) => body.isNewUser)).toHaveLength(1);

    const db = mongo.db(dbName);
    const accounts = await db.collection('account').find({ providerId: 'wechat', wechatOpenid: person.openid }).toArray();
    expect(accounts.map((account) => String(account.userId))).toEqual([bodies[0]!.user.id]);
    expect(await db.collection('user').countDocuments({ email: { $regex: `^${person.openid.toLowerCase()}` } })).toBe(1);
  });
});
