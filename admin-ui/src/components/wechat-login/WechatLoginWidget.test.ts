import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeWechatLoginClient as fakeClient, SCANNED, SIGNED_IN_USER as USER } from '@/test-support/fake-wechat-login-client';
import { MAX_AUTO_REFRESHES } from './use-wechat-qr-login';
import WechatLoginWidget from './WechatLoginWidget.vue';
import { WECHAT_LOGIN_CLIENT, type WechatLoginClient, type WechatQrPurpose } from './wechat-login-client';

let wrapper: VueWrapper | null = null;

function mountWidget(client: WechatLoginClient, props: { purpose?: WechatQrPurpose; lang?: string } = {}) {
  wrapper = mount(WechatLoginWidget, { props, global: { provide: { [WECHAT_LOGIN_CLIENT]: client } } });
  return wrapper;
}

const statusOf = (widget: VueWrapper) => widget.get('.wl').attributes('data-status');

describe('WechatLoginWidget', () => {
  beforeEach(() => {
    // setImmediate stays real so flushPromises works; the countdown's clock is ours.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    wrapper?.unmount();
    wrapper = null;
    vi.useRealTimers();
  });

  it('draws the QR code from its content and counts down to its expiry', async () => {
    const { client } = fakeClient(300);
    const widget = mountWidget(client);
    await flushPromises();
    await vi.waitFor(() => expect(widget.get('img.wl-qr').attributes('src')).toMatch(/^data:image\/svg\+xml/));

    expect(client.getQrcode).toHaveBeenCalledWith(expect.objectContaining({ purpose: 'login' }));
    expect(widget.get('[data-testid="wechat-countdown"]').text()).toBe('5:00 后失效');
    await vi.advanceTimersByTimeAsync(61_000);
    expect(widget.get('[data-testid="wechat-countdown"]').text()).toBe('3:59 后失效');
  });

  it('replaces an expired code by itself, abandoning the old code\'s wait', async () => {
    const { client, waits } = fakeClient(60);
    const widget = mountWidget(client);
    await flushPromises();

    await vi.advanceTimersByTimeAsync(60_000);
    await flushPromises();

    expect(client.getQrcode).toHaveBeenCalledTimes(2);
    expect(waits[0]?.signal.aborted).toBe(true);
    expect(waits[1]?.sceneId).toBe('scene-0000000000000002');
    expect(statusOf(widget)).toBe('waiting');
  });

  it('asks for a fresh code when the server says the scene expired', async () => {
    const { client, latestWait } = fakeClient();
    mountWidget(client);
    await flushPromises();

    latestWait().reject(Object.assign(new Error('expired'), { code: 'SCENE_EXPIRED' }));
    await flushPromises();

    expect(client.getQrcode).toHaveBeenCalledTimes(2);
  });

  it(`stops after ${MAX_AUTO_REFRESHES} unattended refreshes and waits for a click`, async () => {
    const { client } = fakeClient(60);
    const widget = mountWidget(client);
    await flushPromises();

    for (let refresh = 0; refresh <= MAX_AUTO_REFRESHES; refresh += 1) {
      await vi.advanceTimersByTimeAsync(60_000);
      await flushPromises();
    }
    expect(statusOf(widget)).toBe('expired');
    expect(client.getQrcode).toHaveBeenCalledTimes(MAX_AUTO_REFRESHES + 1);

    await widget.get('.wl-overlay button').trigger('click');
    await flushPromises();
    expect(client.getQrcode).toHaveBeenCalledTimes(MAX_AUTO_REFRESHES + 2);
    expect(statusOf(widget)).toBe('waiting');
  });

  it('asks to confirm on the phone after the scan, then signs in once confirmed and emits the user', async () => {
    const { client, latestWait } = fakeClient();
    let finishSignIn: (value: Awaited<ReturnType<WechatLoginClient['signInWechat']>>) => void = () => {};
    client.signInWechat.mockReturnValueOnce(new Promise((resolve) => (finishSignIn = resolve)));
    const widget = mountWidget(client);
    await flushPromises();

    latestWait().awaitConfirmation();
    await flushPromises();
    expect(statusOf(widget)).toBe('confirming');
    expect(widget.get('[data-testid="wechat-confirming"]').text()).toContain('已扫码');
    expect(widget.text()).toContain('确认登录');
    expect(widget.get('[data-testid="wechat-countdown"]').classes()).not.toContain('wl-hidden');
    expect(client.signInWechat).not.toHaveBeenCalled();
    expect(widget.emitted('scanned')).toBeUndefined();

    latestWait().resolve(SCANNED);
    await flushPromises();
    expect(statusOf(widget)).toBe('scanned');
    expect(widget.text()).toContain('已确认');
    expect(widget.text()).toContain('正在登录');
    expect(widget.emitted('scanned')?.[0]).toEqual([{ ...SCANNED, sceneId: 'scene-0000000000000001' }]);
    expect(client.signInWechat).toHaveBeenCalledWith({ sceneId: 'scene-0000000000000001' });

    finishSignIn({ data: { user: USER, isNewUser: true }, error: null });
    await flushPromises();
    expect(widget.emitted('signed-in')?.[0]).toEqual([USER, { isNewUser: true }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('says so when the phone refused, and offers a fresh code only on request', async () => {
    const { client, latestWait } = fakeClient();
    const widget = mountWidget(client, { lang: 'en' });
    await flushPromises();

    latestWait().awaitConfirmation();
    latestWait().reject(Object.assign(new Error('denied'), { code: 'SCENE_DENIED' }));
    await flushPromises();
    expect(statusOf(widget)).toBe('denied');
    expect(widget.get('[data-testid="wechat-denied"]').text()).toContain('Cancelled on the phone');
    expect(client.signInWechat).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    expect(client.getQrcode).toHaveBeenCalledTimes(1);

    await widget.get('[data-testid="wechat-denied"] button').trigger('click');
    await flushPromises();
    expect(client.getQrcode).toHaveBeenCalledTimes(2);
    expect(statusOf(widget)).toBe('waiting');
  });

  it('gets a fresh code when the scanned one was already used, and reports a ban', async () => {
    const { client, latestWait } = fakeClient();
    client.signInWechat
      .mockResolvedValueOnce({ data: null, error: { code: 'SCENE_ALREADY_USED', status: 409 } })
      .mockResolvedValueOnce({ data: null, error: { code: 'BANNED_USER', status: 403 } });
    const widget = mountWidget(client);
    await flushPromises();

    latestWait().resolve(SCANNED);
    await flushPromises();
    expect(client.getQrcode).toHaveBeenCalledTimes(2);

    latestWait().resolve(SCANNED);
    await flushPromises();
    expect(statusOf(widget)).toBe('failed');
    expect(widget.get('[role="alert"]').text()).toContain('该账号已被封禁');
    expect(widget.emitted('error')?.[0]).toEqual(['BANNED_USER']);
  });

  it('only reports the scan for binding: the page binds, not the widget', async () => {
    const { client, latestWait } = fakeClient();
    const widget = mountWidget(client, { purpose: 'bind' });
    await flushPromises();

    latestWait().resolve(SCANNED);
    await flushPromises();

    expect(client.getQrcode).toHaveBeenCalledWith(expect.objectContaining({ purpose: 'bind' }));
    expect(widget.emitted('scanned')).toHaveLength(1);
    expect(client.signInWechat).not.toHaveBeenCalled();
    expect(widget.text()).toContain('请使用微信扫一扫绑定');
  });

  it('stops the push channel, the polling and the countdown when it leaves the page', async () => {
    const { client, latestWait } = fakeClient();
    const widget = mountWidget(client);
    await flushPromises();
    const { signal } = latestWait();

    widget.unmount();
    wrapper = null;
    await flushPromises();

    expect(signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('explains in the chosen language that WeChat is unreachable, and retries on request', async () => {
    const { client } = fakeClient();
    client.getQrcode.mockRejectedValueOnce(Object.assign(new Error('down'), { code: 'WECHAT_UNREACHABLE' }));
    const widget = mountWidget(client, { lang: 'en' });
    await flushPromises();

    const alert = widget.get('[role="alert"]');
    expect(alert.text()).toContain('WeChat sign-in is unavailable');
    expect(alert.text()).toContain('WeChat cannot be reached right now');
    expect(widget.emitted('error')?.[0]).toEqual(['WECHAT_UNREACHABLE']);

    await alert.get('button').trigger('click');
    await flushPromises();
    expect(statusOf(widget)).toBe('waiting');
  });

  it.each([
    ['WECHAT_NOT_CONFIGURED', '本站尚未启用微信登录'],
    ['WECHAT_TIMEOUT', '暂时无法连接微信服务器'],
    ['WECHAT_CONFIG_INVALID', '微信登录配置有误'],
    ['SOMETHING_NEW', '微信登录失败，请重试'],
  ])('words the server code %s for the visitor', async (code, words) => {
    const { client } = fakeClient();
    client.getQrcode.mockRejectedValueOnce(Object.assign(new Error(code), { code }));
    const widget = mountWidget(client, { lang: 'zh-CN' });
    await flushPromises();

    expect(widget.get('[role="alert"]').text()).toContain(words);
    expect(widget.text()).not.toContain(code);
  });
});
