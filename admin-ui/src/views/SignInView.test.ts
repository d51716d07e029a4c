import { flushPromises } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { WECHAT_LOGIN_CLIENT, type WechatLoginClient } from '@/components/wechat-login/wechat-login-client';
import { WECHAT_AUTHORIZE_URL } from '@/test-support/fake-wechat-login-client';
import { mountWithApp } from '@/test-support/mount-with-app';
import { routerAt } from '@/test-support/router-at';
import { browseWith, USER_AGENTS } from '@/test-support/user-agents';
import SignInView from './SignInView.vue';

const authClient = vi.hoisted(() => ({
  signIn: { username: vi.fn(), email: vi.fn() },
  getSession: vi.fn(),
  signOut: vi.fn(),
}));
vi.mock('@/api/auth-client', () => ({ authClient }));

const SITE_WITH_SIMULATOR = {
  siteName: 'Test',
  wechat: { enabled: true, simulatorUrl: '/__wechat-simulator/', webAuthorization: false },
  placeholderEmailDomain: 'wechat.placeholder',
};

const SITE_WITH_WEB_AUTHORIZATION = { ...SITE_WITH_SIMULATOR, wechat: { ...SITE_WITH_SIMULATOR.wechat, webAuthorization: true } };

/** A WeChat client whose QR code never gets scanned: the widget just shows it. One tap "leaves" for WeChat. */
function idleWechatClient() {
  return {
    getQrcode: vi.fn(async () => ({ sceneId: 'scene-0123456789abcdef', qrcodeUrl: '/qr.png', qrcodeContent: 'http://weixin.qq.com/q/abc', expiresIn: 300 })),
    waitForScan: vi.fn(() => new Promise<never>(() => {})),
    signInWechat: vi.fn(),
    signInWechatOAuth: vi.fn<WechatLoginClient['signInWechatOAuth']>(async () => ({ data: { url: WECHAT_AUTHORIZE_URL, redirect: true }, error: null })),
  } satisfies WechatLoginClient;
}

function stubSiteInfo(site: object): void {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ success: true, data: site }), { status: 200 })));
}

async function mountSignIn(path = '/sign-in', locale: 'zh-CN' | 'en' = 'zh-CN') {
  const router = await routerAt(path, { path: '/sign-in', name: 'sign-in', component: SignInView });
  const wechat = idleWechatClient();
  const wrapper = mountWithApp(SignInView, { locale, plugins: [createPinia(), router], provide: { [WECHAT_LOGIN_CLIENT]: wechat } });
  return { wrapper, router, wechat };
}

async function submitUsernameForm(wrapper: Awaited<ReturnType<typeof mountSignIn>>['wrapper']) {
  const form = wrapper.get('[data-testid="username-sign-in"]');
  await form.get('input[name="identifier"]').setValue('alice');
  await form.get('input[name="password"]').setValue('correct horse');
  await form.trigger('submit');
  await flushPromises();
}

function badCredentials(code: string, message: string) {
  return { data: null, error: { code, message, status: 401, statusText: 'Unauthorized' } };
}

