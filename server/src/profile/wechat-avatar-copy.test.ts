import { describe, expect, it } from 'vitest';
import type { AvatarStore } from './avatar-store.js';
import { copyWechatAvatar, isWechatAvatarSource } from './wechat-avatar-copy.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
const SIMULATOR = 'http://127.0.0.1:4567';

function deps(answer: () => Response, saved: Buffer[] = []) {
  const avatars = { save: async (_userId: string, bytes: Buffer) => (saved.push(bytes), '0123456789abcdef01234567') } as unknown as AvatarStore;
  const fetch = (async () => answer()) as unknown as typeof globalThis.fetch;
  return { avatars, publicBaseUrl: 'https://login.example.com', maxBytes: 1024, extraImageOrigins: [SIMULATOR], fetch };
}

describe('which headimgurl is fetched', () => {
  it.each(['https://thirdwx.qlogo.cn/mmopen/vi_32/abc/132', 'https://wx.qlogo.cn/mmhead/abc/0', `${SIMULATOR}/mmopen/o123/132`])('fetches %s', (url) => {
    expect(isWechatAvatarSource(url, [SIMULATOR])).toBe(true);
  });

  it.each([
    'http://thirdwx.qlogo.cn/mmopen/abc/132',
    'https://thirdwx.qlogo.cn.evil.example/x',
    'https://evil.example/thirdwx.qlogo.cn',
    'https://user:pass@thirdwx.qlogo.cn/x',
    'https://thirdwx.qlogo.cn:8443/x',
    'http://169.254.169.254/latest/meta-data',
    'http://127.0.0.1:4568/other-port',
    'file:///etc/passwd',
    'not a url',
  ])('never fetches %s (a way into our own network)', (url) => {
    expect(isWechatAvatarSource(url, [SIMULATOR])).toBe(false);
  });
});

describe('copying the avatar', () => {
  it('stores a PNG and answers our own URL for it', async () => {
    const saved: Buffer[] = [];
    const url = await copyWechatAvatar(deps(() => new Response(PNG), saved), 'u1', `${SIMULATOR}/mmopen/o1/132`);
    expect(url).toBe('https://login.example.com/api/v1/pub/avatars/0123456789abcdef01234567');
    expect(saved[0]).toEqual(PNG);
  });

  it.each([
    ['an HTML page labelled image/png', () => new Response('<html><script>alert(1)</script></html>', { headers: { 'content-type': 'image/png' } })],
    ['more than the limit', () => new Response(Buffer.concat([PNG, Buffer.alloc(2048)]))],
    ['a declared length over the limit', () => new Response(PNG, { headers: { 'content-length': '999999' } })],
    ['an empty body', () => new Response(Buffer.alloc(0))],
    ['an error status', () => new Response(PNG, { status: 404 })],
  ])('stores nothing for %s', async (_label, answer) => {
    const saved: Buffer[] = [];
    expect(await copyWechatAvatar(deps(answer, saved), 'u1', `${SIMULATOR}/mmopen/o1/132`)).toBeNull();
    expect(saved).toHaveLength(0);
  });

  it('answers null when WeChat cannot be reached', async () => {
    const failing = { ...deps(() => new Response(PNG)), fetch: (async () => Promise.reject(new Error('ECONNRESET'))) as unknown as typeof fetch };
    expect(await copyWechatAvatar(failing, 'u1', `${SIMULATOR}/x`)).toBeNull();
  });
});
