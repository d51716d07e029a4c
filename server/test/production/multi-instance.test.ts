import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../support/server-process.js';
import { browserOn, replyOnInstance, startTwoInstances, type TwoInstances } from '../support/two-instances.js';
import { newWechatUser } from '../support/wechat-harness.js';

let cluster: TwoInstances;
let a: ServerProcess;
let b: ServerProcess;

/** The instance WeChat pushes to; tests switch it to model a load balancer's choice. */
let webhookTarget = () => b;

beforeAll(async () => {
  cluster = await startTwoInstances({
    mode: 'safe',
    dbPrefix: 'multi',
    webhookTarget: () => webhookTarget(),
    env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1' },
  });
  ({ a, b } = cluster);
}, 120_000);

afterAll(async () => {
  await cluster?.close();
});

async function qrcodeFrom(client: ReturnType<typeof browserOn>) {
  const res = await client.get('/api/v1/pub/mp/get-qrcode');
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { sceneId: string; qrcodeContent: string } }).data;
}

describe('several instances on one database', () => {
  it('created the admin once although both instances bootstrapped it', async () => {
    expect(await cluster.mongo.db(cluster.dbName).collection('user').countDocuments({ username: 'root' })).toBe(1);
  });

  it('completes a login across instances: QR on A, webhook on B, push channel on A, confirmation on A, sign-in on B', async () => {
    const client = browserOn(() => a);
    const qrcode = await qrcodeFrom(client);
    const stream = await fetch(`${a.url}/api/v1/pub/mp/scan-events?sceneId=${qrcode.sceneId}`, { headers: { cookie: client.cookieHeader() } });
    const received = stream.text(); // the stream ends right after the confirmation
    webhookTarget = () => b;
    const user = newWechatUser();
    const push = await cluster.simulator.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user });
    expect(push.status).toBe(200);
    // The link names the public URL; the load balancer sends the phone to A this time.
    expect((await cluster.simulator.simulator.phone.answerConfirmation(replyOnInstance(push.reply, a), 'confirm')).outcome).toBe('confirmed');
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
    expect(cluster.simulator.simulator.stats.tokenFetches + cluster.simulator.simulator.stats.stableTokenFetches).toBe(1);
  });

  it('loses nothing when the instance that served the QR code dies mid-login', async () => {
    const onA = browserOn(() => a);
    const qrcode = await qrcodeFrom(onA);
    await a.kill('SIGKILL');
    webhookTarget = () => b;
    const push = await cluster.simulator.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user: newWechatUser() });
    expect((await cluster.simulator.simulator.phone.answerConfirmation(replyOnInstance(push.reply, b), 'confirm')).outcome).toBe('confirmed');
    const signIn = await onA.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId }, () => b);
    expect(signIn.status).toBe(200);
  });
});
