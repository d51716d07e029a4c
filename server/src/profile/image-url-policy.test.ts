import { describe, expect, it } from 'vitest';
import { isAcceptedUserImage } from './image-url-policy.js';

const BASE = 'https://login.example.com/auth';
const ID = '0123456789abcdef01234567';

describe('isAcceptedUserImage', () => {
  it('accepts nothing, our own avatar URL under a base path, and https pictures on WeChat\'s hosts', () => {
    for (const value of [null, undefined, '', `${BASE}/api/v1/pub/avatars/${ID}`, 'https://thirdwx.qlogo.cn/mmopen/vi_32/x/132', 'https://mmbiz.qpic.cn/a/b?wx_fmt=jpeg']) {
      expect(isAcceptedUserImage(value, BASE), String(value)).toBe(true);
    }
  });

  it('refuses our avatar path on another base, other ids, and anything that is not a canonical https WeChat URL', () => {
    for (const value of [
      `https://login.example.com/api/v1/pub/avatars/${ID}`,
      `${BASE}/api/v1/pub/avatars/${ID.toUpperCase()}`,
      `${BASE}/api/v1/pub/avatars/${ID}#x`,
      `${BASE}/api/v1/pub/avatars/${ID}0`,
      'https://thirdwx.qlogo.cn/mmopen/\tx',
      'https://thirdwx.qlogo.cn./mmopen/x',
      'https://xn--thirdwx-qlogo.cn/x',
      'ftp://wx.qlogo.cn/x',
      'https:wx.qlogo.cn/x',
      `https://wx.qlogo.cn/${'a'.repeat(2100)}`,
      42,
      {},
      ['https://wx.qlogo.cn/x'],
    ]) {
      expect(isAcceptedUserImage(value, BASE), String(value).slice(0, 80)).toBe(false);
    }
  });
});
