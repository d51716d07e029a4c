import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { startWechatSimulatorServer } from '../../src/simulator/server.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { TEST_BASE_URL, uniqueDbName } from '../support/test-runtime.js';
import { newWechatUser, TEST_WECHAT } from '../support/wechat-harness.js';

type Simulator = Awaited<ReturnType<typeof startWechatSimulatorServer>>;

let simulator: Simulator;
let a: ServerProcess;
let b: ServerProcess;
let mongo: MongoClient;
const dbName = uniqueDbName('multi');

/** The instance WeChat pushes to; tests switch it to model a load balancer's choice. */
let webhookTarget = () => b.url;

function mongoUriWithDb(uri: string, name: string): string {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
}

beforeAll(async () => {
  simulator = await startWechatSimulatorServer({ ...TEST_WECHAT, messageMode: 'safe', webhookUrl: () => `${webhookTarget()}/api/v1/pub/mp/webhook` });
  const env = {
    MONGODB_URI: mongoUriWithDb(inject('mongoUri'), dbName),
    WECHAT_MP_APPID: TEST_WECHAT.appId,
    WECHAT_MP_SECRET: TEST_WECHAT.appSecret,
    WECHAT_MP_TOKEN: TEST_WECHAT.token,
    WECHAT_MP_ENCODING_AES_KEY: TEST_WECHAT.encodingAESKey,
    WECHAT_MP_API_BASE: simulator.url,
    ADMIN_USERNAME: 'root',
    ADMIN_PASSWORD: 'root-password-1',
  };
  // Two instances starting together, as after a deploy.
  [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  mongo = await MongoClient.connect(inject('mongoUri'));
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.kill(), b?.kill()]);
  await simulator?.close();
  await mongo?.close();
});

/** A browser on one instance: keeps the binding and session cookies it is given. */
function browserOn(instance: () => ServerProcess) {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      cookies.set(name!, value.join('='));
    }
    return res;
  };
  return {
    get: (path: string) => fetch(`${instance().url}${path}`, { headers: { cookie: cookieHeader() } }).then(remember),
    post: (path: string, body: object, on = instance) =>
      fetch(`${on().url}${path}`, {
        method: 'POST',
        headers: { cookie: cookieHeader(), origin: TEST_BASE_URL, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(remember),
    cookieHeader,
  };
}

/** The reply with its confirmation link pointed at one instance, as a load balancer would route the phone. */
function onInstance(reply: Record<string, string> | null, instance: ServerProcess): Record<string, string> | null {
  return reply && { ...reply, Content: (reply.Content ?? '').replaceAll(TEST_BASE_URL, instance.url) };
}

async function qrcodeFrom(client: ReturnType<typeof browserOn>) {
  const res = await client.get('/api/v1/pub/mp/get-qrcode');
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { sceneId: string; qrcodeContent: string } }).data;
}

describe('several instances on one database', () => {
  it('created the admin once although both instances bootstrapped it', async () => {
    expect(await mongo.db(dbName).collection('user').countDocuments({ username: 'root' })).toBe(1);
  });

  it('completes a login across instances: QR on A, webhook on B, push channel on A, confirmation on A, sign-in on B', async () => {
    const client = browserOn(() => a);
    const qrcode = await qrcodeFrom(client);
    const stream = await fetch(`${a.url}/api/v1/pub/mp/scan-events?sceneId=${qrcode.sceneId}`, { headers: { cookie: client.cookieHeader() } });
    const received = stream.text(); // the stream ends right after the confirmation
    webhookTarget = () => b.url;
    const user = newWechatUser();
    const push = await simulator.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user });
    expect(push.status).toBe(200);
    // The link names the public URL; the load balancer sends the phone to A this time.
    expect((await simulator.simulator.phone.answerConfirmation(onInstance(push.reply, a), 'confirm')).outcome).toBe('confirmed');
    // A saw the confirmation (the scan itself too, unless the phone answered within A's 100 ms poll).
    expect(await received).toContain(`"status":"confirmed","scanned":true,"openid":"${user.openid}"`);

    const signIn = await client.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId }, () => b);
    expect(signIn.status).toBe(200);
    const session = await client.get('/api/auth/get-session');
    expect(((await session.json()) as { user: { email: string } }).user.email).toBe(`${user.openid}@wechat.placeholder`.toLowerCase());
  });

  it('shares one access token between instances', async () => {
    await qrcodeFrom(browserOn(() => a));
    await qrcodeFrom(browserOn(() => b));
    expect(simulator.simulator.stats.tokenFetches + simulator.simulator.stats.stableTokenFetches).toBe(1);
  });

  it('loses nothing when the instance that served the QR code dies mid-login', async () => {
    const onA = browserOn(() => a);
    const qrcode = await qrcodeFrom(onA);
    await a.kill('SIGKILL');
    webhookTarget = () => b.url;
    const push = await simulator.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user: newWechatUser() });
    expect((await simulator.simulator.phone.answerConfirmation(onInstance(push.reply, b), 'confirm')).outcome).toBe('confirmed');
    const signIn = await onA.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId }, () => b);
    expect(signIn.status).toBe(200);
  });
});
