import { flushPromises } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { WECHAT_LOGIN_CLIENT, type WechatLoginClient } from '@/components/wechat-login/wechat-login-client';
import { fakeWechatLoginClient, SCANNED } from '@/test-support/fake-wechat-login-client';
import { mountWithApp } from '@/test-support/mount-with-app';
import { routerAt } from '@/test-support/router-at';
import { useSessionStore } from '@/stores/session';
import SignInView from '@/views/SignInView.vue';

/**
 * /sign-in?<an app's signed authorization request>: every sign-in hands the request back to the
 * provider, a signed-in visitor goes on at once, a stale signature is renewed, and the browser only
 * ever goes where the provider answered.
 */

const authClient = vi.hoisted(() => ({
  signIn: { username: vi.fn(), email: vi.fn() },
  getSession: vi.fn(),
  signOut: vi.fn(),
}));
vi.mock('@/api/auth-client', () => ({ authClient }));
const leavePage = vi.hoisted(() => vi.fn());
vi.mock('@/components/oauth/leave-page', () => ({ leavePage }));

const SITE = { siteName: 'Test', wechat: { enabled: true, simulatorUrl: null, webAuthorization: false }, placeholderEmailDomain: 'wechat.placeholder' };
const CLIENT_ID = 'shopClientId0123456789';
const ISSUED_AT_MS = 1_790_000_000_000;

/** A query as the provider signs it (the values do not matter here: the server checks them). */
function signedSearch(extra: Record<string, string> = {}, sig = 'signature-1'): string {
  const request = { response_type: 'code', client_id: CLIENT_ID, redirect_uri: 'https://shop.example.test/callback', scope: 'openid profile', state: 'st4te', ...extra };
  const params = new URLSearchParams(request);
  params.set('exp', String(Math.floor(ISSUED_AT_MS / 1000) + 60));
  params.set('ba_iat', String(ISSUED_AT_MS));
  for (const name of [...Object.keys(request), 'exp', 'ba_iat', 'ba_param'].sort()) params.append('ba_param', name);
  params.set('sig', sig);
  return `?${params.toString()}`;
}

interface ProviderStub {
  /** What GET /oauth2/authorize answers (as fetch): where to go. */
  authorize: string | { status: number; body: object };
  prelogin?: object;
}

const calls: Array<{ url: string; method: string; body: unknown }> = [];

function stubServer(provider: ProviderStub): void {
  calls.length = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init?: RequestInit) => {
      const url = String(input);
      calls.push({ url, method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : undefined });
      if (url.startsWith('/api/v1/pub/site')) return Response.json({ success: true, data: SITE });
      if (url.startsWith('/api/auth/oauth2/public-client-prelogin')) return Response.json(provider.prelogin ?? { client_id: CLIENT_ID, client_name: 'Shop' });
      if (url.startsWith('/api/auth/oauth2/authorize')) {
        const answer = provider.authorize;
        return typeof answer === 'string' ? Response.json({ redirect: true, url: answer }) : Response.json(answer.body, { status: answer.status });
      }
      return Response.json({}, { status: 404 });
    }),
  );
}

function signedOut(): void {
  authClient.getSession.mockResolvedValue({ data: null, error: null });
}

function signedIn(sessionCreatedAt: Date): void {
  authClient.getSession.mockResolvedValue({
    data: { user: { id: 'u1', name: 'Lin', email: 'lin@example.com', role: 'user' }, session: { id: 's1', createdAt: sessionCreatedAt } },
    error: null,
  });
}

function idleWechatClient(): WechatLoginClient {
  return {
    getQrcode: vi.fn(async () => ({ sceneId: 'scene-0123456789abcdef', qrcodeUrl: '/qr.png', qrcodeContent: 'http://weixin.qq.com/q/abc', expiresIn: 300 })),
    waitForScan: vi.fn(() => new Promise<never>(() => {})),
    signInWechat: vi.fn(),
    signInWechatOAuth: vi.fn(),
  };
}

