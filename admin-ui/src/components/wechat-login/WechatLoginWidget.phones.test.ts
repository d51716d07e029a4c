import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeWechatLoginClient, SCANNED } from '@/test-support/fake-wechat-login-client';
import { browseWith, stubClipboard, USER_AGENTS } from '@/test-support/user-agents';
import WechatLoginWidget from './WechatLoginWidget.vue';
import { WECHAT_LOGIN_CLIENT, type WechatLoginClient, type WechatQrPurpose } from './wechat-login-client';

interface WidgetProps {
  purpose?: WechatQrPurpose;
  lang?: string;
  webAuthorization?: boolean | null;
  callbackUrl?: string;
  newUserCallbackUrl?: string;
  errorCallbackUrl?: string;
}

let wrapper: VueWrapper | null = null;

function mountWidget(client: WechatLoginClient, props: WidgetProps = {}) {
  wrapper = mount(WechatLoginWidget, { props: { lang: 'en', ...props }, attachTo: document.body, global: { provide: { [WECHAT_LOGIN_CLIENT]: client } } });
  return wrapper;
}

const modeOf = (widget: VueWrapper) => widget.get('.wl').attributes('data-mode');
const oneTapButton = (widget: VueWrapper) => widget.get<HTMLButtonElement>('[data-testid="wechat-one-tap"]');

describe('the WeChat widget inside WeChat', () => {
  beforeEach(() => {
    browseWith(USER_AGENTS.wechatIphone);
    window.history.replaceState(null, '', '/shop/checkout?item=3');
  });
  afterEach(() => {
    wrapper?.unmount();
    wrapper = null;
  });

  it('offers one tap instead of a QR code, and asks for no QR code at all', async () => {
    const { client } = fakeWechatLoginClient();
    const widget = mountWidget(client, { webAuthorization: true });
    await flushPromises();

    expect(modeOf(widget)).toBe('one-tap');
    expect(oneTapButton(widget).text()).toBe('Continue with WeChat');
    expect(widget.find('img').exists()).toBe(false);
    expect(client.getQrcode).not.toHaveBeenCalled();
    expect(client.waitForScan).not.toHaveBeenCalled();
  });

  it('starts web authorization with the page\'s callbacks and spins until the browser has left', async () => {
    const { client } = fakeWechatLoginClient();
    let answer: (value: Awaited<ReturnType<WechatLoginClient['signInWechatOAuth']>>) => void = () => {};
    client.signInWechatOAuth.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const widget = mountWidget(client, {
      webAuthorization: true,
      callbackUrl: '/shop/checkout?item=3',
      newUserCallbackUrl: '/shop/hello',
      errorCallbackUrl: '/shop/sign-in',
      lang: 'zh-CN',
    });
    await flushPromises();

    await oneTapButton(widget).trigger('click');
    expect(client.signInWechatOAuth).toHaveBeenCalledWith({
      callbackURL: '/shop/checkout?item=3',
      newUserCallbackURL: '/shop/hello',
      errorCallbackURL: '/shop/sign-in',
    });
    expect(oneTapButton(widget).element.disabled).toBe(true);
    expect(oneTapButton(widget).text()).toBe('正在打开微信授权…');

    await oneTapButton(widget).trigger('click');
    expect(client.signInWechatOAuth).toHaveBeenCalledTimes(1);

    answer({ data: { url: 'https://open.weixin.qq.com/connect/oauth2/authorize', redirect: true }, error: null });
    await flushPromises();
    expect(oneTapButton(widget).element.disabled).toBe(true);
    expect(widget.find('[role="alert"]').exists()).toBe(false);
  });

  it('comes back to this very page by default, without the error an earlier attempt left in its address', async () => {
    window.history.replaceState(null, '', '/shop/checkout?item=3&error=WECHAT_OAUTH_CONSENT_REFUSED');
    const { client } = fakeWechatLoginClient();
    const widget = mountWidget(client, { webAuthorization: true });
    await flushPromises();

    await oneTapButton(widget).trigger('click');

    expect(client.signInWechatOAuth).toHaveBeenCalledWith({ callbackURL: '/shop/checkout?item=3', errorCallbackURL: '/shop/checkout?item=3' });
  });

  it('says why when the server will not start web authorization, and lets the person tap again', async () => {
    const { client } = fakeWechatLoginClient();
    client.signInWechatOAuth.mockResolvedValueOnce({ data: null, error: { code: 'WECHAT_OAUTH_NOT_PERMITTED', status: 403 } });
    const widget = mountWidget(client, { webAuthorization: true });
    await flushPromises();

    await oneTapButton(widget).trigger('click');
    await flushPromises();

    const alert = widget.get('[role="alert"]');
    expect(alert.text()).toContain('WeChat sign-in is unavailable');
    expect(alert.text()).toContain("Ask the site's administrator");
    expect(widget.emitted('error')?.[0]).toEqual(['WECHAT_OAUTH_NOT_PERMITTED']);
    expect(oneTapButton(widget).element.disabled).toBe(false);

    client.signInWechatOAuth.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await oneTapButton(widget).trigger('click');
    await flushPromises();
    expect(widget.get('[role="alert"]').text()).toContain('Cannot reach the server');
    expect(client.signInWechatOAuth).toHaveBeenCalledTimes(2);
  });

  it('asks the server whether web authorization is on when the page did not say (the custom element)', async () => {
    const { client } = fakeWechatLoginClient();
    let answer: (available: boolean) => void = () => {};
    const webAuthorizationAvailable = vi.fn(() => new Promise<boolean>((resolve) => (answer = resolve)));
    const widget = mountWidget({ ...client, webAuthorizationAvailable });
    await flushPromises();
    expect(modeOf(widget)).toBe('pending');
    expect(client.getQrcode).not.toHaveBeenCalled();

    answer(true);
    await flushPromises();
    expect(modeOf(widget)).toBe('one-tap');
    expect(webAuthorizationAvailable).toHaveBeenCalledTimes(1);
  });

  it('falls back to the QR code to save, without "open WeChat" or a link to copy, when web authorization is off', async () => {
    const { client } = fakeWechatLoginClient();
    const widget = mountWidget({ ...client, webAuthorizationAvailable: vi.fn(async () => false) });
    await flushPromises();

    expect(modeOf(widget)).toBe('save');
    await vi.waitFor(() => expect(widget.get('img.wl-qr').attributes('src')).toMatch(/^data:image\/png;base64,/));
    const steps = widget.findAll('[data-testid="wechat-save-guide"] li').map((step) => step.text());
    expect(steps).toHaveLength(4);
    expect(steps.join(' ')).not.toContain('Open WeChat');
    expect(widget.find('[data-testid="wechat-copy-link"]').exists()).toBe(false);
    expect(widget.find('[data-testid="wechat-one-tap"]').exists()).toBe(false);
  });

  it('binds by the QR code even where one tap could sign in: the account page binds by web authorization itself', async () => {
    const { client } = fakeWechatLoginClient();
    const widget = mountWidget(client, { purpose: 'bind', webAuthorization: true });
    await flushPromises();

    expect(modeOf(widget)).toBe('save');
    expect(client.getQrcode).toHaveBeenCalledWith(expect.objectContaining({ purpose: 'bind' }));
    expect(widget.text()).toContain('Confirm the binding in WeChat');
  });
});

