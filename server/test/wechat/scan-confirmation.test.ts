import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmationLinks } from '../../src/wechat/confirmation/confirmation-link.js';
import { type SceneDocument } from '../../src/wechat/scenes/scene.js';
import { SCENE_COLLECTION } from '../../src/wechat/scenes/scene-store.js';
import { linksInReply } from '../../src/simulator/in-app-browser.js';
import { browser, type Browser } from '../support/http.js';
import { TEST_SECRET } from '../support/test-runtime.js';
import { newWechatUser, requestQrcode, startWechatHarness, type IssuedQrcode, type WechatHarness } from '../support/wechat-harness.js';

const DESKTOP_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let harness: WechatHarness;
beforeAll(async () => {
  // The page itself, as a capability link (WECHAT_MP_CONFIRM_VERIFY_OPENER=false); the opener check has its own tests.
  harness = await startWechatHarness({ mode: 'safe', env: { SITE_NAME: 'Acme Shop', WECHAT_MP_CONFIRM_VERIFY_OPENER: 'false' } });
});
afterAll(async () => {
  await harness?.close();
});

const scenes = () => harness.runtime.database.db.collection<SceneDocument>(SCENE_COLLECTION);
const pollOf = (client: Browser, qrcode: IssuedQrcode) => client.get(`/api/v1/pub/mp/get-scan-result?sceneId=${qrcode.sceneId}`);

/** A desktop browser shows a QR code; a WeChat user scans it. Returns the link the reply carries. */
async function scanned(purpose: 'login' | 'bind' = 'login', user = newWechatUser()) {
  const client = browser(harness.runtime.app);
  client.agent.set('User-Agent', DESKTOP_CHROME);
  const res = await client.get(`/api/v1/pub/mp/get-qrcode${purpose === 'bind' ? '?purpose=bind' : ''}`);
  const qrcode = res.body.data as IssuedQrcode;
  const push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user });
  const [link] = linksInReply(push.reply?.Content ?? '');
  return { client, qrcode, push, user, link: new URL(link!.href) };
}

const answer = (link: URL, decision: string, token = link.searchParams.get('t')!) =>
  fetch(new URL(link.pathname, link), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ t: token, decision }) });