async function mountAt(search: string, options: { now?: number; wechat?: WechatLoginClient } = {}) {
  vi.useFakeTimers({ toFake: ['Date'], now: options.now ?? ISSUED_AT_MS + 1_000 });
  const router = await routerAt(`/sign-in${search}`, { path: '/sign-in', name: 'sign-in', component: SignInView });
  const pinia = createPinia();
  // As the app's guard does before any page shows.
  await useSessionStore(pinia).refresh();
  const wrapper = mountWithApp(SignInView, { locale: 'en', plugins: [pinia, router], provide: { [WECHAT_LOGIN_CLIENT]: options.wechat ?? idleWechatClient() } });
  await flushPromises();
  return { wrapper, router };
}

async function signInByUsername(wrapper: Awaited<ReturnType<typeof mountAt>>['wrapper']) {
  const form = wrapper.get('[data-testid="username-sign-in"]');
  await form.get('input[name="identifier"]').setValue('linhui');
  await form.get('input[name="password"]').setValue('correct horse');
  await form.trigger('submit');
  await flushPromises();
}

function authorizeCalls(): URLSearchParams[] {
  return calls.filter((call) => call.url.startsWith('/api/auth/oauth2/authorize')).map((call) => new URL(call.url, 'http://x').searchParams);
}

