import { flushPromises } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { WECHAT_LOGIN_CLIENT, type WechatLoginClient } from '@/components/wechat-login/wechat-login-client';
import { mountWithApp } from '@/test-support/mount-with-app';
import { routerAt } from '@/test-support/router-at';
import SignInView from './SignInView.vue';

const authClient = vi.hoisted(() => ({
  signIn: { username: vi.fn(), email: vi.fn() },
  getSession: vi.fn(),
  signOut: vi.fn(),
}));
vi.mock('@/api/auth-client', () => ({ authClient }));

const SITE_WITH_SIMULATOR = {
  siteName: 'Test',
  wechat: { enabled: true, simulatorUrl: '/__wechat-simulator/' },
  placeholderEmailDomain: 'wechat.placeholder',
};

/** A WeChat client whose QR code never gets scanned: the widget just shows it. */
function idleWechatClient(): WechatLoginClient {
  return {
    getQrcode: vi.fn(async () => ({ sceneId: 'scene-0123456789abcdef', qrcodeUrl: '/qr.png', qrcodeContent: 'http://weixin.qq.com/q/abc', expiresIn: 300 })),
    waitForScan: vi.fn(() => new Promise<never>(() => {})),
    signInWechat: vi.fn(),
  };
}

function stubSiteInfo(site: object): void {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ success: true, data: site }), { status: 200 })));
}

async function mountSignIn(path = '/sign-in') {
  const router = await routerAt(path, { path: '/sign-in', name: 'sign-in', component: SignInView });
  const wrapper = mountWithApp(SignInView, { plugins: [createPinia(), router], provide: { [WECHAT_LOGIN_CLIENT]: idleWechatClient() } });
  return { wrapper, router };
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
    stubSiteInfo({ ...SITE_WITH_SIMULATOR, wechat: { enabled: false, simulatorUrl: null } });
    const { wrapper } = await mountSignIn();
    await flushPromises();

    const panel = wrapper.get('[data-testid="wechat-login"]');
    expect(panel.text()).toContain('本站未启用微信登录');
    expect(panel.find('.wl').exists()).toBe(false);
  });
});
