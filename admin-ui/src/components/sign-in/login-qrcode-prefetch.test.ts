import { describe, expect, it, vi } from 'vitest';
import type { Qrcode } from '@wechat-login/shared';
import type { WechatLoginClient } from '@/components/wechat-login/wechat-login-client';
import { withLoginQrcodePrefetch } from './login-qrcode-prefetch';

const signal = new AbortController().signal;

function qrcode(sceneId: string): Qrcode {
  return { sceneId, qrcodeUrl: `/qr/${sceneId}.png`, qrcodeContent: `http://weixin.qq.com/q/${sceneId}`, expiresIn: 300 };
}

/** A WeChat client whose every QR code is a new scene, and a clock the test moves. */
function fakeClient() {
  let issued = 0;
  const getQrcode = vi.fn<WechatLoginClient['getQrcode']>(async () => qrcode(`scene-${++issued}`));
  const base: WechatLoginClient = { getQrcode, waitForScan: vi.fn(), signInWechat: vi.fn(), signInWechatOAuth: vi.fn() };
  const clock = { nowMs: 1_000_000 };
  return { base, getQrcode, clock, now: () => clock.nowMs };
}

describe('the sign-in QR code asked for before the page loads', () => {
  it('answers the widget\'s first sign-in request with it, telling the seconds that are left', async () => {
    const { base, getQrcode, clock, now } = fakeClient();
    const { client, prefetchLoginQrcode } = withLoginQrcodePrefetch(base, now);

    prefetchLoginQrcode();
    await Promise.resolve();
    clock.nowMs += 4_200;
    const first = await client.getQrcode({ purpose: 'login', signal });

    expect(first).toMatchObject({ sceneId: 'scene-1', expiresIn: 295 });
    expect(getQrcode).toHaveBeenCalledTimes(1);
    // The next code (a refresh, an expiry) is the widget's own request again.
    expect((await client.getQrcode({ purpose: 'login', signal })).sceneId).toBe('scene-2');
    expect(getQrcode).toHaveBeenCalledTimes(2);
  });

  it('asks once however often it is started, and never after the widget has asked by itself', async () => {
    const { base, getQrcode, now } = fakeClient();
    const early = withLoginQrcodePrefetch(base, now);
    early.prefetchLoginQrcode();
    early.prefetchLoginQrcode();
    expect(getQrcode).toHaveBeenCalledTimes(1);

    const late = withLoginQrcodePrefetch(base, now);
    await late.client.getQrcode({ purpose: 'login', signal });
    late.prefetchLoginQrcode();
    expect(getQrcode).toHaveBeenCalledTimes(2);
  });

  it('never hands a sign-in code to a binding', async () => {
    const { base, getQrcode, now } = fakeClient();
    const { client, prefetchLoginQrcode } = withLoginQrcodePrefetch(base, now);
    prefetchLoginQrcode();

    expect((await client.getQrcode({ purpose: 'bind', signal })).sceneId).toBe('scene-2');
    expect(getQrcode).toHaveBeenLastCalledWith(expect.objectContaining({ purpose: 'bind' }));
    expect((await client.getQrcode({ purpose: 'login', signal })).sceneId).toBe('scene-1');
  });

  it('asks for a fresh code when the prefetched one has less than half of its time left', async () => {
    const { base, getQrcode, clock, now } = fakeClient();
    const { client, prefetchLoginQrcode } = withLoginQrcodePrefetch(base, now);
    prefetchLoginQrcode();
    await Promise.resolve();
    clock.nowMs += 151_000;

    expect(await client.getQrcode({ purpose: 'login', signal })).toMatchObject({ sceneId: 'scene-2', expiresIn: 300 });
    expect(getQrcode).toHaveBeenCalledTimes(2);
  });

  it('fails the widget\'s first request as its own would have failed, and leaves the next to the server', async () => {
    const { base, getQrcode, now } = fakeClient();
    getQrcode.mockRejectedValueOnce(Object.assign(new Error('quota'), { code: 'WECHAT_QUOTA_EXCEEDED' }));
    const { client, prefetchLoginQrcode } = withLoginQrcodePrefetch(base, now);
    prefetchLoginQrcode();

    await expect(client.getQrcode({ purpose: 'login', signal })).rejects.toMatchObject({ code: 'WECHAT_QUOTA_EXCEEDED' });
    expect((await client.getQrcode({ purpose: 'login', signal })).sceneId).toBe('scene-1');
  });

  it('lets a failed prefetch that nobody asks for go unnoticed (no unhandled rejection)', async () => {
    const { base, getQrcode, now } = fakeClient();
    getQrcode.mockRejectedValueOnce(new Error('offline'));
    withLoginQrcodePrefetch(base, now).prefetchLoginQrcode();
    // Vitest fails the run on an unhandled rejection; give it the chance to happen.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(getQrcode).toHaveBeenCalledTimes(1);
  });
});