describe('/sign-in with an app\'s authorization request', () => {
  beforeEach(() => {
    vi.useRealTimers();
    leavePage.mockReset();
    authClient.signIn.username.mockReset();
    signedOut();
  });

  it('names the app, asked of the provider with the signed query', async () => {
    stubServer({ authorize: '/unused' });
    const { wrapper } = await mountAt(signedSearch());
    expect(wrapper.get('[data-testid="sign-in-for-app"]').text()).toBe('Sign in to continue to Shop');
    const prelogin = calls.find((call) => call.url.endsWith('/public-client-prelogin'));
    expect(prelogin?.body).toMatchObject({ client_id: CLIENT_ID, oauth_query: expect.stringContaining('sig=signature-1') });
  });

  it('sends the signed query with a password sign-in, and leaves the page to the provider\'s answer', async () => {
    stubServer({ authorize: '/unused' });
    authClient.signIn.username.mockResolvedValue({ data: { redirect: true, url: '/oauth/consent?sig=next' }, error: null });
    const { wrapper, router } = await mountAt(signedSearch());
    await signInByUsername(wrapper);
    const sent = authClient.signIn.username.mock.calls[0]![0] as { oauth_query: string };
    const handedBack = new URLSearchParams(sent.oauth_query);
    expect(handedBack.get('sig')).toBe('signature-1');
    expect(handedBack.get('client_id')).toBe(CLIENT_ID);
    // better-auth's client follows `{redirect, url}` itself; the page only says it is on its way.
    expect(wrapper.find('[data-testid="sign-in-continuing"]').exists()).toBe(true);
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(authorizeCalls()).toHaveLength(0);
  });

  it('sends the signed query with the QR sign-in once the phone confirmed, and leaves the page to the answer', async () => {
    stubServer({ authorize: '/unused' });
    const wechat = fakeWechatLoginClient();
    wechat.client.signInWechat.mockResolvedValue({ data: { redirect: true, url: '/oauth/consent?sig=next' } as never, error: null });
    const { wrapper } = await mountAt(signedSearch(), { wechat: wechat.client });
    wechat.latestWait().resolve(SCANNED);
    await flushPromises();
    const [input] = wechat.client.signInWechat.mock.calls[0]!;
    expect(input.sceneId).toBe(wechat.latestWait().sceneId);
    expect(new URLSearchParams(input.oauth_query).get('sig')).toBe('signature-1');
    expect(wrapper.find('[data-testid="sign-in-continuing"]').exists()).toBe(true);
  });

  it('renews a signature the provider found too old, and sends the sign-in again with the new one', async () => {
    stubServer({ authorize: `/sign-in${signedSearch({}, 'signature-2')}` });
    authClient.signIn.username
      .mockResolvedValueOnce({ data: null, error: { error: 'invalid_signature', status: 400, statusText: 'Bad Request' } })
      .mockResolvedValueOnce({ data: { redirect: true, url: 'https://shop.example.test/callback?code=c&state=st4te' }, error: null });
    const { wrapper, router } = await mountAt(signedSearch());
    await signInByUsername(wrapper);
    const [renewal] = authorizeCalls();
    // The request itself, without the old signature.
    expect(renewal?.get('client_id')).toBe(CLIENT_ID);
    expect(renewal?.has('sig')).toBe(false);
    const retried = authClient.signIn.username.mock.calls[1]![0] as { oauth_query: string };
    expect(new URLSearchParams(retried.oauth_query).get('sig')).toBe('signature-2');
    expect(router.currentRoute.value.query.sig).toBe('signature-2');
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
  });

  it('renews before sending when the page has held the signature too long', async () => {
    stubServer({ authorize: `/sign-in${signedSearch({}, 'signature-3')}` });
    authClient.signIn.username.mockResolvedValue({ data: { redirect: true, url: '/oauth/consent?sig=x' }, error: null });
    const { wrapper } = await mountAt(signedSearch());
    vi.setSystemTime(ISSUED_AT_MS + 120_000);
    await signInByUsername(wrapper);
    const sent = authClient.signIn.username.mock.calls[0]![0] as { oauth_query: string };
    expect(new URLSearchParams(sent.oauth_query).get('sig')).toBe('signature-3');
  });

  it('sends a visitor who is signed in already straight on, to where the provider answers', async () => {
    signedIn(new Date(ISSUED_AT_MS - 3_600_000));
    const consentPage = `/oauth/consent${signedSearch({}, 'consent-sig')}`;
    stubServer({ authorize: consentPage });
    const { wrapper } = await mountAt(signedSearch());
    expect(leavePage).toHaveBeenCalledWith(new URL(consentPage, window.location.origin).href);
    expect(wrapper.find('[data-testid="username-sign-in"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="sign-in-continuing"]').text()).toContain('Going back to');
  });

  it('shows the form when the app asked for a fresh sign-in and the session is older than the request', async () => {
    signedIn(new Date(ISSUED_AT_MS - 3_600_000));
    stubServer({ authorize: `/sign-in${signedSearch({ prompt: 'login' }, 'signature-4')}` });
    const { wrapper, router } = await mountAt(signedSearch({ prompt: 'login' }));
    expect(authorizeCalls()[0]?.get('prompt')).toBe('login');
    expect(leavePage).not.toHaveBeenCalled();
    expect(wrapper.find('[data-testid="username-sign-in"]').exists()).toBe(true);
    expect(router.currentRoute.value.query.sig).toBe('signature-4');
  });

  it('after one tap in WeChat (a session newer than the request) goes on without asking for another sign-in', async () => {
    signedIn(new Date(ISSUED_AT_MS + 20_000));
    stubServer({ authorize: 'https://shop.example.test/callback?code=c&state=st4te' });
    await mountAt(signedSearch({ prompt: 'login', max_age: '0' }), { now: ISSUED_AT_MS + 90_000 });
    const [asked] = authorizeCalls();
    expect(asked?.has('prompt')).toBe(false);
    expect(asked?.has('max_age')).toBe(false);
    expect(leavePage).toHaveBeenCalledWith('https://shop.example.test/callback?code=c&state=st4te');
  });

  it('never goes to an address read from the query: a refusal by the provider is an error on the page', async () => {
    signedIn(new Date(ISSUED_AT_MS - 1_000));
    stubServer({ authorize: { status: 400, body: { error: 'invalid_client' } } });
    const { wrapper } = await mountAt(signedSearch({ redirect_uri: 'https://evil.example.net/steal' }));
    expect(leavePage).not.toHaveBeenCalled();
    expect(wrapper.get('[data-testid="sign-in-hand-off-failed"]').text()).toContain('Could not continue signing in to the app');
  });

  it('treats a query without a signature as an ordinary sign-in', async () => {
    stubServer({ authorize: '/unused' });
    authClient.signIn.username.mockResolvedValue({ data: { user: { id: 'u1' } }, error: null });
    const { wrapper } = await mountAt('?client_id=x&redirect_uri=https%3A%2F%2Fevil.example.net');
    expect(wrapper.find('[data-testid="sign-in-for-app"]').exists()).toBe(false);
    await signInByUsername(wrapper);
    expect(authClient.signIn.username.mock.calls[0]![0]).not.toHaveProperty('oauth_query');
    expect(calls.some((call) => call.url.includes('oauth2'))).toBe(false);
  });
});
