import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanSignals } from '../../src/wechat/scan-feed/scan-signals.js';
import { SCENE_COLLECTION } from '../../src/wechat/scenes/scene-store.js';
import { browser } from '../support/http.js';
import { requestQrcode, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';

let harness: WechatHarness;
beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'plain' });
});
afterAll(async () => {
  await harness?.close();
});

describe('get-scan-result for a pending scene', () => {
  it('answers from memory, and learns of a scan on another instance from its signal', async () => {
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);
    const poll = () => client.get(`/api/v1/pub/mp/get-scan-result?sceneId=${qrcode.sceneId}`);
    expect((await poll()).body.data).toEqual({ status: 'pending', scanned: false });

    const db = harness.runtime.database.db;
    // Another instance records the scan: the database changes, then its signal lands.
    await db.collection(SCENE_COLLECTION).updateOne({ _id: qrcode.sceneId as never }, { $set: { status: 'scanned', openid: 'oElsewhere', scannedAt: new Date() } });
    if (harness.runtime.database.capabilities.changeStreams) {
      await expect.poll(async () => (await poll()).body.data.scanned, { timeout: 5_000 }).toBe(true);
      return;
    }
    expect((await poll()).body.data).toEqual({ status: 'pending', scanned: false }); // still the cached answer: no signal yet
    await new ScanSignals(db).publish(qrcode.sceneId);
    await expect.poll(async () => (await poll()).body.data, { timeout: 5_000, interval: 50 }).toEqual({ status: 'scanned', scanned: true });
  });

  it('still refuses another browser when the scene is cached', async () => {
    const owner = browser(harness.runtime.app);
    const qrcode = await requestQrcode(owner);
    await owner.get(`/api/v1/pub/mp/get-scan-result?sceneId=${qrcode.sceneId}`); // now cached
    const stranger = await browser(harness.runtime.app).get(`/api/v1/pub/mp/get-scan-result?sceneId=${qrcode.sceneId}`);
    expect(stranger.status).toBe(404);
  });
});
