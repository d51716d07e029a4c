import { flushPromises } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScannedResult, WaitForScanOptions } from '@wechat-login/server/wechat-client';
import type { WechatOAuthRedirects } from '@wechat-login/server/wechat-client';
import type { WechatBinding } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { WECHAT_LOGIN_CLIENT, type WechatLoginClient } from '@/components/wechat-login/wechat-login-client';
import { mountWithApp } from '@/test-support/mount-with-app';
import { routerAt } from '@/test-support/router-at';
import { browseWith, USER_AGENTS } from '@/test-support/user-agents';
import WechatBindingCard from './WechatBindingCard.vue';

const api = vi.hoisted(() => ({
  checkWechatBinding: vi.fn<() => Promise<ApiResult<WechatBinding>>>(),
  bindWechat: vi.fn<(sceneId: string) => Promise<ApiResult<unknown>>>(),
  bindWechatByWebAuthorization: vi.fn<(redirects: WechatOAuthRedirects) => Promise<ApiResult<{ url: string }>>>(),
  unbindWechat: vi.fn<() => Promise<ApiResult<unknown>>>(),
}));
vi.mock('@/api/wechat-binding', () => api);

const dialogs = vi.hoisted(() => ({ confirmDestructive: vi.fn(async () => true), explain: vi.fn(async () => {}) }));
vi.mock('@/composables/use-confirm', () => ({ useConfirm: () => dialogs }));

vi.mock('@/api/auth-client', () => ({ authClient: { getSession: vi.fn(async () => ({ data: null, error: null })) } }));

const BOUND: WechatBinding = { bound: true, openid: 'o-alice', unionid: null, boundAt: '2026-01-02T03:04:05.000Z' };
const NOT_BOUND: WechatBinding = { bound: false };
const SCANNED: ScannedResult = { status: 'confirmed', scanned: true, openid: 'o-alice', unionid: null, nickname: null, avatar: null };

/** The bind dialog's QR widget: each code is "scanned" as soon as the test calls `scan()`. */
function scannableClient() {
  let scan: (result: ScannedResult) => void = () => {};
  let issued = 0;
  const client: WechatLoginClient = {
    getQrcode: vi.fn(async () => {
      issued += 1;
      return { sceneId: `bind-scene-${String(issued).padStart(11, '0')}`, qrcodeUrl: '/qr.png', qrcodeContent: 'http://weixin.qq.com/q/b', expiresIn: 300 };
    }),
    waitForScan: vi.fn((_sceneId: string, _options: WaitForScanOptions) => new Promise<ScannedResult>((resolve) => (scan = resolve))),
    signInWechat: vi.fn(),
    signInWechatOAuth: vi.fn(),
  };
  return { client, scan: (result: ScannedResult) => scan(result) };
}

async function mountCard(client: WechatLoginClient, path = '/account') {
  const router = await routerAt(path);
  const card = mountWithApp(WechatBindingCard, { plugins: [createPinia(), router], provide: { [WECHAT_LOGIN_CLIENT]: client } });
  return Object.assign(card, { router });
}

function stubSiteInfo(webAuthorization: boolean): void {
  const site = { siteName: 'Test', wechat: { enabled: true, simulatorUrl: null, webAuthorization }, placeholderEmailDomain: 'wechat.placeholder' };
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ success: true, data: site }), { status: 200 })));
}

const bindDialog = () => document.querySelector<HTMLElement>('[data-testid="bind-wechat-dialog"]');

