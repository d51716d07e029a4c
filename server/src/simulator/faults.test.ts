import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWechatSimulatorServer, type RunningWechatSimulator } from './index.js';

const APP_ID = 'wx0123456789abcdef';
const APP_SECRET = 'simulated-secret';

let running: RunningWechatSimulator;

beforeEach(async () => {
  running = await startWechatSimulatorServer({
    appId: APP_ID,
    appSecret: APP_SECRET,
    token: 'webhook-token',
    messageMode: 'plain',
    webhookUrl: 'http://127.0.0.1:9/unused',
  });
});

afterEach(async () => {
  await running.close();
});

async function getJson(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${running.url}${path}`);
  return (await response.json()) as Record<string, unknown>;
}

const tokenPath = `/cgi-bin/token?grant_type=client_credential&appid=${APP_ID}&secret=${APP_SECRET}`;

async function stableToken(): Promise<Record<string, unknown>> {
  const response = await fetch(`${running.url}/cgi-bin/stable_token`, {
    method: 'POST',
    body: JSON.stringify({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET }),
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('startWechatSimulatorServer', () => {
  it('listens on 127.0.0.1 and uses its own url as the public base', async () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { access_token: token } = await getJson(tokenPath);
    const response = await fetch(`${running.url}/cgi-bin/qrcode/create?access_token=${String(token)}`, {
      method: 'POST',
      body: JSON.stringify({ expire_seconds: 60, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 's' } } }),
    });
    const created = (await response.json()) as { url: string };
    expect(created.url.startsWith(`${running.url}/q/`)).toBe(true);
    expect((await fetch(created.url)).status).toBe(200); // the confirm-scan page
  });
});

describe('faults', () => {
  it('down(): every API call loses its connection without an answer, until clear()', async () => {
    running.simulator.faults.down();
    await expect(fetch(`${running.url}${tokenPath}`)).rejects.toThrow();
    await expect(stableToken()).rejects.toThrow();
    running.simulator.faults.clear();
    expect((await getJson(tokenPath)).access_token).toEqual(expect.any(String));
  });

  it('slow(ms): answers arrive no sooner than the delay, and correct', async () => {
    running.simulator.faults.slow(300);
    const startedMs = performance.now();
    const body = await getJson(tokenPath);
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(250); // a lower bound only: never flaky
    expect(body.access_token).toEqual(expect.any(String));
  });

  it('failNext(): the next N API calls answer the errcode, with a rid, then all is well', async () => {
    running.simulator.faults.failNext(-1, undefined, 2);
    expect(await getJson(tokenPath)).toEqual({ errcode: -1, errmsg: expect.stringMatching(/^system error rid: [0-9a-f-]{26}$/) });
    expect((await stableToken()).errcode).toBe(-1);
    expect((await getJson(tokenPath)).access_token).toEqual(expect.any(String));

    running.simulator.faults.failNext(45009);
    expect((await getJson(tokenPath)).errmsg).toMatch(/^reach max api daily quota limit rid: /);
  });

  it('failNext() keeps a given errmsg, such as the IP whitelist refusal, and appends the rid', async () => {
    running.simulator.faults.failNext(40164, 'invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist');
    const body = await getJson(tokenPath);
    expect(body.errcode).toBe(40164);
    expect(body.errmsg).toMatch(/^invalid ip 1\.2\.3\.4 ipv6 ::ffff:1\.2\.3\.4, not in whitelist rid: [0-9a-f-]+$/);
  });

  it('failNext() applies to token-taking calls too, before the token is looked at', async () => {
    const { access_token: token } = await getJson(tokenPath);
    running.simulator.faults.failNext(48001);
    expect((await getJson(`/cgi-bin/user/info?access_token=${String(token)}&openid=x`)).errcode).toBe(48001);
    expect((await getJson(`/cgi-bin/user/info?access_token=${String(token)}&openid=x`)).errcode).toBe(40003);
  });

  it('revokeTokens(): every issued token answers 40001; new ones work', async () => {
    const { access_token: token } = await getJson(tokenPath);
    const { access_token: stable } = await stableToken();
    running.simulator.faults.revokeTokens();
    expect((await getJson(`/cgi-bin/user/info?access_token=${String(token)}&openid=x`)).errcode).toBe(40001);
    expect((await getJson(`/cgi-bin/user/info?access_token=${String(stable)}&openid=x`)).errcode).toBe(40001);
    const { access_token: fresh } = await stableToken();
    expect(fresh).not.toBe(stable);
    expect((await getJson(`/cgi-bin/user/info?access_token=${String(fresh)}&openid=x`)).errcode).toBe(40003);
  });

  it('clear() drops pending failures and delays', async () => {
    running.simulator.faults.failNext(-1, undefined, 5);
    running.simulator.faults.slow(10_000);
    running.simulator.faults.clear();
    expect((await getJson(tokenPath)).access_token).toEqual(expect.any(String));
  });

  it('leaves the developer pages alone', async () => {
    running.simulator.faults.down();
    expect((await fetch(`${running.url}/`)).status).toBe(200);
  });
});
