import express from 'express';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createWechatSimulator, type WechatSimulator } from './index.js';

const APP_ID = 'wx0123456789abcdef';
const APP_SECRET = 'simulated-secret';
const RID_SUFFIX = / rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/;
const MINUTE_MS = 60_000;

let nowMs: number;
let simulator: WechatSimulator;
let app: express.Express;

beforeEach(() => {
  nowMs = Date.UTC(2025, 0, 1);
  simulator = createWechatSimulator({
    appId: APP_ID,
    appSecret: APP_SECRET,
    token: 'webhook-token',
    messageMode: 'plain',
    webhookUrl: 'http://127.0.0.1:9/unused',
    publicBaseUrl: 'http://sim.test',
    now: () => nowMs,
  });
  app = express().use(simulator.router);
});

async function fetchToken(query: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const response = await request(app)
    .get('/cgi-bin/token')
    .query({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET, ...query });
  expect(response.status).toBe(200); // WeChat answers errors with HTTP 200 too
  return response.body as Record<string, unknown>;
}

async function fetchStableToken(body: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const response = await request(app)
    .post('/cgi-bin/stable_token')
    .send({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET, force_refresh: false, ...body });
  return response.body as Record<string, unknown>;
}

/** What a token-taking call says about the token: 40003 (unknown openid) means it was accepted. */
async function probe(accessToken: string): Promise<unknown> {
  const response = await request(app).get('/cgi-bin/user/info').query({ access_token: accessToken, openid: 'nobody', lang: 'zh_CN' });
  return (response.body as { errcode?: number }).errcode;
}

describe('GET /cgi-bin/token', () => {
  it('issues a token that works for the configured lifetime, then expires with 42001', async () => {
    const body = await fetchToken();
    expect(body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{100,}$/), expires_in: 7200 });
    const token = String(body.access_token);
    expect(await probe(token)).toBe(40003);
    nowMs += 7199 * 1000;
    expect(await probe(token)).toBe(40003);
    nowMs += 1000;
    expect(await probe(token)).toBe(42001);
  });

  it('refuses wrong credentials with WeChat codes and messages ending in a rid', async () => {
    const badAppId = await fetchToken({ appid: 'wxnotours' });
    expect(badAppId.errcode).toBe(40013);
    expect(badAppId.errmsg).toMatch(/^invalid appid rid: /);
    expect(badAppId.errmsg).toMatch(RID_SUFFIX);
    const badSecret = await fetchToken({ secret: 'wrong' });
    expect(badSecret.errcode).toBe(40125);
    expect(badSecret.errmsg).toMatch(RID_SUFFIX);
    expect((await fetchToken({ grant_type: 'password' })).errcode).toBe(40002);
    expect((await fetchToken({ appid: '' })).errcode).toBe(41002);
    expect((await fetchToken({ secret: '' })).errcode).toBe(41004);
  });

  it('issues a new token on every call; the previous one works 5 more minutes, then 40001', async () => {
    const first = String((await fetchToken()).access_token);
    nowMs += MINUTE_MS;
    const second = String((await fetchToken()).access_token);
    expect(second).not.toBe(first);
    nowMs += 5 * MINUTE_MS - 1;
    expect(await probe(first)).toBe(40003);
    nowMs += 1;
    const refusal = await request(app).get('/cgi-bin/user/info').query({ access_token: first, openid: 'nobody' });
    expect(refusal.body).toEqual({ errcode: 40001, errmsg: expect.stringMatching(/^invalid credential, access_token is invalid or not latest rid: /) });
    expect(await probe(second)).toBe(40003);
  });

  it('refuses a missing or made-up token', async () => {
    expect((await request(app).get('/cgi-bin/user/info').query({ openid: 'nobody' })).body.errcode).toBe(41001);
    expect(await probe('made-up')).toBe(40001);
  });

  it('counts the calls, refused ones included', async () => {
    await fetchToken();
    await fetchToken({ secret: 'wrong' });
    await fetchStableToken();
    await probe('made-up');
    expect(simulator.stats).toMatchObject({ tokenFetches: 2, stableTokenFetches: 1, userInfoCalls: 1 });
    simulator.stats.reset();
    expect(simulator.stats).toMatchObject({ tokenFetches: 0, stableTokenFetches: 0, userInfoCalls: 0 });
  });
});

describe('POST /cgi-bin/stable_token', () => {
  it('returns the same token while it has more than 5 minutes left', async () => {
    const first = await fetchStableToken();
    expect(first).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    nowMs += 60 * MINUTE_MS;
    const again = await fetchStableToken();
    expect(again).toEqual({ access_token: first.access_token, expires_in: 3600 });
  });

  it('renews in the last 5 minutes; the old token lives out its time', async () => {
    const first = String((await fetchStableToken()).access_token);
    nowMs += 116 * MINUTE_MS;
    const renewed = String((await fetchStableToken()).access_token);
    expect(renewed).not.toBe(first);
    expect(await probe(first)).toBe(40003);
    nowMs += 4 * MINUTE_MS;
    expect(await probe(first)).toBe(42001);
    expect(await probe(renewed)).toBe(40003);
  });

  it('force_refresh issues a new token; the previous one keeps 5 minutes of grace', async () => {
    const first = String((await fetchStableToken()).access_token);
    const forced = String((await fetchStableToken({ force_refresh: true })).access_token);
    expect(forced).not.toBe(first);
    expect(await probe(first)).toBe(40003);
    nowMs += 5 * MINUTE_MS;
    expect(await probe(first)).toBe(40001);
    expect((await fetchStableToken()).access_token).toBe(forced);
  });

  it('is independent of /cgi-bin/token', async () => {
    const stable = String((await fetchStableToken()).access_token);
    await fetchToken();
    await fetchToken();
    nowMs += 10 * MINUTE_MS;
    expect(await probe(stable)).toBe(40003);
  });

  it('reads JSON whatever the Content-Type, and refuses what is not JSON with 47001', async () => {
    const asText = await request(app)
      .post('/cgi-bin/stable_token')
      .set('content-type', 'text/plain')
      .send(JSON.stringify({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET }));
    expect(asText.body.access_token).toEqual(expect.any(String));
    const garbage = await request(app).post('/cgi-bin/stable_token').set('content-type', 'application/json').send('{not json');
    expect(garbage.body.errcode).toBe(47001);
    const tooLarge = await request(app).post('/cgi-bin/stable_token').type('text/plain').send('x'.repeat(70 * 1024));
    expect(tooLarge.body.errcode).toBe(47001);
    expect((await fetchStableToken({ appid: 'wxnotours' })).errcode).toBe(40013);
    expect((await fetchStableToken({ secret: 'nope' })).errcode).toBe(40125);
  });
});
