import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { uniqueDbName } from '../support/test-runtime.js';
import { newWechatUser } from '../support/wechat-harness.js';
import { ADMIN, authorize, createClient, publicClientConfig, redeem, signInByPassword, signInByWechatQr, startOidcHarness, type OidcHarness } from './oidc-harness.js';

let harness: OidcHarness;
let config: oidc.Configuration;

beforeAll(async () => {
  harness = await startOidcHarness({ dbName: uniqueDbName('oidc') });
  const admin = await signInByPassword(harness.baseUrl, ADMIN.username, ADMIN.password);
  const client = await createClient(harness, admin, { token_endpoint_auth_method: 'none' });
  config = await publicClientConfig(harness.baseUrl, client.client_id);
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

describe('claims of a person signed in by WeChat QR', () => {
  it('gives wechat_openid and wechat_unionid for the wechat scope, in the id_token and at userinfo, and no placeholder email', async () => {
    const wechatUser = newWechatUser({ unionid: `uTest_${Date.now().toString(36)}` });
    const { browser } = await signInByWechatQr(harness, wechatUser);
    const tokens = await redeem(config, await authorize(config, browser, 'openid profile email wechat'));
    const idToken = tokens.claims()!;
    expect(idToken).toMatchObject({ wechat_openid: wechatUser.openid, wechat_unionid: wechatUser.unionid });
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
    expect(userinfo).toMatchObject({ sub: idToken.sub, wechat_openid: wechatUser.openid, wechat_unionid: wechatUser.unionid });
    // The account's address is the placeholder {openid}@domain: a label, not a mailbox.
    expect(userinfo).not.toHaveProperty('email');
    expect(userinfo).not.toHaveProperty('email_verified');
    expect(idToken).not.toHaveProperty('email');
    expect(idToken).not.toHaveProperty('email_verified');
  });

  it('puts the profile in the id_token too, for clients that read nothing else (Auth.js by default)', async () => {
    const { browser } = await signInByWechatQr(harness);
    const tokens = await redeem(config, await authorize(config, browser, 'openid profile email'));
    const idToken = tokens.claims()!;
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
    expect(typeof idToken.name).toBe('string');
    expect(idToken.name).toBe(userinfo.name);
    expect(idToken).not.toHaveProperty('email');
    // Without the profile scope, no profile: the id_token follows the scopes exactly as userinfo does.
    const bare = await redeem(config, await authorize(config, browser, 'openid'));
    expect(bare.claims()).not.toHaveProperty('name');
    expect(bare.claims()).not.toHaveProperty('picture');
    expect(bare.claims()).not.toHaveProperty('preferred_username');
  });

  it('leaves the WeChat identifiers out without the wechat scope', async () => {
    const { browser } = await signInByWechatQr(harness);
    const tokens = await redeem(config, await authorize(config, browser, 'openid profile'));
    expect(tokens.claims()).not.toHaveProperty('wechat_openid');
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo).not.toHaveProperty('wechat_openid');
    expect(userinfo).not.toHaveProperty('wechat_unionid');
  });

  it('gives no wechat_unionid when WeChat gave none', async () => {
    const wechatUser = newWechatUser({ unionid: null });
    const { browser } = await signInByWechatQr(harness, wechatUser);
    const tokens = await redeem(config, await authorize(config, browser, 'openid wechat'));
    expect(tokens.claims()).toMatchObject({ wechat_openid: wechatUser.openid });
    expect(tokens.claims()).not.toHaveProperty('wechat_unionid');
  });

  it('gives the real email once the person set one', async () => {
    const { browser } = await signInByWechatQr(harness);
    const changed = await browser.post('/api/auth/change-email', { newEmail: `real-${Date.now()}@example.com` });
    expect(changed.status).toBe(200);
    const tokens = await redeem(config, await authorize(config, browser, 'openid email'));
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo.email).toMatch(/^real-\d+@example\.com$/);
    expect(tokens.claims()).toMatchObject({ email: userinfo.email, email_verified: userinfo.email_verified });
    expect(tokens.claims()).not.toHaveProperty('name');
  });
});
