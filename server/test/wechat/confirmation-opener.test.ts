import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linksInReply, createInAppBrowser, MOBILE_SAFARI_USER_AGENT } from '../../src/simulator/in-app-browser.js';
import { SCENE_COLLECTION } from '../../src/wechat/scenes/scene-store.js';
import type { SceneDocument } from '../../src/wechat/scenes/scene.js';
import { auditEvents } from '../audit/audit-support.js';
import { browser } from '../support/http.js';
import { newWechatUser, requestQrcode, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';

/**
 * The confirmation link bound to the person who scanned (WECHAT_MP_CONFIRM_VERIFY_OPENER, on by
 * default): inside WeChat it passes through a silent web authorization, and only the scanner may answer.
 */
let harness: WechatHarness;
beforeAll(async () => {
  harness = await startWechatHarness();
});
afterAll(async () => {
  await harness?.close();
});

const outcomeOf = (html: string) => /data-outcome="([a-z-]+)"/.exec(html)?.[1] ?? null;
const sceneOf = (sceneId: string) => harness.runtime.database.db.collection<SceneDocument>(SCENE_COLLECTION).findOne({ _id: sceneId });

async function scannedBy(user = newWechatUser()) {
  const desktop = browser(harness.runtime.app);
  const qrcode = await requestQrcode(desktop);
  const push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user });
  const [link] = linksInReply(push.reply?.Content ?? '');
  return { desktop, qrcode, push, user, link: link!.href };
}

describe('the confirmation link, bound to the WeChat user who scanned', () => {
  it('passes the scanner through a silent web authorization to the question, and takes their answer', async () => {
    const { push, qrcode, user } = await scannedBy();
    const page = await harness.simulator.phone.openInWechat(user.openid, linksInReply(push.reply!.Content!)[0]!.href);
    expect(page.redirects.some((url) => url.includes('/connect/oauth2/authorize'))).toBe(true);
    expect(page.html).toContain('name="decision"');
    // The page's own address again, without WeChat's code and state.
    expect(new URL(page.url).searchParams.has('code')).toBe(false);
    const answer = await harness.simulator.phone.answerConfirmation(push.reply, 'confirm');
    expect(answer.outcome).toBe('confirmed');
    expect((await sceneOf(qrcode.sceneId))?.status).toBe('confirmed');
  });

  it('refuses a forwarded link opened by another WeChat user, audits it, and the scanner can still answer', async () => {
    const { push, qrcode } = await scannedBy();
    const stranger = await harness.simulator.phone.answerConfirmation(push.reply, 'confirm', { asOpenid: newWechatUser().openid });
    expect(stranger.outcome).toBe('not-yours');
    expect(stranger.status).toBe(403);
    expect((await sceneOf(qrcode.sceneId))?.status).toBe('scanned');
    const refused = await auditEvents(harness.runtime, { type: 'scan.opener-refused', 'details.reason': 'other-wechat-user' });
    expect(refused.length).toBeGreaterThan(0);

    const owner = await harness.simulator.phone.answerConfirmation(push.reply, 'deny');
    expect(owner.outcome).toBe('denied');
  });

  it('says to open it in WeChat when opened in another browser, and asks nothing there', async () => {
    const { link, qrcode } = await scannedBy();
    const safari = createInAppBrowser({ userAgent: MOBILE_SAFARI_USER_AGENT });
    const page = await safari.open(link);
    expect(outcomeOf(page.html)).toBe('open-in-wechat');
    expect(page.html).not.toContain('name="decision"');
    expect((await sceneOf(qrcode.sceneId))?.status).toBe('scanned');
  });

  it('refuses an answer posted straight to the page without the proof (a link read off a log), and audits it', async () => {
    const { link, qrcode } = await scannedBy();
    const url = new URL(link);
    const res = await fetch(new URL(url.pathname, url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': createInAppBrowser().userAgent },
      body: new URLSearchParams({ t: url.searchParams.get('t')!, decision: 'confirm' }),
    });
    expect(res.status).toBe(403);
    expect(outcomeOf(await res.text())).toBe('not-yours');
    expect((await sceneOf(qrcode.sceneId))?.status).toBe('scanned');
    expect((await auditEvents(harness.runtime, { type: 'scan.opener-refused', 'details.reason': 'no-proof' })).length).toBeGreaterThan(0);
  });

  it('does not let the proof earned for one scene answer another scene of the same person', async () => {
    const user = newWechatUser();
    const first = await scannedBy(user);
    const second = await scannedBy(user);
    const phone = harness.simulator.phone.browser(user.openid);
    const firstPage = await phone.open(first.link);
    expect(firstPage.html).toContain('name="decision"');
    // The proof cookie lives on the first scene's path; forged onto the second, it does not verify.
    const proof = phone.cookies.all().find((cookie) => cookie.name === 'wml_confirm_opener')!;
    const secondUrl = new URL(second.link);
    const res = await fetch(new URL(secondUrl.pathname, secondUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': phone.userAgent, cookie: `wml_confirm_opener=${proof.value}` },
      body: new URLSearchParams({ t: secondUrl.searchParams.get('t')!, decision: 'confirm' }),
    });
    expect(outcomeOf(await res.text())).toBe('not-yours');
    expect((await sceneOf(second.qrcode.sceneId))?.status).toBe('scanned');
  });

  it('refuses a return from WeChat with a state of another browser or none', async () => {
    const { link, qrcode } = await scannedBy();
    const stranger = createInAppBrowser();
    const page = await stranger.open(`${link}&code=abc&state=0123456789abcdef0123456789abcdef`);
    expect(outcomeOf(page.html)).toBe('invalid');
    expect((await sceneOf(qrcode.sceneId))?.status).toBe('scanned');
  });

  it('keeps the code and the state out of the page it returns to', async () => {
    const { user, link } = await scannedBy();
    const page = await harness.simulator.phone.openInWechat(user.openid, link);
    expect(page.url).not.toMatch(/[?&](code|state)=/);
    expect(page.html).not.toMatch(/code=|state=/);
  });
});

describe('WECHAT_MP_VERIFY_FILE', () => {
  it('serves the domain-check file at the root, and nothing for other names', async () => {
    const withFile = await startWechatHarness({ env: { WECHAT_MP_VERIFY_FILE: 'MP_verify_AbC123xyz.txt' } });
    try {
      const client = browser(withFile.runtime.app);
      const file = await client.get('/MP_verify_AbC123xyz.txt');
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toMatch(/^text\/plain/);
      expect(file.text).toBe('AbC123xyz');
      expect((await client.get('/MP_verify_other.txt')).status).toBe(404);
    } finally {
      await withFile.close();
    }
  });
});
