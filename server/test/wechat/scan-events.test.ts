import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanResultSchema } from '@wechat-login/shared';
import { ScanSignals } from '../../src/wechat/scan-signals.js';
import { newWechatUser, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';

let harness: WechatHarness;
beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'safe' });
});
afterAll(async () => {
  await harness?.close();
});

/** A QR code fetched over real HTTP, keeping the binding cookie for the event stream. */
async function qrcodeWithCookie() {
  const res = await fetch(`${harness.baseUrl}/api/v1/pub/mp/get-qrcode`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { data } = (await res.json()) as { data: { sceneId: string; qrcodeContent: string } };
  return { ...data, cookie };
}

/** Reads server-sent events until `event` arrives or the stream ends. */
async function nextEvent(response: Response, event: string): Promise<unknown> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before "${event}"`);
    buffer += value;
    for (const block of buffer.split('\n\n')) {
      const name = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (name === event && data) {
        await reader.cancel();
        return JSON.parse(data);
      }
    }
  }
}

describe('scan push channel (server-sent events)', () => {
  it('tells the page of the scan as soon as the webhook records it', async () => {
    const qrcode = await qrcodeWithCookie();
    const stream = await fetch(`${harness.baseUrl}/api/v1/pub/mp/scan-events?sceneId=${qrcode.sceneId}`, { headers: { cookie: qrcode.cookie } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const user = newWechatUser();
    const received = nextEvent(stream, 'scan');
    await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user });
    expect(ScanResultSchema.parse(await received)).toMatchObject({ scanned: true, openid: user.openid });
  });

  it('answers at once when the scan happened before the stream opened', async () => {
    const qrcode = await qrcodeWithCookie();
    const user = newWechatUser();
    await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user });
    const stream = await fetch(`${harness.baseUrl}/api/v1/pub/mp/scan-events?sceneId=${qrcode.sceneId}`, { headers: { cookie: qrcode.cookie } });
    expect(await nextEvent(stream, 'scan')).toMatchObject({ scanned: true, openid: user.openid });
  });

  it('learns of a scan recorded by another instance through the database', async () => {
    const qrcode = await qrcodeWithCookie();
    const stream = await fetch(`${harness.baseUrl}/api/v1/pub/mp/scan-events?sceneId=${qrcode.sceneId}`, { headers: { cookie: qrcode.cookie } });
    const received = nextEvent(stream, 'scan');
    // Another instance's webhook: the scene changes in the database and that
    // instance leaves a signal (it would be a change-stream event on a replica set).
    const db = harness.runtime.database.db;
    await db.collection('wechat_scenes').updateOne({ _id: qrcode.sceneId as never }, { $set: { status: 'scanned', openid: 'oOtherInstance', unionid: null, scannedAt: new Date() } });
    if (!harness.runtime.database.capabilities.changeStreams) await new ScanSignals(db).publish(qrcode.sceneId);
    expect(await received).toMatchObject({ scanned: true, openid: 'oOtherInstance' });
  });

  it('refuses a browser without the binding cookie with the JSON 404', async () => {
    const qrcode = await qrcodeWithCookie();
    const res = await fetch(`${harness.baseUrl}/api/v1/pub/mp/scan-events?sceneId=${qrcode.sceneId}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SCENE_NOT_FOUND');
  });
});