describe('SignInView', () => {
  beforeEach(() => {
    stubSiteInfo(SITE_WITH_SIMULATOR);
  });

  it('shows the translated message for a better-auth error code, not the server text', async () => {
    authClient.signIn.username.mockResolvedValue(
      badCredentials('INVALID_USERNAME_OR_PASSWORD', 'Invalid username or password'),
    );
    const { wrapper, router } = await mountSignIn();

    await submitUsernameForm(wrapper);

    expect(authClient.signIn.username).toHaveBeenCalledWith({ username: 'alice', password: 'correct horse' });
    const alert = wrapper.get('[role="alert"]');
    expect(alert.text()).toContain('用户名或密码错误');
    expect(wrapper.text()).not.toContain('Invalid username or password');
    expect(router.currentRoute.value.name).toBe('sign-in');
  });

  it('falls back to the generic message for an unknown code, never raw JSON', async () => {
    authClient.signIn.username.mockResolvedValue(badCredentials('SOME_FUTURE_CODE', '{"detail":"internal"}'));
    const { wrapper } = await mountSignIn();

    await submitUsernameForm(wrapper);

    const alert = wrapper.get('[role="alert"]');
    expect(alert.text()).toContain('操作失败，请稍后再试');
    expect(wrapper.text()).not.toContain('SOME_FUTURE_CODE');
    expect(wrapper.text()).not.toContain('{');
  });

  it('does not call the server while a required field is empty', async () => {
    const { wrapper } = await mountSignIn();

    await wrapper.get('[data-testid="username-sign-in"]').trigger('submit');
    await flushPromises();

    expect(authClient.signIn.username).not.toHaveBeenCalled();
    // Element Plus shows field errors after a short debounce: poll for it, with vi.waitFor's bound.
    await vi.waitFor(() => expect(wrapper.text()).toContain('请输入用户名'));
  });

  it('signs in by email and goes to the same-origin redirect', async () => {
    authClient.signIn.email.mockResolvedValue({ data: { redirect: false }, error: null });
    authClient.getSession.mockResolvedValue({
      data: { user: { id: 'u1', name: 'Ada', email: 'ada@example.com', role: 'user' }, session: { id: 's1' } },
      error: null,
    });
    const { wrapper, router } = await mountSignIn('/sign-in?redirect=%2Faccount%3Ftab%3Dsecurity');

    const form = wrapper.get('[data-testid="email-sign-in"]');
    await form.get('input[name="identifier"]').setValue(' ada@example.com ');
    await form.get('input[name="password"]').setValue('correct horse');
    await form.trigger('submit');
    await flushPromises();

    expect(authClient.signIn.email).toHaveBeenCalledWith({ email: 'ada@example.com', password: 'correct horse' });
    expect(router.currentRoute.value.fullPath).toBe('/account?tab=security');
  });

  it('ignores an off-site redirect and sends an admin to the user list', async () => {
    authClient.signIn.username.mockResolvedValue({ data: { token: 't' }, error: null });
    authClient.getSession.mockResolvedValue({
      data: { user: { id: 'u1', name: 'Root', email: 'root@example.com', role: 'admin' }, session: { id: 's1' } },
      error: null,
    });
    const { wrapper, router } = await mountSignIn('/sign-in?redirect=%2F%2Fevil.example%2Fphish');

    await submitUsernameForm(wrapper);

    expect(router.currentRoute.value.name).toBe('admin-users');
  });

  it('shows the WeChat QR code with the simulator link the site announces', async () => {
    const { wrapper } = await mountSignIn();
    await flushPromises();

    const panel = wrapper.get('[data-testid="wechat-login"]');
    await vi.waitFor(() => expect(panel.find('img.wl-qr').attributes('src')).toMatch(/^data:image\/svg\+xml/));
    expect(panel.text()).toContain('请使用微信扫一扫登录');
    expect(panel.get('a.wl-simulator').attributes('href')).toBe('/__wechat-simulator/');
  });

  it('says so instead of showing a QR code when the site has WeChat sign-in off', async () => {
    stubSiteInfo({ ...SITE_WITH_SIMULATOR, wechat: { enabled: false, simulatorUrl: null, webAuthorization: false } });
    const { wrapper } = await mountSignIn();
    await flushPromises();

    const panel = wrapper.get('[data-testid="wechat-login"]');
    expect(panel.text()).toContain('本站未启用微信登录');
    expect(panel.find('.wl').exists()).toBe(false);
  });

  it('shows one "Continue with WeChat" button inside WeChat, no QR code, and keeps the password forms', async () => {
    browseWith(USER_AGENTS.wechatIphone);
    stubSiteInfo(SITE_WITH_WEB_AUTHORIZATION);
    const { wrapper, wechat } = await mountSignIn('/sign-in', 'en');
    await flushPromises();

    const panel = wrapper.get('[data-testid="wechat-login"]');
    expect(panel.get('[data-testid="wechat-one-tap"]').text()).toBe('Continue with WeChat');
    expect(panel.find('img').exists()).toBe(false);
    expect(wechat.getQrcode).not.toHaveBeenCalled();
    expect(wrapper.find('[data-testid="username-sign-in"]').exists()).toBe(true);
  });

  it('sends the one tap back to sign-in, or to the welcome page for a new account, carrying the redirect on', async () => {
    browseWith(USER_AGENTS.wechatAndroid);
    stubSiteInfo(SITE_WITH_WEB_AUTHORIZATION);
    const { wrapper, wechat } = await mountSignIn('/sign-in?redirect=%2Faccount%3Ftab%3Dsecurity');
    await flushPromises();

    await wrapper.get('[data-testid="wechat-one-tap"]').trigger('click');
    await flushPromises();

    expect(wechat.signInWechatOAuth).toHaveBeenCalledWith({
      callbackURL: '/sign-in?redirect=%2Faccount%3Ftab%3Dsecurity',
      newUserCallbackURL: '/welcome?redirect=%2Faccount%3Ftab%3Dsecurity',
      errorCallbackURL: '/sign-in?redirect=%2Faccount%3Ftab%3Dsecurity',
    });
    expect(wrapper.get<HTMLButtonElement>('[data-testid="wechat-one-tap"]').element.disabled).toBe(true);
  });

  it.each(['https://evil.example/phish', '//evil.example', '/\\evil.example'])(
    'never lets an attacker\'s redirect %s into the one tap\'s callbacks',
    async (redirect) => {
      browseWith(USER_AGENTS.wechatIphone);
      stubSiteInfo(SITE_WITH_WEB_AUTHORIZATION);
      const { wrapper, wechat } = await mountSignIn(`/sign-in?redirect=${encodeURIComponent(redirect)}`);
      await flushPromises();

      await wrapper.get('[data-testid="wechat-one-tap"]').trigger('click');

      expect(wechat.signInWechatOAuth).toHaveBeenCalledWith({ callbackURL: '/sign-in', newUserCallbackURL: '/welcome', errorCallbackURL: '/sign-in' });
    },
  );

  it('shows an error when the server will not start web authorization', async () => {
    browseWith(USER_AGENTS.wechatIphone);
    stubSiteInfo(SITE_WITH_WEB_AUTHORIZATION);
    const { wrapper, wechat } = await mountSignIn();
    wechat.signInWechatOAuth.mockResolvedValueOnce({ data: null, error: { code: 'RATE_LIMITED', status: 429 } });
    await flushPromises();

    await wrapper.get('[data-testid="wechat-one-tap"]').trigger('click');
    await flushPromises();

    expect(wrapper.get('[data-testid="wechat-login"] [role="alert"]').text()).toContain('操作过于频繁');
    expect(wrapper.get<HTMLButtonElement>('[data-testid="wechat-one-tap"]').element.disabled).toBe(false);
  });

  it('shows the QR code to save, with the steps, inside WeChat when the site has no web authorization', async () => {
    browseWith(USER_AGENTS.wechatIphone);
    const { wrapper } = await mountSignIn();
    await flushPromises();

    const panel = wrapper.get('[data-testid="wechat-login"]');
    expect(panel.find('[data-testid="wechat-one-tap"]').exists()).toBe(false);
    await vi.waitFor(() => expect(panel.get('img.wl-qr').attributes('src')).toMatch(/^data:image\/png/));
    expect(panel.text()).toContain('长按上方二维码，保存图片到相册');
    expect(panel.get('h2').text()).toBe('微信扫码登录');
  });

  it('shows Safari on a phone the QR code to save, the steps and the link to copy', async () => {
    browseWith(USER_AGENTS.safariIphone);
    stubSiteInfo(SITE_WITH_WEB_AUTHORIZATION);
    const { wrapper, wechat } = await mountSignIn();
    await flushPromises();

    const panel = wrapper.get('[data-testid="wechat-login"]');
    await vi.waitFor(() => expect(panel.get('img.wl-qr').attributes('src')).toMatch(/^data:image\/png/));
    expect(panel.findAll('[data-testid="wechat-save-guide"] li')).toHaveLength(5);
    expect(panel.get('[data-testid="wechat-copy-link"]').text()).toBe('复制链接，在微信中打开');
    expect(wechat.waitForScan).toHaveBeenCalled();
  });

  it('says why the WeChat sign-in came back without signing in, once: the code leaves the address', async () => {
    const { wrapper, router } = await mountSignIn('/sign-in?redirect=%2Faccount&error=WECHAT_OAUTH_CONSENT_REFUSED');
    await flushPromises();

    const alert = wrapper.get('[data-testid="sign-in-returned-error"]');
    expect(alert.text()).toContain('微信登录没有完成');
    expect(alert.text()).toContain('你没有同意微信授权');
    expect(wrapper.text()).not.toContain('WECHAT_OAUTH_CONSENT_REFUSED');
    expect(router.currentRoute.value.path).toBe('/sign-in');
    expect(router.currentRoute.value.query).toEqual({ redirect: '/account' });
  });

  it('says it in English too, e.g. for a link opened in another browser', async () => {
    const { wrapper } = await mountSignIn('/sign-in?error=WECHAT_OAUTH_STATE_MISMATCH', 'en');
    await flushPromises();

    expect(wrapper.get('[data-testid="sign-in-returned-error"]').text()).toContain('finished in another browser');
  });

  it.each(['SOMETHING_NEW', '__proto__', '<img src=x onerror=alert(1)>'])(
    'shows the generic message for an error code it does not know (%s), never the code',
    async (code) => {
      const { wrapper, router } = await mountSignIn(`/sign-in?error=${encodeURIComponent(code)}`);
      await flushPromises();

      expect(wrapper.get('[data-testid="sign-in-returned-error"]').text()).toContain('操作失败，请稍后再试');
      expect(wrapper.html()).not.toContain(code);
      expect(wrapper.find('img[src="x"]').exists()).toBe(false);
      expect(router.currentRoute.value.fullPath).toBe('/sign-in');
    },
  );

  it('shows no error alert without an error in the address', async () => {
    const { wrapper } = await mountSignIn('/sign-in?redirect=%2Faccount');
    await flushPromises();
    expect(wrapper.find('[data-testid="sign-in-returned-error"]').exists()).toBe(false);
  });

  it('switches between username and email with the tabs, by click or arrow key', async () => {
    const { wrapper } = await mountSignIn();
    const tabs = wrapper.findAll('[role="tab"]');
    const panelOf = (method: string) => wrapper.get(`[data-testid="${method}-sign-in"]`).element.parentElement as HTMLElement;

    expect(tabs.map((tab) => tab.attributes('aria-selected'))).toEqual(['true', 'false']);
    expect(panelOf('email').style.display).toBe('none');

    await tabs[1]!.trigger('click');
    expect(tabs.map((tab) => tab.attributes('aria-selected'))).toEqual(['false', 'true']);
    expect(panelOf('username').style.display).toBe('none');
    expect(panelOf('email').style.display).toBe('');

    await wrapper.get('[role="tablist"]').trigger('keydown', { key: 'ArrowRight' });
    expect(tabs[0]!.attributes('aria-selected')).toBe('true');
    expect(tabs[0]!.attributes('tabindex')).toBe('0');
    expect(tabs[1]!.attributes('tabindex')).toBe('-1');
  });

  it('says what a field lacks once it is left, and stops saying it as the person types', async () => {
    const { wrapper } = await mountSignIn('/sign-in', 'en');
    const form = wrapper.get('[data-testid="email-sign-in"]');
    const email = form.get('input[name="identifier"]');

    expect(form.text()).not.toContain('Enter your email');
    await email.trigger('blur');
    expect(form.text()).toContain('Enter your email');
    expect(email.attributes('aria-invalid')).toBe('true');
    const errorId = email.attributes('aria-describedby');
    expect(errorId && form.find(`[id="${errorId}"]`).text()).toBe('Enter your email');

    await email.setValue('ada@');
    expect(form.text()).toContain('Enter a valid email address');
    await email.setValue('ada@example.com');
    expect(form.text()).not.toContain('Enter a valid email address');
    expect(email.attributes('aria-invalid')).toBeUndefined();
  });

  it('shows and hides the password on request', async () => {
    const { wrapper } = await mountSignIn();
    const form = wrapper.get('[data-testid="username-sign-in"]');
    const reveal = form.get('button[aria-label="显示密码"]');

    await reveal.trigger('click');
    expect(form.get('input[name="password"]').attributes('type')).toBe('text');
    expect(reveal.attributes('aria-pressed')).toBe('true');
    expect(reveal.attributes('aria-label')).toBe('隐藏密码');
    await reveal.trigger('click');
    expect(form.get('input[name="password"]').attributes('type')).toBe('password');
  });

  it('keeps the submit button busy while the password sign-in is on its way', async () => {
    let answer: (value: unknown) => void = () => {};
    authClient.signIn.username.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const { wrapper } = await mountSignIn();

    await submitUsernameForm(wrapper);
    const button = wrapper.get<HTMLButtonElement>('[data-testid="username-sign-in"] button[type="submit"]');
    expect(button.element.disabled).toBe(true);
    expect(button.attributes('aria-busy')).toBe('true');

    answer(badCredentials('INVALID_USERNAME_OR_PASSWORD', 'Invalid username or password'));
    await flushPromises();
    expect(button.element.disabled).toBe(false);
  });

  it('lets the person close the note about an unfinished WeChat sign-in', async () => {
    const { wrapper } = await mountSignIn('/sign-in?error=WECHAT_OAUTH_CONSENT_REFUSED');
    await flushPromises();

    await wrapper.get('[data-testid="sign-in-returned-error"] button[aria-label="关闭"]').trigger('click');

    expect(wrapper.find('[data-testid="sign-in-returned-error"]').exists()).toBe(false);
  });
});
