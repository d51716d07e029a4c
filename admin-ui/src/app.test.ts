import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { createAdminApp } from './app';

const authClient = vi.hoisted(() => ({
  getSession: vi.fn(),
  signIn: { username: vi.fn(), email: vi.fn() },
  // The sign-in page's QR code: issued, never scanned.
  getQrcode: vi.fn(async () => ({ sceneId: 'scene-0123456789abcdef', qrcodeUrl: '/qr.png', qrcodeContent: 'x', expiresIn: 300 })),
  waitForScan: vi.fn(() => new Promise<never>(() => {})),
  signInWechat: vi.fn(),
}));
vi.mock('@/api/auth-client', () => ({ authClient }));

async function bootAt(path: string) {
  const { app, router } = createAdminApp(createMemoryHistory());
  await router.push(path);
  const root = document.createElement('div');
  document.body.append(root);
  app.mount(root);
  await flushPromises();
  return { app, router, root };
}

describe('the admin SPA', () => {
  let unmount: () => void = () => {};

  beforeEach(() => {
    localStorage.clear();
    authClient.getSession.mockResolvedValue({ data: null, error: null });
    // No server here: the site facts fall back to their defaults.
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 503 })));
  });
  afterEach(() => unmount());

  it('boots a signed-out visitor onto the Chinese sign-in page, keeping where they were going', async () => {
    const { app, router, root } = await bootAt('/admin/users');
    unmount = () => app.unmount();

    expect(router.currentRoute.value.fullPath).toBe('/sign-in?redirect=/admin/users');
    expect(root.querySelector('h1')?.textContent).toContain('登录');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('boots in English when English was chosen on an earlier visit', async () => {
    localStorage.setItem('wechat-login.locale', 'en');
    const { app, root } = await bootAt('/sign-in');
    unmount = () => app.unmount();

    expect(root.querySelector('h1')?.textContent).toContain('Sign in');
    expect(document.documentElement.lang).toBe('en');
  });

  it('switches language from the header menu and remembers the choice', async () => {
    const { app, root } = await bootAt('/sign-in');
    unmount = () => app.unmount();

    root.querySelector<HTMLButtonElement>('button[aria-label="语言"]')?.click();
    await flushPromises();
    const english = [...document.querySelectorAll<HTMLElement>('.el-dropdown-menu__item')].find(
      (item) => item.textContent?.trim() === 'English',
    );
    english?.click();
    await flushPromises();

    expect(root.querySelector('h1')?.textContent).toContain('Sign in');
    expect(localStorage.getItem('wechat-login.locale')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(document.title).toBe('WeChat Login');
    // The translated rules must not validate the untouched form.
    expect(root.querySelectorAll('.el-form-item.is-error')).toHaveLength(0);
  });
});
