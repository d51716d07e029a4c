import { flushPromises } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScannedResult, WaitForScanOptions } from '@wechat-login/server/wechat-client';
import type { WechatBinding } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { WECHAT_LOGIN_CLIENT, type WechatLoginClient } from '@/components/wechat-login/wechat-login-client';
import { mountWithApp } from '@/test-support/mount-with-app';
import WechatBindingCard from './WechatBindingCard.vue';

const api = vi.hoisted(() => ({
  checkWechatBinding: vi.fn<() => Promise<ApiResult<WechatBinding>>>(),
  bindWechat: vi.fn<(sceneId: string) => Promise<ApiResult<unknown>>>(),
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
  };
  return { client, scan: (result: ScannedResult) => scan(result) };
}

function mountCard(client: WechatLoginClient) {
  return mountWithApp(WechatBindingCard, { plugins: [createPinia()], provide: { [WECHAT_LOGIN_CLIENT]: client } });
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
    const card = mountCard(client);
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
    const card = mountCard(client);
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
    const card = mountCard(scannableClient().client);
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
    const card = mountCard(scannableClient().client);
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
    const card = mountCard(scannableClient().client);
    await flushPromises();
    expect(card.text()).toContain('无法连接服务器');

    await card.get('.el-result button').trigger('click');
    await flushPromises();
    expect(card.get('[data-testid="wechat-binding-state"]').text()).toBe('未绑定');
  });
});