describe('the WeChat binding on the account page', () => {
  beforeEach(() => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 503 })));
  });

  it('binds the WeChat that scanned the code in the dialog, then shows it bound', async () => {
    api.checkWechatBinding.mockResolvedValueOnce({ ok: true, data: NOT_BOUND }).mockResolvedValueOnce({ ok: true, data: BOUND });
    api.bindWechat.mockResolvedValue({ ok: true, data: { bound: true } });
    const { client, scan } = scannableClient();
    const card = await mountCard(client);
    await flushPromises();
    expect(card.get('[data-testid="wechat-binding-state"]').text()).toBe('未绑定');

    await card.get('.actions button').trigger('click');
    await flushPromises();
    expect(bindDialog()?.textContent).toContain('请使用微信扫一扫绑定');
    expect(client.getQrcode).toHaveBeenCalledWith(expect.objectContaining({ purpose: 'bind' }));

    scan(SCANNED);
    await flushPromises();

    expect(api.bindWechat).toHaveBeenCalledWith('bind-scene-00000000001');
    expect(card.get('[data-testid="wechat-binding-state"]').text()).toBe('已绑定');
    expect(card.text()).toContain('o-alice');
    expect(card.emitted('changed')).toHaveLength(1);
  });

  it('keeps the dialog open with the reason and a fresh code when the WeChat belongs to someone else', async () => {
    api.checkWechatBinding.mockResolvedValue({ ok: true, data: NOT_BOUND });
    api.bindWechat.mockResolvedValue({ ok: false, errorKey: 'errors.WECHAT_ALREADY_BOUND' });
    const { client, scan } = scannableClient();
    const card = await mountCard(client);
    await flushPromises();
    await card.get('.actions button').trigger('click');
    await flushPromises();

    scan(SCANNED);
    await flushPromises();

    expect(bindDialog()?.querySelector('[role="alert"]')?.textContent).toContain('这个微信已绑定其他账号');
    expect(client.getQrcode).toHaveBeenCalledTimes(2);
    expect(card.emitted('changed')).toBeUndefined();
  });

  it('explains why WeChat cannot be unbound when it is the only way to sign in', async () => {
    api.checkWechatBinding.mockResolvedValue({ ok: true, data: BOUND });
    api.unbindWechat.mockResolvedValue({ ok: false, errorKey: 'errors.WECHAT_ONLY_SIGN_IN_METHOD' });
    const card = await mountCard(scannableClient().client);
    await flushPromises();

    await card.get('.actions button').trigger('click');
    await flushPromises();

    expect(dialogs.confirmDestructive).toHaveBeenCalled();
    expect(dialogs.explain).toHaveBeenCalledWith('无法解除绑定', expect.stringContaining('请先在下方设置密码'));
    expect(card.get('[data-testid="wechat-binding-state"]').text()).toBe('已绑定');
  });

  it('unbinds only after confirmation, then shows the account unbound', async () => {
    api.checkWechatBinding.mockResolvedValueOnce({ ok: true, data: BOUND }).mockResolvedValueOnce({ ok: true, data: NOT_BOUND });
    api.unbindWechat.mockResolvedValue({ ok: true, data: { unbound: true } });
    dialogs.confirmDestructive.mockResolvedValueOnce(false);
    const card = await mountCard(scannableClient().client);
    await flushPromises();

    await card.get('.actions button').trigger('click');
    await flushPromises();
    expect(api.unbindWechat).not.toHaveBeenCalled();

    await card.get('.actions button').trigger('click');
    await flushPromises();
    expect(api.unbindWechat).toHaveBeenCalledTimes(1);
    expect(card.get('[data-testid="wechat-binding-state"]').text()).toBe('未绑定');
    expect(card.emitted('changed')).toHaveLength(1);
  });

  it('offers a retry when the binding cannot be read', async () => {
    api.checkWechatBinding.mockResolvedValueOnce({ ok: false, errorKey: 'errors.NETWORK_ERROR' }).mockResolvedValueOnce({ ok: true, data: NOT_BOUND });
    const card = await mountCard(scannableClient().client);
    await flushPromises();
    expect(card.text()).toContain('无法连接服务器');

    await card.get('.el-result button').trigger('click');
    await flushPromises();
    expect(card.get('[data-testid="wechat-binding-state"]').text()).toBe('未绑定');
  });

  it('binds this WeChat by web authorization inside WeChat, without a QR code', async () => {
    browseWith(USER_AGENTS.wechatIphone);
    stubSiteInfo(true);
    api.checkWechatBinding.mockResolvedValue({ ok: true, data: NOT_BOUND });
    let answer: (result: ApiResult<{ url: string }>) => void = () => {};
    api.bindWechatByWebAuthorization.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const { client } = scannableClient();
    const card = await mountCard(client);
    await flushPromises();

    const button = card.get('[data-testid="wechat-bind-this"]');
    expect(button.text()).toBe('绑定当前微信');
    await button.trigger('click');
    await flushPromises();

    expect(api.bindWechatByWebAuthorization).toHaveBeenCalledWith({ callbackURL: '/account?wechat=bound', errorCallbackURL: '/account' });
    expect(bindDialog()).toBeNull();
    expect(client.getQrcode).not.toHaveBeenCalled();
    expect(card.get('[data-testid="wechat-bind-this"]').classes()).toContain('is-loading');

    answer({ ok: true, data: { url: 'https://open.weixin.qq.com/connect/oauth2/authorize' } });
    await flushPromises();
    // The browser is on its way to WeChat: the button keeps spinning.
    expect(card.get('[data-testid="wechat-bind-this"]').classes()).toContain('is-loading');
  });

  it('says why when the server will not start the binding, and lets the person try again', async () => {
    browseWith(USER_AGENTS.wechatIphone);
    stubSiteInfo(true);
    api.checkWechatBinding.mockResolvedValue({ ok: true, data: NOT_BOUND });
    api.bindWechatByWebAuthorization.mockResolvedValue({ ok: false, errorKey: 'errors.WECHAT_OAUTH_NOT_PERMITTED' });
    const card = await mountCard(scannableClient().client);
    await flushPromises();

    await card.get('[data-testid="wechat-bind-this"]').trigger('click');
    await flushPromises();

    // The toast's code is fetched when first needed (use-submit.ts): poll for it, with a generous bound.
    await vi.waitFor(() => expect(document.body.textContent).toContain('请联系本站管理员'), { timeout: 10_000 });
    expect(card.get('[data-testid="wechat-bind-this"]').classes()).not.toContain('is-loading');
  });

  it('keeps the QR dialog inside WeChat when the site has no web authorization', async () => {
    browseWith(USER_AGENTS.wechatIphone);
    stubSiteInfo(false);
    api.checkWechatBinding.mockResolvedValue({ ok: true, data: NOT_BOUND });
    const { client } = scannableClient();
    const card = await mountCard(client);
    await flushPromises();

    expect(card.find('[data-testid="wechat-bind-this"]').exists()).toBe(false);
    await card.get('.actions button').trigger('click');
    await flushPromises();
    expect(client.getQrcode).toHaveBeenCalledWith(expect.objectContaining({ purpose: 'bind' }));
    expect(bindDialog()?.textContent).toContain('长按上方二维码');
  });

  it('keeps the QR dialog on a computer, whatever the site offers', async () => {
    stubSiteInfo(true);
    api.checkWechatBinding.mockResolvedValue({ ok: true, data: NOT_BOUND });
    const card = await mountCard(scannableClient().client);
    await flushPromises();

    expect(card.find('[data-testid="wechat-bind-this"]').exists()).toBe(false);
    expect(card.get('.actions button').text()).toBe('绑定微信');
  });

  it('says "bound" once after coming back from WeChat, and drops it from the address', async () => {
    api.checkWechatBinding.mockResolvedValue({ ok: true, data: BOUND });
    const card = await mountCard(scannableClient().client, '/account?wechat=bound&tab=security');
    await flushPromises();

    expect(document.querySelector('.el-message--success')?.textContent).toContain('微信已绑定');
    expect(card.router.currentRoute.value.path).toBe('/account');
    expect(card.router.currentRoute.value.query).toEqual({ tab: 'security' });
    expect(card.find('[data-testid="wechat-bind-returned-error"]').exists()).toBe(false);
  });

  it('says why the binding failed after coming back from WeChat, and drops the code from the address', async () => {
    api.checkWechatBinding.mockResolvedValue({ ok: true, data: NOT_BOUND });
    const card = await mountCard(scannableClient().client, '/account?error=WECHAT_OAUTH_SESSION_CHANGED');
    await flushPromises();

    const alert = card.get('[data-testid="wechat-bind-returned-error"]');
    expect(alert.text()).toContain('微信没有绑定');
    expect(alert.text()).toContain('授权期间登录的账号发生了变化');
    expect(card.router.currentRoute.value.fullPath).toBe('/account');
    expect(document.querySelector('.el-message--success')).toBeNull();
  });
});
