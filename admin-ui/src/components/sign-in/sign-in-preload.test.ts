import { createPinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { defineComponent, h } from 'vue';
import { preloadSignInPage } from './sign-in-preload';

const Page = defineComponent({ render: () => h('div') });

/** The app's sign-in route with a loader the test watches, and another page. */
function routerWithLazySignIn() {
  const loadSignInPage = vi.fn(async () => Page);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/sign-in', name: 'sign-in', component: loadSignInPage },
      { path: '/account', name: 'account', component: Page },
    ],
  });
  return { router, loadSignInPage };
}

describe('preloading the sign-in page as the app starts', () => {
  const fetchMock = vi.fn(async () => new Response(JSON.stringify({ success: true, data: {} })));
  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock);
  });

  it('starts the page\'s code, the site facts and the QR code at once on a computer or a phone', () => {
    for (const browser of ['desktop', 'mobile'] as const) {
      const { router, loadSignInPage } = routerWithLazySignIn();
      const prefetchLoginQrcode = vi.fn();
      fetchMock.mockClear();

      expect(preloadSignInPage('/sign-in', { router, pinia: createPinia(), prefetchLoginQrcode, browser })).toBe(true);

      expect(loadSignInPage).toHaveBeenCalledTimes(1);
      expect(fetchMock).toHaveBeenCalledWith('/api/v1/pub/site', expect.anything());
      expect(prefetchLoginQrcode).toHaveBeenCalledTimes(1);
    }
  });

  it('asks for no QR code inside WeChat, where the site facts may say one tap instead', () => {
    const { router, loadSignInPage } = routerWithLazySignIn();
    const prefetchLoginQrcode = vi.fn();

    expect(preloadSignInPage('/sign-in', { router, pinia: createPinia(), prefetchLoginQrcode, browser: 'wechat' })).toBe(true);

    expect(loadSignInPage).toHaveBeenCalled();
    expect(fetchMock).toHaveBeenCalled();
    expect(prefetchLoginQrcode).not.toHaveBeenCalled();
  });

  it('does nothing on any other page', () => {
    const { router, loadSignInPage } = routerWithLazySignIn();
    const prefetchLoginQrcode = vi.fn();

    expect(preloadSignInPage('/account', { router, pinia: createPinia(), prefetchLoginQrcode, browser: 'desktop' })).toBe(false);

    expect(loadSignInPage).not.toHaveBeenCalled();
    expect(fetchMock).not.toHaveBeenCalled();
    expect(prefetchLoginQrcode).not.toHaveBeenCalled();
  });
});
