import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { createAdminApp } from './app';
import { preloadSignInPage } from './components/sign-in/sign-in-preload';

const authClient = vi.hoisted(() => ({
  getSession: vi.fn(),
  signIn: { username: vi.fn(), email: vi.fn() },
  // The sign-in page's QR code: issued, never scanned.
  getQrcode: vi.fn(async () => ({ sceneId: 'scene-0123456789abcdef', qrcodeUrl: '/qr.png', qrcodeContent: 'x', expiresIn: 300 })),
  waitForScan: vi.fn(() => new Promise<never>(() => {})),
  signInWechat: vi.fn(),
}));
vi.mock('@/api/auth-client', () => ({ authClient }));

/** Starts the app at `path` as main.ts does, the sign-in page's preload included. */
async function bootAt(path: string) {
  const { app, router, pinia, localeReady, prefetchLoginQrcode } = createAdminApp(createMemoryHistory());
  preloadSignInPage(path, { router, pinia, prefetchLoginQrcode, browser: 'desktop' });
  await router.push(path);
  // As main.ts does: a language chosen on an earlier visit is downloaded before the page shows.
  await localeReady;
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

  it('switches language from the corner of the sign-in page, downloading English then, and remembers the choice', async () => {
    const { app, root } = await bootAt('/sign-in');
    unmount = () => app.unmount();

    const select = root.querySelector<HTMLSelectElement>('select[aria-label="语言"]');
    expect(select?.value).toBe('zh-CN');
    select!.value = 'en';
    select!.dispatchEvent(new Event('change'));

    // English is a chunk of its own, fetched on this first choice: poll for the page to change, with a bound.
    await vi.waitFor(() => expect(root.querySelector('h1')?.textContent).toContain('Sign in'), { timeout: 10_000 });
    expect(localStorage.getItem('wechat-login.locale')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(document.title).toBe('WeChat Login');
    expect(select!.value).toBe('en');
    // The translated rules must not validate the untouched form.
    expect(root.querySelectorAll('[aria-invalid="true"]')).toHaveLength(0);
  });

  it('shows the sign-in QR code asked for as the app started, without asking for another', async () => {
    const { app, root } = await bootAt('/sign-in');
    unmount = () => app.unmount();

    await vi.waitFor(() => expect(root.querySelector('img.wl-qr')).not.toBeNull(), { timeout: 10_000 });
    expect(authClient.getQrcode).toHaveBeenCalledTimes(1);
    expect(root.querySelector('[data-testid="wechat-countdown"]')?.textContent).toMatch(/0?4:5\d|5:00/);
  });
});
