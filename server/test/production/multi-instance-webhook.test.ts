import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_COLLECTION } from '../../src/audit/types.js';
import { computeSignature } from '../../src/wechat/crypto.js';
import { SCENE_COLLECTION } from '../../src/wechat/scenes/scene-store.js';
import { REFUSED_PUSH_AUDIT_WINDOW_MS } from '../../src/routes/webhook-refusals.js';
import type { ServerProcess } from '../support/server-process.js';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.js';
import { eventually } from '../support/captured-log.js';
import { newWechatUser, scanFields, TEST_WECHAT } from '../support/wechat-harness.js';

/**
 * Issue 11, items 1 and 5, across instances: two server processes in plain mode on one database,
 * as behind a load balancer. A signed query used on one is spent on the other, and refused pushes
 * to both add up to one audit event.
 */

let cluster: TwoInstances;
let a: ServerProcess;
let b: ServerProcess;
let webhookTarget = () => a;

beforeAll(async () => {
  cluster = await startTwoInstances({
    mode: 'plain',
    dbPrefix: 'multiwh',
    webhookTarget: () => webhookTarget(),
    // The test stands in for a proxy, to give refused pushes a source address of their own.
    env: { TRUST_PROXY: 'loopback' },
  });
  ({ a, b } = cluster);
}, 120_000);

afterAll(async () => {
  await cluster?.close();
});

async function qrcodeOn(instance: ServerProcess): Promise<{ sceneId: string }> {
  const res = await fetch(`${instance.url}/api/v1/pub/mp/get-qrcode`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { sceneId: string } }).data;
}

function postWebhook(instance: ServerProcess, query: Readonly<Record<string, string>>, body: string, headers: Record<string, string> = {}) {
  return fetch(`${instance.url}/api/v1/pub/mp/webhook?${new URLSearchParams(query)}`, { method: 'POST', headers: { 'content-type': 'text/xml', ...headers }, body });
}

const scanXml = (sceneId: string, openid: string, createTime: string) =>
  `<xml><ToUserName>gh_simulator00</ToUserName><FromUserName>${openid}</FromUserName><CreateTime>${createTime}</CreateTime><MsgType>event</MsgType><Event>SCAN</Event><EventKey>${sceneId}</EventKey><Ticket>t</Ticket></xml>`;
const signedNow = () => ({ timestamp: String(Math.floor(Date.now() / 1000)), nonce: String(randomInt(100_000_000, 2_147_483_647)) });
const sceneStatus = async (sceneId: string) => (await cluster.mongo.db(cluster.dbName).collection(SCENE_COLLECTION).findOne({ _id: sceneId as never }))?.status;

describe('a signed plain-mode query across instances', () => {
  it('used on A, is refused on B with another body, and answered on B with the same body (a retry)', async () => {
    webhookTarget = () => a;
    const signed = signedNow();
    const victim = newWechatUser();
    const first = await cluster.simulator.simulator.phone.push({ fields: { ...scanFields('x', victim.openid), MsgType: 'text', Content: 'hi' }, ...signed });
    expect(first.status).toBe(200);

    const { sceneId } = await qrcodeOn(b);
    const replay = await postWebhook(b, first.query, scanXml(sceneId, victim.openid, signed.timestamp));
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('WECHAT_SIGNED_QUERY_REUSED');
    expect(await sceneStatus(sceneId)).toBe('pending');

    const retry = await postWebhook(b, first.query, first.sentBody);
    expect(retry.status).toBe(200);
    expect(await retry.text()).toBe('success');
  });

  it('raced with two bodies, one to each instance: exactly one is applied', async () => {
    const [one, two] = await Promise.all([qrcodeOn(a), qrcodeOn(b)]);
    const signed = signedNow();
    const query = { signature: computeSignature(TEST_WECHAT.token, signed.timestamp, signed.nonce), ...signed };
    const answers = await Promise.all([
      postWebhook(a, query, scanXml(one.sceneId, newWechatUser().openid, signed.timestamp)),
      postWebhook(b, query, scanXml(two.sceneId, newWechatUser().openid, signed.timestamp)),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    expect([await sceneStatus(one.sceneId), await sceneStatus(two.sceneId)].filter((status) => status === 'scanned')).toHaveLength(1);
  });
});

describe('refused pushes across instances', () => {
  it('add up to one audit event per source and reason in a window', async () => {
    const source = '198.51.100.99';
    const forged = { signature: '0'.repeat(40), timestamp: String(Math.floor(Date.now() / 1000)), nonce: '1' };
    const windowMs = REFUSED_PUSH_AUDIT_WINDOW_MS;
    const firstWindow = Math.floor(Date.now() / windowMs);
    const sends = Array.from({ length: 12 }, (_, i) => postWebhook(i % 2 === 0 ? a : b, forged, '<xml/>', { 'x-forwarded-for': source }));
    expect((await Promise.all(sends)).map((res) => res.status)).toEqual(Array(12).fill(401));
    const windowsTouched = Math.floor(Date.now() / windowMs) - firstWindow + 1;

    const events = cluster.mongo.db(cluster.dbName).collection(AUDIT_COLLECTION);
    const stored = () => events.find({ type: 'webhook.signature-failed', ip: source }).toArray();
    // Each process writes its counts with its next audit batch (within 200 ms).
    await eventually(async () => (await stored()).reduce((sum, event) => sum + (event.details.count as number), 0) === 12);
    expect((await stored()).length).toBeLessThanOrEqual(windowsTouched);
  });
});
