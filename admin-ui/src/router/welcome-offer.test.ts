import { describe, expect, it } from 'vitest';
import { isFirstWechatSignIn, NEW_ACCOUNT_WINDOW_MS } from './welcome-offer';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const justCreated = { email: 'o123@wechat.placeholder', createdAt: new Date(NOW - 5_000).toISOString() };

describe('who is offered the welcome page', () => {
  it('offers it after a WeChat sign-up, by sign-in-wechat\'s isNewUser or else by the account\'s age', () => {
    expect(isFirstWechatSignIn(justCreated, { isPlaceholderEmail: true, isNewUser: true, nowMs: NOW })).toBe(true);
    expect(isFirstWechatSignIn(justCreated, { isPlaceholderEmail: true, nowMs: NOW })).toBe(true);
  });

  it('does not offer it to a returning user, an old account or a password user', () => {
    expect(isFirstWechatSignIn(justCreated, { isPlaceholderEmail: true, isNewUser: false, nowMs: NOW })).toBe(false);
    const old = { ...justCreated, createdAt: new Date(NOW - NEW_ACCOUNT_WINDOW_MS - 1).toISOString() };
    expect(isFirstWechatSignIn(old, { isPlaceholderEmail: true, nowMs: NOW })).toBe(false);
    expect(isFirstWechatSignIn({ ...justCreated, email: 'ada@example.com' }, { isPlaceholderEmail: false, isNewUser: true, nowMs: NOW })).toBe(false);
  });
});
