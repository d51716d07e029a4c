import { describe, expect, it } from 'vitest';
import { isAccessTokenRejected, isTransientWechatFailure, WechatApiError, wechatUnreachableError } from './errors.js';

describe('the errors of the API client', () => {
  it('sorts errors by what the client does with them', () => {
    expect(isAccessTokenRejected(new WechatApiError(42001, ''))).toBe(true);
    expect(isAccessTokenRejected(new WechatApiError(-1, ''))).toBe(false);
    expect(isTransientWechatFailure(new WechatApiError(-1, ''))).toBe(true);
    expect(isTransientWechatFailure(new WechatApiError(45011, ''))).toBe(false);
    expect(isTransientWechatFailure(wechatUnreachableError('https://api.weixin.qq.com', '/x', new Error('boom')))).toBe(true);
    expect(isTransientWechatFailure(new Error('boom'))).toBe(false);
  });
});
