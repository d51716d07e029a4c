import { describe, expect, it } from 'vitest';
import { authRuleFor, RATE_LIMIT_RULES } from './rules.js';

describe('authRuleFor', () => {
  it.each([
    ['/sign-in/email', RATE_LIMIT_RULES.passwordSignIn],
    ['/sign-in/username', RATE_LIMIT_RULES.passwordSignIn],
    ['/sign-up/email', RATE_LIMIT_RULES.signUp],
    ['/is-username-available', RATE_LIMIT_RULES.signUp],
    ['/sign-in-wechat', RATE_LIMIT_RULES.wechatAuth],
    ['/bind-wechat', RATE_LIMIT_RULES.wechatAuth],
    ['/unbind-wechat', RATE_LIMIT_RULES.wechatAuth],
    ['/sign-in-wechat-oauth', RATE_LIMIT_RULES.wechatAuth],
    ['/bind-wechat-oauth', RATE_LIMIT_RULES.wechatAuth],
    ['/wechat-oauth/callback', RATE_LIMIT_RULES.wechatAuth],
    ['/Wechat-OAuth/Callback/', RATE_LIMIT_RULES.wechatAuth],
    ['/set-first-password', RATE_LIMIT_RULES.credentialChange],
    ['/change-password', RATE_LIMIT_RULES.credentialChange],
    ['/change-email', RATE_LIMIT_RULES.credentialChange],
    ['/request-password-reset', RATE_LIMIT_RULES.credentialChange],
    ['/reset-password', RATE_LIMIT_RULES.credentialChange],
    ['/verify-password', RATE_LIMIT_RULES.credentialChange],
    ['/get-session', RATE_LIMIT_RULES.authOther],
    ['/oauth2/token', RATE_LIMIT_RULES.oidcToken],
    ['/oauth2/userinfo', RATE_LIMIT_RULES.oidcUserinfo],
    ['/oauth2/introspect', RATE_LIMIT_RULES.oidcIntrospect],
    ['/oauth2/revoke', RATE_LIMIT_RULES.oidcRevoke],
    ['/oauth2/authorize', RATE_LIMIT_RULES.oidcAuthorize],
    ['/oauth2/consent', RATE_LIMIT_RULES.oidcConsent],
    ['/oauth2/register', RATE_LIMIT_RULES.oidcRegister],
    ['/oauth2/create-client', RATE_LIMIT_RULES.authOther],
  ])('%s draws from %o', (path, rule) => {
    expect(authRuleFor(path)).toBe(rule);
  });

  it.each([
    ['/sign-in-wechat/', RATE_LIMIT_RULES.wechatAuth],
    ['/SIGN-IN-WECHAT', RATE_LIMIT_RULES.wechatAuth],
    ['/Change-Password//', RATE_LIMIT_RULES.credentialChange],
    ['/SIGN-IN/EMAIL', RATE_LIMIT_RULES.passwordSignIn],
    ['/Sign-Up/Email/', RATE_LIMIT_RULES.signUp],
    ['/OAuth2/Token/', RATE_LIMIT_RULES.oidcToken],
    ['/oauth2/REGISTER', RATE_LIMIT_RULES.oidcRegister],
  ])('%s (another spelling) draws from the same budget', (path, rule) => {
    expect(authRuleFor(path)).toBe(rule);
  });
});
