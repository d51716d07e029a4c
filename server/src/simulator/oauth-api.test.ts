import { WECHAT_OAUTH_PATHS } from '@wechat-login/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWechatSimulatorServer, WECHAT_IDENTITY_COOKIE, WECHAT_IN_APP_USER_AGENT, type RunningWechatSimulator } from './index.js';

const APP_ID = 'wx0123456789abcdef';
const APP_SECRET = 'simulated-secret';
const REDIRECT_URI = 'https://app.example.com/wechat/callback';

let nowMs: number;
let running: RunningWechatSimulator;

beforeEach(async () => {
  nowMs = Date.UTC(2025, 0, 1, 12);
  running = await startWechatSimulatorServer({
    appId: APP_ID,
    appSecret: APP_SECRET,
    token: 'webhook-token',
    messageMode: 'plain',
    webhookUrl: 'http://127.0.0.1:9/unused',
    now: () => nowMs,
  });
});

afterEach(async () => {
  await running.close();
});

const inWechat = (openid: string) => ({ 'user-agent': WECHAT_IN_APP_USER_AGENT, cookie: `${WECHAT_IDENTITY_COOKIE}=${openid}` });

/** The code WeChat hands to redirect_uri, got the way a phone gets it (consenting for snsapi_userinfo). */
async function issueCode(openid: string, scope: 'snsapi_base' | 'snsapi_userinfo', unionid: string | null = null): Promise<string> {
  running.simulator.phone.browser({ openid, unionid, subscribed: false });
  const fields = { appid: APP_ID, redirect_uri: REDIRECT_URI, response_type: 'code', scope, state: 'st' };
  const response =
    scope === 'snsapi_base'
      ? await fetch(`${running.url}${WECHAT_OAUTH_PATHS.authorize}?${new URLSearchParams(fields).toString()}`, { headers: inWechat(openid), redirect: 'manual' })
      : await fetch(`${running.url}${WECHAT_OAUTH_PATHS.authorize}/consent`, {
          method: 'POST',
          headers: { ...inWechat(openid), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...fields, decision: 'allow' }),
          redirect: 'manual',
        });
  expect(response.status).toBe(302);
  const code = new URL(response.headers.get('location') ?? '').searchParams.get('code');
  if (code === null) throw new Error('no code in the redirect');
  return code;
}

async function getJson(path: string, query: Record<string, string>): Promise<Record<string, unknown>> {
  return (await (await fetch(`${running.url}${path}?${new URLSearchParams(query).toString()}`)).json()) as Record<string, unknown>;
}

const exchange = (code: string, overrides: Record<string, string> = {}) =>
  getJson(WECHAT_OAUTH_PATHS.accessToken, { appid: APP_ID, secret: APP_SECRET, code, grant_type: 'authorization_code', ...overrides });

const userInfo = (accessToken: string, openid: string, lang = 'zh_CN') => getJson(WECHAT_OAUTH_PATHS.userInfo, { access_token: accessToken, openid, lang });

const refusal = (errcode: number) => ({ errcode, errmsg: expect.stringMatching(/ rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/) });

