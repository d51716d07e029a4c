import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanResultSchema } from '@wechat-login/shared';
import { ScanSignals } from '../../src/wechat/scan-feed/scan-signals.js';
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

/** Reads a server-sent event stream in order: `next(name)` gives the data of the next event of that name. */
function eventReader(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async next(event: string): Promise<unknown> {
      for (;;) {
        const blocks = buffer.split('\n\n');
        while (blocks.length > 1) {
          const block = blocks.shift()!;
          buffer = blocks.join('\n\n');
          const name = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (name === event && data) return JSON.parse(data);
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before "${event}"`);
        buffer += value;
      }
    },
    /** True once the server closed the stream. */
    async ended(): Promise<boolean> {
      const { done } = await reader.read();
      return done;
    },
    close: () => reader.cancel(),
  };
}

const openStream = (qrcode: { sceneId: string; cookie: string }) =>
  fetch(`${harness.baseUrl}/api/v1/pub/mp/scan-events?sceneId=${qrcode.sceneId}`, { headers: { cookie: qrcode.cookie } });

describe('scan push channel (server-sent events)', () => {
  it('tells the page of the scan, then of the confirmation on the phone, then ends', async () => {
    const qrcode = await qrcodeWithCookie();
    const stream = await openStream(qrcode);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = eventReader(stream);
    const user = newWechatUser();
    const scanned = events.next('scan');
    const push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user });
    // Scanned but not confirmed: the page learns nothing about who scanned.
    expect(ScanResultSchema.parse(await scanned)).toEqual({ status: 'scanned', scanned: true });
    const confirmed = events.next('scan');
    expect((await harness.simulator.phone.answerConfirmation(push.reply, 'confirm')).outcome).toBe('confirmed');
    expect(ScanResultSchema.parse(await confirmed)).toMatchObject({ status: 'confirmed', openid: user.openid });
    expect(await events.ended()).toBe(true);
  });

  it('tells the page when the phone says "this wasn\'t me"', async () => {
    const qrcode = await qrcodeWithCookie();
    const events = eventReader(await openStream(qrcode));
    const push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user: newWechatUser() });
    expect(await events.next('scan')).toEqual({ status: 'scanned', scanned: true });
    await harness.simulator.phone.answerConfirmation(push.reply, 'deny');
    expect(await events.next('scan')).toEqual({ status: 'denied', scanned: true });
    expect(await events.ended()).toBe(true);
  });

  it('answers at once with the current state when the scan happened before the stream opened', async () => {
    const qrcode = await qrcodeWithCookie();
    const user = newWechatUser();
    const push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user });
    const events = eventReader(await openStream(qrcode));
    expect(await events.next('scan')).toEqual({ status: 'scanned', scanned: true });
    await harness.simulator.phone.answerConfirmation(push.reply, 'confirm');
    expect(await events.next('scan')).toMatchObject({ status: 'confirmed', openid: user.openid });

    const late = eventReader(await openStream(qrcode));
    expect(await late.next('scan')).toMatchObject({ status: 'confirmed', openid: user.openid });
    expect(await late.ended()).toBe(true);
  });

  it('learns of a scan and a confirmation recorded by another instance through the database', async () => {
    const qrcode = await qrcodeWithCookie();
    const events = eventReader(await openStream(qrcode));
    // Another instance: the scene changes in the database and that instance
    // leaves a signal (it would be a change-stream event on a replica set).
    const db = harness.runtime.database.db;
    const otherInstanceChanges = async (change: Record<string, unknown>) => {
      await db.collection('wechat_scenes').updateOne({ _id: qrcode.sceneId as never }, { $set: change });
      if (!harness.runtime.database.capabilities.changeStreams) await new ScanSignals(db).publish(qrcode.sceneId);
    };
    await otherInstanceChanges({ status: 'scanned', openid: 'oOtherInstance', unionid: null, scannedAt: new Date() });
    expect(await events.next('scan')).toEqual({ status: 'scanned', scanned: true });
    await otherInstanceChanges({ status: 'confirmed', decidedAt: new Date() });
    expect(await events.next('scan')).toMatchObject({ status: 'confirmed', openid: 'oOtherInstance' });
  });

  it('refuses a browser without the binding cookie with the JSON 404', async () => {
    const qrcode = await qrcodeWithCookie();
    const res = await fetch(`${harness.baseUrl}/api/v1/pub/mp/scan-events?sceneId=${qrcode.sceneId}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SCENE_NOT_FOUND');
  });
});