describe('the WeChat widget on another phone browser', () => {
  beforeEach(() => {
    browseWith(USER_AGENTS.safariIphone);
    window.history.replaceState(null, '', '/sign-in?redirect=%2Faccount');
  });
  afterEach(() => {
    wrapper?.unmount();
    wrapper = null;
  });

  it('shows the QR code as a PNG to save, with the steps, and still waits for a scan from another phone', async () => {
    const { client, latestWait } = fakeWechatLoginClient();
    const widget = mountWidget(client, { webAuthorization: true });
    await flushPromises();

    expect(modeOf(widget)).toBe('save');
    await vi.waitFor(() => expect(widget.get('img.wl-qr').attributes('src')).toMatch(/^data:image\/png;base64,/));
    expect(widget.get('img.wl-qr').classes()).toContain('wl-qr-saveable');
    expect(widget.findAll('[data-testid="wechat-save-guide"] li').map((step) => step.text())).toEqual([
      'Press and hold the QR code above and save the image',
      'Open WeChat',
      'Tap "+" at the top right, then "Scan"',
      'Tap "Album" (相册) and choose the saved QR code image',
      'Confirm the sign-in in WeChat',
    ]);
    expect(widget.find('[data-testid="wechat-one-tap"]').exists()).toBe(false);

    latestWait().resolve(SCANNED);
    await flushPromises();
    expect(client.signInWechat).toHaveBeenCalledWith({ sceneId: 'scene-0000000000000001' });
    expect(widget.emitted('signed-in')).toHaveLength(1);
  });

  it('copies the page\'s address to open it in WeChat', async () => {
    const writeText = stubClipboard();
    const widget = mountWidget(fakeWechatLoginClient().client);
    await flushPromises();

    await widget.get('[data-testid="wechat-copy-link"]').trigger('click');
    await flushPromises();

    expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/sign-in?redirect=%2Faccount`);
    expect(widget.get('[role="status"]').text()).toBe('Link copied. Paste it in WeChat and open it there.');
    expect(widget.find('[data-testid="wechat-link-field"]').exists()).toBe(false);
  });

  it('shows the address selected in a field when the clipboard refuses', async () => {
    stubClipboard({ refuse: true });
    const widget = mountWidget(fakeWechatLoginClient().client);
    await flushPromises();

    await widget.get('[data-testid="wechat-copy-link"]').trigger('click');
    await flushPromises();

    const field = widget.get<HTMLInputElement>('[data-testid="wechat-link-field"]').element;
    expect(field.value).toBe(`${window.location.origin}/sign-in?redirect=%2Faccount`);
    expect(field.readOnly).toBe(true);
    expect(document.activeElement).toBe(field);
    expect(widget.text()).not.toContain('Link copied');
  });

  it('shows the address in a field where there is no clipboard at all (a page not served over https)', async () => {
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue(undefined as unknown as Clipboard);
    const widget = mountWidget(fakeWechatLoginClient().client);
    await flushPromises();

    await widget.get('[data-testid="wechat-copy-link"]').trigger('click');
    await flushPromises();

    expect(widget.get<HTMLInputElement>('[data-testid="wechat-link-field"]').element.value).toContain('/sign-in?redirect=%2Faccount');
  });
});

describe('the WeChat widget on a computer', () => {
  afterEach(() => {
    wrapper?.unmount();
    wrapper = null;
  });

  it('shows the SVG code to scan from the screen, no steps and no button, whatever the site offers', async () => {
    browseWith(USER_AGENTS.chromeDesktop);
    const { client } = fakeWechatLoginClient();
    const widget = mountWidget(client, { webAuthorization: true });
    await flushPromises();

    expect(modeOf(widget)).toBe('scan');
    await vi.waitFor(() => expect(widget.get('img.wl-qr').attributes('src')).toMatch(/^data:image\/svg\+xml/));
    expect(widget.text()).toContain('Scan with WeChat to sign in');
    expect(widget.find('[data-testid="wechat-save-guide"]').exists()).toBe(false);
    expect(widget.find('[data-testid="wechat-one-tap"]').exists()).toBe(false);
    expect(client.signInWechatOAuth).not.toHaveBeenCalled();
  });
});
