import { flushPromises } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppLocale } from '@/i18n/locale-preference';
import { mountWithApp } from '@/test-support/mount-with-app';
import { routerAt } from '@/test-support/router-at';
import { useSessionStore } from '@/stores/session';
import OAuthConsentView from './OAuthConsentView.vue';

/**
 * /oauth/consent: the app named with its logo (https only), what it asks in plain words, and the
 * person's answer sent to the provider with the signed request; the browser goes where the provider
 * answered, and nowhere else.
 */

const authClient = vi.hoisted(() => ({ getSession: vi.fn(), signOut: vi.fn() }));
vi.mock('@/api/auth-client', () => ({ authClient }));
const leavePage = vi.hoisted(() => vi.fn());
vi.mock('@/components/oauth/leave-page', () => ({ leavePage }));

const CLIENT_ID = 'shopClientId0123456789';
const CALLBACK = 'https://shop.example.test/callback';

function signedSearch(scope = 'openid profile email offline_access wechat', sig = 'consent-sig-1'): string {
  const request = { response_type: 'code', client_id: CLIENT_ID, redirect_uri: CALLBACK, scope, state: 'st4te' };
  const params = new URLSearchParams(request);
  params.set('exp', String(Math.floor(Date.now() / 1000) + 60));
  params.set('ba_iat', String(Date.now()));
  for (const name of [...Object.keys(request), 'exp', 'ba_iat', 'ba_param'].sort()) params.append('ba_param', name);
  params.set('sig', sig);
  return `?${params.toString()}`;
}

interface Provider {
  client?: { status: number; body: object };
  consent?: Array<{ status: number; body: object }>;
  authorize?: string;
}

const calls: Array<{ url: string; method: string; body: Record<string, unknown> | undefined }> = [];

function stubProvider(provider: Provider): void {
  calls.length = 0;
  const consentAnswers = [...(provider.consent ?? [])];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init?: RequestInit) => {
      const url = String(input);
      calls.push({ url, method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : undefined });
      if (url.startsWith('/api/auth/oauth2/public-client?')) {
        const answer = provider.client ?? { status: 200, body: { client_id: CLIENT_ID, client_name: 'Shop', logo_uri: 'https://shop.example.test/logo.png' } };
        return Response.json(answer.body, { status: answer.status });
      }
      if (url === '/api/auth/oauth2/consent') {
        const answer = consentAnswers.shift() ?? { status: 500, body: {} };
        return Response.json(answer.body, { status: answer.status });
      }
      if (url.startsWith('/api/auth/oauth2/authorize')) return Response.json({ redirect: true, url: provider.authorize });
      return Response.json({}, { status: 404 });
    }),
  );
}

async function mountConsent(search: string, locale: AppLocale = 'en') {
  authClient.getSession.mockResolvedValue({ data: { user: { id: 'u1', name: 'Lin Hui', email: 'lin@example.com', role: 'user' }, session: { id: 's1', createdAt: new Date() } }, error: null });
  const router = await routerAt(`/oauth/consent${search}`, { path: '/oauth/consent', name: 'oauth-consent', component: OAuthConsentView });
  const pinia = createPinia();
  await useSessionStore(pinia).refresh();
  const wrapper = mountWithApp(OAuthConsentView, { locale, plugins: [pinia, router] });
  await flushPromises();
  return { wrapper, router };
}

function consentCalls() {
  return calls.filter((call) => call.url === '/api/auth/oauth2/consent');
}