describe('GET /sns/oauth2/access_token', () => {
  it('snsapi_base: a user token with the openid, and no unionid even when the user has one (WeChat gives it for snsapi_userinfo only)', async () => {
    const body = await exchange(await issueCode('oBaseUser000000000000000001', 'snsapi_base', 'uUnion0000000000000000000001'));
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{100,}$/),
      expires_in: 7200,
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{100,}$/),
      openid: 'oBaseUser000000000000000001',
      scope: 'snsapi_base',
    });
  });

  it('snsapi_userinfo: unionid when the user has one, none when they have not', async () => {
    const withUnion = await exchange(await issueCode('oInfoUser000000000000000001', 'snsapi_userinfo', 'uUnion0000000000000000000002'));
    expect(withUnion).toMatchObject({ openid: 'oInfoUser000000000000000001', scope: 'snsapi_userinfo', unionid: 'uUnion0000000000000000000002' });
    const withoutUnion = await exchange(await issueCode('oInfoUser000000000000000002', 'snsapi_userinfo'));
    expect(withoutUnion).not.toHaveProperty('unionid');
    expect(withoutUnion.access_token).not.toBe(withUnion.access_token);
  });

  it('a code works once: the second exchange is 40163 code been used', async () => {
    const code = await issueCode('oOnceUser000000000000000001', 'snsapi_base');
    expect(await exchange(code)).toHaveProperty('access_token');
    expect(await exchange(code)).toEqual(refusal(40163));
    expect((await exchange(code)).errmsg).toMatch(/^code been used rid: /);
  });

  it('a code lives 5 minutes: 40029 after that, as for a code never issued', async () => {
    const fresh = await issueCode('oClockUser00000000000000001', 'snsapi_base');
    const stale = await issueCode('oClockUser00000000000000001', 'snsapi_base');
    nowMs += 5 * 60 * 1000 - 1;
    expect(await exchange(fresh)).toHaveProperty('openid', 'oClockUser00000000000000001');
    nowMs += 1;
    expect(await exchange(stale)).toEqual(refusal(40029));
    expect(await exchange('0123456789abcdefghijABCDEFGHIJ01')).toEqual(refusal(40029));
  });

  it('the app\'s credentials are checked first, and a refused exchange does not spend the code', async () => {
    const code = await issueCode('oCredsUser00000000000000001', 'snsapi_base');
    expect(await exchange(code, { appid: 'wx_someone_else' })).toEqual(refusal(40013));
    expect(await exchange(code, { secret: 'wrong-secret' })).toEqual(refusal(40125));
    expect(await exchange(code, { grant_type: 'client_credential' })).toEqual(refusal(40002));
    expect(await getJson(WECHAT_OAUTH_PATHS.accessToken, { appid: APP_ID, secret: APP_SECRET, grant_type: 'authorization_code' })).toEqual(refusal(41008));
    expect(await exchange(code)).toHaveProperty('openid', 'oCredsUser00000000000000001');
  });
});

describe('GET /sns/userinfo', () => {
  it('gives nickname, avatar URL (the simulator\'s own) and unionid to a snsapi_userinfo token', async () => {
    running.simulator.phone.browser({ openid: 'oProfileUser000000000000001', unionid: 'uUnion0000000000000000000003', subscribed: false, nickname: '小明 🌸 & co' });
    const token = await exchange(await issueCode('oProfileUser000000000000001', 'snsapi_userinfo'));
    const profile = await userInfo(String(token.access_token), 'oProfileUser000000000000001');
    expect(profile).toEqual({
      openid: 'oProfileUser000000000000001',
      nickname: '小明 🌸 & co',
      sex: 0,
      province: '',
      city: '',
      country: '',
      headimgurl: `${running.url}/mmopen/oProfileUser000000000000001/132`,
      privilege: [],
      unionid: 'uUnion0000000000000000000003',
    });
    expect((await fetch(String(profile.headimgurl))).headers.get('content-type')).toBe('image/png');
  });

  it('without a nickname seed the user still has a stable one; no unionid key when they have none', async () => {
    const token = await exchange(await issueCode('oPlainUser00000000000000001', 'snsapi_userinfo'));
    const first = await userInfo(String(token.access_token), 'oPlainUser00000000000000001');
    expect(first.nickname).toEqual(expect.any(String));
    expect(String(first.nickname).length).toBeGreaterThan(0);
    expect(first).not.toHaveProperty('unionid');
    expect(running.simulator.state.users.get('oPlainUser00000000000000001')?.nickname).toBe(first.nickname);
  });

  it('refuses: 48001 for a snsapi_base token, 40003 for another openid, 40001 for an unknown or expired token, 40097 for an unknown lang', async () => {
    const base = await exchange(await issueCode('oRefuseUser0000000000000001', 'snsapi_base'));
    expect(await userInfo(String(base.access_token), 'oRefuseUser0000000000000001')).toEqual(refusal(48001));
    const info = await exchange(await issueCode('oRefuseUser0000000000000001', 'snsapi_userinfo'));
    const token = String(info.access_token);
    expect(await userInfo(token, 'oSomeoneElse000000000000001')).toEqual(refusal(40003));
    expect(await userInfo('not-a-token', 'oRefuseUser0000000000000001')).toEqual(refusal(40001));
    expect(await userInfo(token, 'oRefuseUser0000000000000001', 'fr')).toEqual(refusal(40097));
    expect(await userInfo(token, 'oRefuseUser0000000000000001', 'en')).toHaveProperty('nickname');
    nowMs += 7200 * 1000;
    expect(await userInfo(token, 'oRefuseUser0000000000000001')).toEqual(refusal(40001));
  });

  it('the app\'s own access token is no user token: 40001', async () => {
    const appToken = await getJson('/cgi-bin/token', { grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET });
    expect(await userInfo(String(appToken.access_token), 'oAnyone')).toEqual(refusal(40001));
  });
});

