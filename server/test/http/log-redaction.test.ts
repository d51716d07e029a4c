import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linksInReply } from '../../src/simulator/in-app-browser.js';
import { computeSignature } from '../../src/wechat/crypto.js';
import type { Runtime } from '../../src/runtime.js';
import { capturedLog, eventually, type CapturedLog } from '../support/captured-log.js';
import { browser } from '../support/http.js';
import { createTestRuntime, TEST_BASE_URL } from '../support/test-runtime.js';
import { newWechatUser, requestQrcode, scanFields, startWechatHarness, TEST_WECHAT, type WechatHarness } from '../support/wechat-harness.js';

/**
 * Issue 11, item 1: whoever reads the logs must not get what it takes to replay a signed WeChat
 * query or answer a confirmation link. The real log output (production's logger and redaction,
 * written to a stream) of real requests is searched for every such value.
 */

const WEBHOOK = '/api/v1/pub/mp/webhook';

describe('request logs keep the path and the query names, never signed or one-time values', () => {
  let harness: WechatHarness;
  let log: CapturedLog;
  beforeAll(async () => {
    log = capturedLog('debug');
    harness = await startWechatHarness({ mode: 'plain', logger: log.logger });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('a webhook push, its refusal, the URL verification and the confirmation page', async () => {
    const user = newWechatUser();
    const qrcode = await requestQrcode(browser(harness.runtime.app));
    const push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user });
    expect(push.status).toBe(200);
    const link = new URL(linksInReply(push.reply?.Content ?? '')[0]!.href);
    const confirmationToken = link.searchParams.get('t')!;
    expect((await harness.simulator.phone.answerConfirmation(push.reply, 'confirm')).outcome).toBe('confirmed');

    const forged = await harness.simulator.phone.push({ fields: scanFields(qrcode.sceneId, 'oForgedOpenid0000000000000'), tamper: { signature: 'e'.repeat(40) } });
    expect(forged.status).toBe(401);

    const timestamp = String(Math.floor(Date.now() / 1000));
    const verification = { signature: computeSignature(TEST_WECHAT.token, timestamp, '918273645'), timestamp, nonce: '918273645', echostr: 'echo-7a6b5c4d3e' };
    expect((await request(harness.runtime.app).get(WEBHOOK).query(verification)).text).toBe(verification.echostr);

    const confirmPath = `/api/v1/pub/mp/confirm/${qrcode.sceneId}`;
    await eventually(() => log.text().includes(`"${confirmPath}?t=`) && log.text().includes('echostr='));
    const text = log.text();
    const secrets = {
      signature: push.query.signature,
      nonce: push.query.nonce,
      openid: user.openid,
      'confirmation token': confirmationToken,
      'forged nonce': forged.query.nonce,
      'forged openid': 'oForgedOpenid0000000000000',
      'verification signature': verification.signature,
      'verification nonce': verification.nonce,
      echostr: verification.echostr,
    };
    for (const [name, value] of Object.entries(secrets)) expect(text, `${name} is in the log`).not.toContain(value);
    expect(text).toContain(`"${WEBHOOK}?signature=[redacted]&timestamp=${push.query.timestamp}&nonce=[redacted]&openid=[redacted]"`);
    expect(text).toContain(`"${WEBHOOK}?signature=[redacted]&timestamp=${timestamp}&nonce=[redacted]&echostr=[redacted]"`);
    expect(text).toContain(`"${confirmPath}?t=[redacted]`);
  });
});

describe('other URLs and messages that reach the logs', () => {
  let runtime: Runtime;
  let log: CapturedLog;
  beforeAll(async () => {
    log = capturedLog('debug');
    // No WeChat credentials outside production: the simulator is mounted in the app, and the
    // app's own REST calls to it (access_token in the query) pass through the request log.
    runtime = await createTestRuntime({ logger: log.logger, env: { TRUSTED_ORIGINS: TEST_BASE_URL } });
  });
  afterAll(async () => {
    await runtime?.close();
  });

  it('WeChat REST URLs of the development simulator: access_token, secret and openid are redacted', async () => {
    await request(runtime.app).get('/__wechat-simulator/cgi-bin/user/info?access_token=AT-5f4e3d2c1b0a&openid=oSimUser998877&lang=zh_CN');
    await request(runtime.app).get('/__wechat-simulator/cgi-bin/token?grant_type=client_credential&appid=wxsimulator0000000&secret=simulator-secret');
    await eventually(() => log.text().includes('/cgi-bin/token?'));
    const text = log.text();
    for (const secret of ['AT-5f4e3d2c1b0a', 'oSimUser998877', 'simulator-secret']) expect(text).not.toContain(secret);
    expect(text).toContain('/__wechat-simulator/cgi-bin/user/info?access_token=[redacted]&openid=[redacted]&lang=zh_CN');
    expect(text).toContain('grant_type=client_credential&appid=wxsimulator0000000&secret=[redacted]');
  });

  it('a disguised parameter name (bracketed, percent-encoded, upper case) is redacted too', async () => {
    await request(runtime.app).get('/api/v1/pub/nothing-here?signature%5B%24ne%5D=SIG-abc123&%74=T-def456&NONCE=N-789&state=ST-0ab');
    await eventually(() => log.text().includes('/api/v1/pub/nothing-here'));
    const text = log.text();
    for (const secret of ['SIG-abc123', 'T-def456', 'N-789', 'ST-0ab']) expect(text).not.toContain(secret);
  });

  it("better-auth's own log lines: a refused callbackURL keeps no code or state", async () => {
    const res = await browser(runtime.app).post('/api/auth/sign-in/email', {
      email: 'nobody@example.com',
      password: 'whatever-password',
      callbackURL: 'https://evil.example/cb?code=ONE-TIME-CODE-31&state=STATE-41&lang=en',
    });
    expect(res.status).toBe(403);
    await eventually(() => log.text().includes('evil.example'));
    const text = log.text();
    expect(text).not.toContain('ONE-TIME-CODE-31');
    expect(text).not.toContain('STATE-41');
    expect(text).toContain('https://evil.example/cb?code=[redacted]&state=[redacted]&lang=en');
  });
});