describe('confirm on the phone', () => {
  it('replies with who asks (browser, system, IP, time) and a link for this scene only', async () => {
    const { push, link, qrcode } = await scanned();
    const content = push.reply!.Content!;
    expect(content).toMatch(/^你正在电脑上登录「Acme Shop」。\n浏览器：Chrome 131 · Windows\nIP 地址：127\.0\.0\.1\n时间：\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}（北京时间）\n<a href="[^"]+">确认登录<\/a>\n/);
    expect(link.origin).toBe(harness.baseUrl);
    expect(link.pathname).toBe(`/api/v1/pub/mp/confirm/${qrcode.sceneId}`);
    expect(link.searchParams.get('t')).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it('shows the same details on a mobile page, in Chinese or English', async () => {
    const { link } = await scanned();
    const zh = await fetch(link, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(zh.status).toBe(200);
    expect(zh.headers.get('content-security-policy')).toContain("default-src 'none'");
    const zhHtml = await zh.text();
    expect(zhHtml).toContain('<html lang="zh-CN">');
    expect(zhHtml).toMatch(/Chrome 131[\s\S]*Windows[\s\S]*127\.0\.0\.1/);
    expect(zhHtml).toContain('确认登录');
    expect(zhHtml).toContain('不是我');
    const en = await (await fetch(link, { headers: { 'accept-language': 'en-US,en;q=0.8' } })).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Confirm sign-in');
    expect(en).toContain("This wasn&#39;t me");
  });

  it('keeps a scan without confirmation from signing in or binding, and hides who scanned', async () => {
    const login = await scanned();
    expect((await pollOf(login.client, login.qrcode)).body.data).toEqual({ status: 'scanned', scanned: true });
    const early = await login.client.post('/api/auth/sign-in-wechat', { sceneId: login.qrcode.sceneId });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('SCENE_NOT_CONFIRMED');

    const owner = await browser(harness.runtime.app).post('/api/auth/sign-up/email', { email: 'confirm-binder@example.com', password: 'password-123', name: 'B' });
    expect(owner.status).toBe(200);
    const signedIn = browser(harness.runtime.app);
    await signedIn.post('/api/auth/sign-in/email', { email: 'confirm-binder@example.com', password: 'password-123' });
    const qrcode = await requestQrcode(signedIn, 'bind');
    await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user: newWechatUser() });
    const bind = await signedIn.post('/api/auth/bind-wechat', { sceneId: qrcode.sceneId });
    expect(bind.status).toBe(409);
    expect(bind.body.code).toBe('SCENE_NOT_CONFIRMED');
    expect((await signedIn.get('/api/auth/check-wechat-binding')).body).toEqual({ bound: false });
  });

  it('signs in once confirmed, and the link cannot be used again', async () => {
    const { client, qrcode, link, user } = await scanned();
    const confirmed = await answer(link, 'confirm');
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('data-outcome="confirmed"');
    expect((await pollOf(client, qrcode)).body.data).toMatchObject({ status: 'confirmed', openid: user.openid });

    const again = await answer(link, 'deny');
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('data-outcome="decided"');
    const reopened = await fetch(link);
    expect(reopened.status).toBe(409);

    const signIn = await client.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId });
    expect(signIn.status).toBe(200);
    expect(signIn.body.isNewUser).toBe(true);
  });

  it('cancels the scene on "this wasn\'t me": the browser is told and cannot sign in', async () => {
    const { client, qrcode, link } = await scanned();
    const denied = await answer(link, 'deny');
    expect(denied.status).toBe(200);
    expect(await denied.text()).toContain('data-outcome="denied"');
    expect((await pollOf(client, qrcode)).body.data).toEqual({ status: 'denied', scanned: true });
    const signIn = await client.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId });
    expect(signIn.status).toBe(409);
    expect(signIn.body.code).toBe('SCENE_DENIED');
    expect((await answer(link, 'confirm')).status).toBe(409);
    expect((await scenes().findOne({ _id: qrcode.sceneId }))?.status).toBe('denied');
  });

  it('refuses a link for another scene, or one made for another WeChat user', async () => {
    const first = await scanned();
    const second = await scanned();
    // Scene one's token on scene two's page.
    const crossed = new URL(second.link);
    crossed.searchParams.set('t', first.link.searchParams.get('t')!);
    expect((await fetch(crossed)).status).toBe(404);
    expect((await answer(crossed, 'confirm')).status).toBe(404);

    // A token for this scene made for someone else than the WeChat user who scanned it.
    const scene = (await scenes().findOne({ _id: second.qrcode.sceneId }))!;
    const forSomeoneElse = new ConfirmationLinks(TEST_SECRET, harness.baseUrl).tokenFor({ ...scene, openid: 'oSomeoneElse' });
    expect((await answer(second.link, 'confirm', forSomeoneElse)).status).toBe(404);
    // And one made with another server's secret.
    const foreign = new ConfirmationLinks('another-secret-another-secret-0123456789', harness.baseUrl).tokenFor(scene);
    expect((await answer(second.link, 'confirm', foreign)).status).toBe(404);

    expect((await scenes().findOne({ _id: second.qrcode.sceneId }))?.status).toBe('scanned');
    expect((await answer(second.link, 'confirm')).status).toBe(200);
  });

  it('refuses malformed answers and expired scenes without changing anything', async () => {
    const { link, qrcode } = await scanned();
    expect((await answer(link, 'maybe')).status).toBe(404);
    expect((await answer(link, 'confirm', 'short')).status).toBe(404);
    expect((await fetch(new URL(`/api/v1/pub/mp/confirm/not-a-scene?t=${link.searchParams.get('t')}`, link))).status).toBe(404);
    await scenes().updateOne({ _id: qrcode.sceneId }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const late = await answer(link, 'confirm');
    expect(late.status).toBe(410);
    expect(await late.text()).toContain('data-outcome="expired"');
    expect((await scenes().findOne({ _id: qrcode.sceneId }))?.status).toBe('scanned');
  });

  it('lets exactly one of concurrent answers count', async () => {
    const { link, qrcode } = await scanned();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => answer(link, i % 2 === 0 ? 'confirm' : 'deny')));
    expect(answers.map((res) => res.status).filter((status) => status === 200)).toHaveLength(1);
    expect(answers.map((res) => res.status).filter((status) => status === 409)).toHaveLength(5);
    expect(['confirmed', 'denied']).toContain((await scenes().findOne({ _id: qrcode.sceneId }))?.status);
  });

  it('gives the same link again when WeChat retries the push or the user scans again', async () => {
    const { push, qrcode, user } = await scanned();
    const again = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user: { ...user, subscribed: true } });
    expect(linksInReply(again.reply!.Content!)[0]!.href).toBe(linksInReply(push.reply!.Content!)[0]!.href);
  });

  it('never lets a User-Agent put markup into the page', async () => {
    const client = browser(harness.runtime.app);
    client.agent.set('User-Agent', '<script>alert(1)</script><a href="https://evil.example">x</a> Chrome/99');
    const qrcode = (await client.get('/api/v1/pub/mp/get-qrcode')).body.data as IssuedQrcode;
    const push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user: newWechatUser() });
    expect(linksInReply(push.reply!.Content!)).toHaveLength(1);
    expect(push.reply!.Content).not.toContain('evil.example');
    const html = await (await fetch(linksInReply(push.reply!.Content!)[0]!.href)).text();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('evil.example');
  });
});

describe('with WECHAT_MP_REQUIRE_CONFIRM=false', () => {
  let plain: WechatHarness;
  beforeAll(async () => {
    plain = await startWechatHarness({ mode: 'plain', env: { WECHAT_MP_REQUIRE_CONFIRM: 'false', WECHAT_MP_REPLY_LANG: 'en' } });
  });
  afterAll(async () => {
    await plain?.close();
  });

  it('confirms the scan at once: no link in the reply, and the browser signs in', async () => {
    const client = browser(plain.runtime.app);
    const qrcode = await requestQrcode(client);
    const push = await plain.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user: newWechatUser() });
    expect(push.reply?.Content).toBe('You are signing in to WeChat Login on a computer.');
    expect((await client.get(`/api/v1/pub/mp/get-scan-result?sceneId=${qrcode.sceneId}`)).body.data.status).toBe('confirmed');
    expect((await client.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId })).status).toBe(200);
  });
});
