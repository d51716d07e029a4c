import { describe, expect, it } from 'vitest';
import { MAX_DETAIL_KEYS, MAX_DETAIL_STRING_LENGTH, MAX_USER_AGENT_LENGTH, isSecretKey, sanitizeDetails, sanitizeEvent } from './sanitize.js';

describe('audit sanitizer', () => {
  it('drops every key that looks like it holds a secret, however it is spelled', () => {
    const secretKeys = [
      'password', 'newPassword', 'current_password', 'pwd', 'appSecret', 'client_secret', 'access_token', 'accessToken',
      'refreshToken', 'sessionToken', 'token', 'cookie', 'Set-Cookie', 'encodingAESKey', 'apiKey', 'signature', 'msg_signature',
      'ticket', 'Authorization', 'credential', 'passwordHash', 'salt', 'Encrypt', 'otp', 'session',
    ];
    for (const key of secretKeys) expect(isSecretKey(key), key).toBe(true);
    const details = Object.fromEntries(secretKeys.map((key) => [key, 'hunter2-value']));
    expect(sanitizeDetails({ ...details, method: 'email' })).toEqual({ method: 'email' });
  });

  it('keeps error codes under code keys but drops anything else there, like an OAuth code', () => {
    expect(sanitizeDetails({ code: 'INVALID_EMAIL_OR_PASSWORD', errcode: 40001, errorCode: 'WECHAT_TIMEOUT' })).toEqual({
      code: 'INVALID_EMAIL_OR_PASSWORD',
      errcode: 40001,
      errorCode: 'WECHAT_TIMEOUT',
    });
    expect(sanitizeDetails({ code: '4/0AX4XfWh-one-time-oauth-code', confirmCode: 'a1b2c3d4' })).toEqual({});
  });

  it('keeps a URL as a fact without the secret values of its query', () => {
    expect(sanitizeDetails({ callback: 'https://app.example/cb?code=one-time&state=xyz&lang=en', api: '/cgi-bin/qrcode/create?access_token=AT' })).toEqual({
      callback: 'https://app.example/cb?code=[redacted]&state=[redacted]&lang=en',
      api: '/cgi-bin/qrcode/create?access_token=[redacted]',
    });
  });

  it('drops bearer credentials and JWTs under any key', () => {
    expect(sanitizeDetails({ header: 'Bearer abc.def', note: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig_sig_sig', ok: 'fine' })).toEqual({ ok: 'fine' });
  });

  it('keeps flat values only, bounds strings and the number of keys, and refuses operator keys', () => {
    const clean = sanitizeDetails({
      nested: { password: 'x' } as unknown as string,
      list: ['a'] as unknown as string,
      long: 'x'.repeat(5_000),
      $where: 'sleep(1000)',
      'a.b': 'path',
      n: Number.NaN,
      flag: false,
      nothing: null,
    });
    expect(clean).toEqual({ long: `${'x'.repeat(MAX_DETAIL_STRING_LENGTH - 1)}…`, n: null, flag: false, nothing: null });
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(sanitizeDetails(many))).toHaveLength(MAX_DETAIL_KEYS);
  });

  it('bounds the user agent, strips control characters, and keeps only id-shaped ids', () => {
    const event = sanitizeEvent({
      type: 'sign-in.failed',
      outcome: 'failure',
      userId: { $ne: null } as unknown as string,
      actorId: '0123456789abcdef01234567',
      ip: '203.0.113.9',
      userAgent: `Mozilla/5.0\r\nX-Forged: yes ${'A'.repeat(2_000)}`,
    });
    expect(event.userId).toBeNull();
    expect(event.actorId).toBe('0123456789abcdef01234567');
    expect(event.ip).toBe('203.0.113.9');
    expect(event.userAgent).toHaveLength(MAX_USER_AGENT_LENGTH);
    expect(event.userAgent).not.toMatch(/[\r\n]/);
    expect(event.details).toEqual({});
  });
});
