import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { WechatApiError } from './errors.js';
import { WECHAT_ERRCODE_RULES, extractCallerIp, secondsUntilChinaMidnight, wechatErrcodeRule } from './errcodes.js';

const NOW_MS = Date.UTC(2024, 3, 26, 6, 0, 0); // 14:00 in Beijing

describe('the errcode table', () => {
  it.each([
    [-1, 'WECHAT_BUSY', 502, 'retry-with-backoff'],
    [40001, 'WECHAT_TOKEN_INVALID', 502, 'refresh-token'],
    [40014, 'WECHAT_TOKEN_INVALID', 502, 'refresh-token'],
    [42001, 'WECHAT_TOKEN_INVALID', 502, 'refresh-token'],
    [40013, 'WECHAT_CONFIG_INVALID', 500, 'none'],
    [40125, 'WECHAT_CONFIG_INVALID', 500, 'none'],
    [40243, 'WECHAT_CONFIG_INVALID', 500, 'none'],
    [40164, 'WECHAT_IP_NOT_WHITELISTED', 500, 'none'],
    [61004, 'WECHAT_IP_NOT_WHITELISTED', 500, 'none'],
    [45009, 'WECHAT_QUOTA_EXCEEDED', 503, 'none'],
    [45011, 'WECHAT_QUOTA_EXCEEDED', 503, 'none'],
    [48001, 'WECHAT_API_UNAUTHORIZED', 500, 'none'],
    [40029, 'WECHAT_OAUTH_CODE_INVALID', 400, 'none'],
    [40163, 'WECHAT_OAUTH_CODE_INVALID', 400, 'none'],
    [12345, 'WECHAT_API_ERROR', 502, 'none'],
  ])('maps %i to %s (%i, %s)', (errcode, code, status, recovery) => {
    const error = new WechatApiError(errcode, 'errmsg rid: 1', NOW_MS);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ errcode, code, status, recovery, errmsg: 'errmsg rid: 1' });
    expect(error.details).toMatchObject({ errcode, errmsg: 'errmsg rid: 1' });
    expect(wechatErrcodeRule(errcode).code).toBe(code);
  });

  it('gives every known errcode a message that names the errcode', () => {
    for (const errcode of WECHAT_ERRCODE_RULES.keys()) {
      expect(new WechatApiError(errcode, '').message).toContain(String(errcode));
    }
  });
});

describe('IP whitelist messages', () => {
  it.each([
    ['invalid ip 47.100.1.2 ipv6 ::ffff:47.100.1.2, not in whitelist rid: 66', '47.100.1.2'],
    ['access clientip is not registered, requestIP: 198.51.100.9 rid: 66', '198.51.100.9'],
    ['invalid ip  ipv6 2001:db8::1, not in whitelist', '2001:db8::1'],
    ['not in whitelist', null],
    ['version 1.2.3.4.5 is not an address', null],
  ])('finds the caller IP in %j', (errmsg, ip) => {
    expect(extractCallerIp(errmsg)).toBe(ip);
  });

  it('says where to add the IP, with or without one in errmsg', () => {
    expect(new WechatApiError(61004, 'requestIP: 198.51.100.9').message).toMatch(/add 198\.51\.100\.9 under .*IP whitelist/);
    expect(new WechatApiError(40164, 'not in whitelist').message).toContain("this server's public IP");
  });
});

describe('quota reset', () => {
  it('counts the seconds to midnight in Beijing for the daily quota', () => {
    expect(secondsUntilChinaMidnight(NOW_MS)).toBe(10 * 3600);
    expect(secondsUntilChinaMidnight(Date.UTC(2024, 3, 26, 15, 59, 30))).toBe(60); // never asks for less than a minute
    expect(new WechatApiError(45009, '', NOW_MS).details).toMatchObject({ retryAfterSeconds: 36_000 });
    expect(new WechatApiError(45011, '', NOW_MS).details).toMatchObject({ retryAfterSeconds: 60 });
  });
});