describe('failNextOAuth', () => {
  it.each([
    ['code-invalid', 40029],
    ['code-used', 40163],
    ['no-permission', 48001],
  ] as const)('%s: the next exchange answers %i, once; the code itself still works', async (kind, errcode) => {
    const code = await issueCode('oFaultUser00000000000000001', 'snsapi_base');
    running.simulator.faults.failNextOAuth(kind);
    expect(await exchange(code)).toEqual(refusal(errcode));
    expect(await exchange(code)).toHaveProperty('openid', 'oFaultUser00000000000000001');
  });

  it('userinfo-fails: the next /sns/userinfo answers -1 system error, once', async () => {
    const token = String((await exchange(await issueCode('oFaultUser00000000000000002', 'snsapi_userinfo'))).access_token);
    running.simulator.faults.failNextOAuth('userinfo-fails');
    expect(await userInfo(token, 'oFaultUser00000000000000002')).toEqual(refusal(-1));
    expect(await userInfo(token, 'oFaultUser00000000000000002')).toHaveProperty('openid', 'oFaultUser00000000000000002');
  });

  it('clear() disarms every pending kind; an unknown kind throws instead of arming nothing', async () => {
    for (const kind of ['code-invalid', 'userinfo-fails', 'snapshot-user'] as const) running.simulator.faults.failNextOAuth(kind);
    running.simulator.faults.clear();
    const body = await exchange(await issueCode('oFaultUser00000000000000003', 'snsapi_userinfo'));
    expect(body).toMatchObject({ openid: 'oFaultUser00000000000000003', scope: 'snsapi_userinfo' });
    expect(body).not.toHaveProperty('is_snapshotuser');
    expect(await userInfo(String(body.access_token), 'oFaultUser00000000000000003')).toHaveProperty('nickname');
    expect(() => running.simulator.faults.failNextOAuth('code-expired' as never)).toThrow(RangeError);
  });

  it('down() cuts /sns like /cgi-bin; failNext() (any JSON API call) reaches the exchange too', async () => {
    const code = await issueCode('oFaultUser00000000000000004', 'snsapi_base');
    running.simulator.faults.down();
    await expect(exchange(code)).rejects.toThrow();
    running.simulator.faults.clear();
    running.simulator.faults.failNext(45011);
    expect(await exchange(code)).toEqual(refusal(45011));
    expect(await exchange(code)).toHaveProperty('openid');
  });
});

describe('stats', () => {
  it('counts authorization pages, codes issued, exchanges and userinfo calls, refused ones included', async () => {
    const code = await issueCode('oStatsUser00000000000000001', 'snsapi_userinfo');
    const token = String((await exchange(code)).access_token);
    await exchange(code);
    await userInfo(token, 'oStatsUser00000000000000001');
    await userInfo('unknown', 'oStatsUser00000000000000001');
    const { oauthAuthorizePages, oauthCodesIssued, oauthCodeExchanges, oauthUserInfoCalls } = running.simulator.stats;
    // The consent was posted directly, so no authorization page was asked for.
    expect({ oauthAuthorizePages, oauthCodesIssued, oauthCodeExchanges, oauthUserInfoCalls }).toEqual({ oauthAuthorizePages: 0, oauthCodesIssued: 1, oauthCodeExchanges: 2, oauthUserInfoCalls: 2 });
    await issueCode('oStatsUser00000000000000001', 'snsapi_base');
    expect(running.simulator.stats.oauthAuthorizePages).toBe(1);
    running.simulator.stats.reset();
    expect(running.simulator.stats.oauthCodeExchanges).toBe(0);
  });
});