describe('the consent page', () => {
  beforeEach(() => {
    leavePage.mockReset();
  });

  it('names the app with its logo, the person, and what the app will see, in plain words', async () => {
    stubProvider({});
    const { wrapper } = await mountConsent(signedSearch());
    expect(wrapper.get('[data-testid="consent-app-name"]').text()).toBe('Shop');
    expect(wrapper.get('h1').text()).toBe('Shop wants to access your account');
    expect(wrapper.get('[data-testid="app-logo"]').attributes('src')).toBe('https://shop.example.test/logo.png');
    expect(wrapper.get('[data-testid="consent-account"]').text()).toBe('Signed in as Lin Hui');
    const scopes = wrapper.findAll('[data-testid="consent-scopes"] li');
    expect(scopes.map((item) => item.attributes('data-scope'))).toEqual(['openid', 'profile', 'email', 'offline_access', 'wechat']);
    expect(scopes[4]!.text()).toBe('See your WeChat identifiers (openid and unionid)');
    expect(calls[0]?.url).toBe(`/api/auth/oauth2/public-client?client_id=${CLIENT_ID}`);
  });

  it('speaks Chinese by default', async () => {
    stubProvider({});
    const { wrapper } = await mountConsent(signedSearch('openid profile'), 'zh-CN');
    expect(wrapper.get('h1').text()).toBe('Shop 想要访问你的账号');
    expect(wrapper.get('[data-testid="consent-allow"]').text()).toBe('允许');
    expect(wrapper.get('[data-scope="profile"]').text()).toBe('查看你的名字、头像和用户名');
  });

  it('shows no logo that is not https (the app\'s initial instead), and names an unknown scope as it is', async () => {
    stubProvider({ client: { status: 200, body: { client_id: CLIENT_ID, client_name: 'shop', logo_uri: 'javascript:alert(1)' } } });
    const { wrapper } = await mountConsent(signedSearch('openid read:orders'));
    expect(wrapper.find('[data-testid="app-logo"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="app-logo-initial"]').text()).toBe('S');
    expect(wrapper.html()).not.toContain('javascript:');
    expect(wrapper.get('[data-scope="read:orders"]').text()).toBe('Other permission: read:orders');
  });

  it('sends "allow" with the signed request and goes where the provider answers', async () => {
    const answer = `${CALLBACK}?code=abc&state=st4te&iss=x`;
    stubProvider({ consent: [{ status: 200, body: { redirect: true, url: answer } }] });
    const { wrapper } = await mountConsent(signedSearch());
    await wrapper.get('[data-testid="consent-allow"]').trigger('click');
    await flushPromises();
    const [sent] = consentCalls();
    expect(sent?.body).toMatchObject({ accept: true });
    expect(new URLSearchParams(String(sent?.body?.oauth_query)).get('sig')).toBe('consent-sig-1');
    expect(leavePage).toHaveBeenCalledWith(answer);
    expect(wrapper.get('[data-testid="consent-leaving"]').text()).toBe('Allowed. Going back to Shop…');
  });

  it('sends "deny" and goes back to the app with the provider\'s access_denied', async () => {
    const answer = `${CALLBACK}?error=access_denied&error_description=User+denied+access&state=st4te`;
    stubProvider({ consent: [{ status: 200, body: { redirect: true, url: answer } }] });
    const { wrapper } = await mountConsent(signedSearch());
    await wrapper.get('[data-testid="consent-deny"]').trigger('click');
    await flushPromises();
    expect(consentCalls()[0]?.body).toMatchObject({ accept: false });
    expect(leavePage).toHaveBeenCalledWith(answer);
    expect(wrapper.get('[data-testid="consent-leaving"]').text()).toBe('Denied. Going back to Shop…');
  });

  it('renews a request the provider found too old and sends the choice again, once', async () => {
    stubProvider({
      consent: [
        { status: 400, body: { error: 'invalid_signature' } },
        { status: 200, body: { redirect: true, url: `${CALLBACK}?code=abc&state=st4te` } },
      ],
      authorize: `/oauth/consent${signedSearch(undefined, 'consent-sig-2')}`,
    });
    const { wrapper, router } = await mountConsent(signedSearch());
    await wrapper.get('[data-testid="consent-allow"]').trigger('click');
    await flushPromises();
    const sent = consentCalls();
    expect(sent).toHaveLength(2);
    expect(new URLSearchParams(String(sent[1]?.body?.oauth_query)).get('sig')).toBe('consent-sig-2');
    expect(router.currentRoute.value.query.sig).toBe('consent-sig-2');
    expect(leavePage).toHaveBeenCalledTimes(1);
  });

  it('says so when the choice could not be sent, and lets the person try again', async () => {
    stubProvider({ consent: [{ status: 500, body: {} }] });
    const { wrapper } = await mountConsent(signedSearch());
    await wrapper.get('[data-testid="consent-allow"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="consent-error"]').text()).toContain('Your choice could not be sent');
    expect(leavePage).not.toHaveBeenCalled();
    expect(wrapper.get('[data-testid="consent-allow"]').attributes('disabled')).toBeUndefined();
  });

  it('says so when the app cannot be loaded, with a retry', async () => {
    stubProvider({ client: { status: 404, body: { error: 'not_found' } } });
    const { wrapper } = await mountConsent(signedSearch());
    expect(wrapper.get('[data-testid="consent-error"]').text()).toContain('Could not load this app');
    expect(wrapper.find('[data-testid="consent-allow"]').exists()).toBe(false);
    await wrapper.get('.consent-retry').trigger('click');
    await flushPromises();
    expect(calls.filter((call) => call.url.includes('public-client'))).toHaveLength(2);
  });

  it('asks nothing of the provider without a signed request in the address', async () => {
    stubProvider({});
    const { wrapper } = await mountConsent(`?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent('https://evil.example.net')}`);
    expect(wrapper.get('[data-testid="consent-error"]').text()).toContain('There is no authorization request here');
    expect(calls).toHaveLength(0);
  });
});
