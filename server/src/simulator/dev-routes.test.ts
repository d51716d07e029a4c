import express from 'express';
import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WECHAT_OAUTH_PATHS } from '@wechat-login/shared';
import { createWechatSimulator, WECHAT_IN_APP_USER_AGENT, type WechatSimulator } from './index.js';
import { startRecordingWebhook, type RecordingWebhook } from './recording-webhook.js';

const APP_ID = 'wx0123456789abcdef';
const MOUNT = '/__wechat-simulator';
const HOSTILE_SCENE = '<img src=x onerror=alert(1)>';

let nowMs: number;
let webhook: RecordingWebhook;
let simulator: WechatSimulator;
let app: express.Express;

beforeEach(async () => {
  nowMs = Date.UTC(2025, 0, 1);
  webhook = await startRecordingWebhook();
  simulator = createWechatSimulator({
    appId: APP_ID,
    appSecret: 'secret',
    token: 'webhook-token',
    messageMode: 'plain',
    webhookUrl: webhook.url,
    publicBaseUrl: `http://localhost:3000${MOUNT}`,
    now: () => nowMs,
  });
  // Mounted as in the dev server, behind a JSON body parser of the host app.
  app = express().use(express.json()).use(MOUNT, simulator.router);
});

afterEach(async () => {
  await webhook.close();
});

async function createTicket(sceneStr: string, expireSeconds = 300): Promise<{ ticket: string; url: string }> {
  const token = await request(app).get(`${MOUNT}/cgi-bin/token`).query({ grant_type: 'client_credential', appid: APP_ID, secret: 'secret' });
  const created = await request(app)
    .post(`${MOUNT}/cgi-bin/qrcode/create`)
    .query({ access_token: String(token.body.access_token) })
    .send({ expire_seconds: expireSeconds, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: sceneStr } } });
  return created.body as { ticket: string; url: string };
}

const pushedEvent = (index: number): Record<string, string> =>
  (new XMLParser({ parseTagValue: false }).parse(webhook.pushes[index]?.body ?? '<xml/>') as { xml: Record<string, string> }).xml;

describe('GET / (the phone page)', () => {
  it('lists live tickets newest first, escaped, with scan buttons and a nonce-only CSP', async () => {
    await createTicket('older-scene');
    nowMs += 1000;
    await createTicket(HOSTILE_SCENE);
    await createTicket('expired-scene', 1);
    nowMs += 1000;
    const page = await request(app).get(`${MOUNT}/`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(HOSTILE_SCENE);
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text.indexOf('&lt;img')).toBeLessThan(page.text.indexOf('older-scene'));
    expect(page.text).not.toContain('expired-scene');
    expect(page.text).toContain(`action="${MOUNT}/phone/scan"`);
    expect(page.text).toContain('Scan as new user');
    const csp = String(page.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(csp).toContain("default-src 'none'");
    expect(page.text).toContain(`<script nonce="${nonce}">`);
  });
});

describe('GET / : sign in inside WeChat', () => {
  it('explains the WeChat User-Agent, links the app\'s /sign-in (same origin when mounted) and offers to choose who you are', async () => {
    const page = await request(app).get(`${MOUNT}/`);
    expect(page.text).toContain('Sign in inside WeChat');
    expect(page.text).toContain(`<code>${WECHAT_IN_APP_USER_AGENT}</code>`);
    expect(page.text).toContain('<a href="/sign-in">/sign-in</a>');
    expect(page.text).toContain('Network conditions');
    expect(page.text).toContain(`href="${MOUNT}${WECHAT_OAUTH_PATHS.authorize}/choose"`);
    expect(page.text).not.toContain('data-testid="wechat-identity"');
  });

  it('switching user sets the identity cookie on the mount path and comes back to the phone page, which shows who you are', async () => {
    const chooser = await request(app).get(`${MOUNT}${WECHAT_OAUTH_PATHS.authorize}/choose`);
    expect(chooser.status).toBe(200);
    expect(chooser.text).toContain('name="new_user" value="1"');
    const chosen = await request(app).post(`${MOUNT}${WECHAT_OAUTH_PATHS.authorize}/choose`).type('form').send({ new_user: '1' });
    expect(chosen.status).toBe(303);
    expect(chosen.headers.location).toBe(`${MOUNT}/`);
    const setCookie = String(chosen.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^wxsim_openid=o[A-Za-z0-9_-]{27}; Max-Age=\\d+; Path=${MOUNT}; Expires=[^;]+; HttpOnly; SameSite=Lax$`));
    const openid = /wxsim_openid=([^;]+)/.exec(setCookie)![1]!;
    const page = await request(app).get(`${MOUNT}/`).set('cookie', `wxsim_openid=${openid}`);
    expect(page.text).toContain('data-testid="wechat-identity"');
    expect(page.text).toContain(openid);
    expect(page.text).toContain(simulator.state.users.get(openid)!.nickname.replace(/&/g, '&amp;'));
  });
});

describe('POST /phone/scan', () => {
  it('scans as a brand-new user, then as that remembered user', async () => {
    const { ticket } = await createTicket('dev-scene');
    const first = await request(app).post(`${MOUNT}/phone/scan`).send({ ticket });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ event: 'subscribe', eventKey: 'qrscene_dev-scene', status: 200, reply: null });
    const openid = String(first.body.openid);
    expect(openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(pushedEvent(0).FromUserName).toBe(openid);

    const page = await request(app).get(`${MOUNT}/`);
    expect(page.text).toContain(`value="${openid}"`); // offered as a recent user

    const again = await request(app).post(`${MOUNT}/phone/scan`).type('form').send({ ticket, openid });
    expect(again.status).toBe(200);
    expect(again.headers['content-type']).toMatch(/^text\/html/);
    expect(again.text).toContain('Scanned');
    expect(pushedEvent(1)).toMatchObject({ Event: 'SCAN', EventKey: 'dev-scene', FromUserName: openid });
  });

  it('answers unknown tickets and bad input with a clear error', async () => {
    const unknown = await request(app).post(`${MOUNT}/phone/scan`).send({ ticket: 'gQnope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('WECHAT_SIMULATOR_TICKET_UNKNOWN');
    const bad = await request(app).post(`${MOUNT}/phone/scan`).send({ ticket: 't', openid: '<script>' });
    expect(bad.status).toBe(400);
    const badForm = await request(app).post(`${MOUNT}/phone/scan`).type('form').send({});
    expect(badForm.status).toBe(400);
    expect(badForm.text).toContain('Scan refused');
    expect(webhook.pushes).toHaveLength(0);
  });
});

describe('GET /q/:code (what the drawn QR code opens)', () => {
  it('offers to confirm the scan of that ticket', async () => {
    const { ticket, url } = await createTicket('camera-scene');
    const page = await request(app).get(new URL(url).pathname);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Confirm scan as new user');
    expect(page.text).toContain(`name="ticket" value="${ticket}"`);
    expect(page.text).toContain('camera-scene');
  });

  it('says so for unknown or expired codes', async () => {
    expect((await request(app).get(`${MOUNT}/q/doesNotExist`)).status).toBe(404);
    const { url } = await createTicket('short', 1);
    nowMs += 1000;
    const expired = await request(app).get(new URL(url).pathname);
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('expired');
  });
});
