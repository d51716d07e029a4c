import { flushPromises, mount } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readOAuthRequest } from '@/api/oauth-request';
import { ROUTE_NAMES, type RouteName } from '@/router/route-names';
import { routerAt } from '@/test-support/router-at';
import type { AuthorizationHandOff } from './authorization-hand-off';
import { useRouteHandOff } from './route-hand-off';

/**
 * The request a page reads from its own address (/sign-in, /oauth/consent), and a renewal put back in
 * that address whole, so that a reload keeps the new signature; an answer for another page is followed.
 */

const leavePage = vi.hoisted(() => vi.fn());
vi.mock('./leave-page', () => ({ leavePage }));

const CLIENT_ID = 'shopClientId0123456789';

function signedSearch(sig: string): string {
  const request = { response_type: 'code', client_id: CLIENT_ID, redirect_uri: 'https://shop.example.test/callback', scope: 'openid profile', state: 'st4te' };
  const params = new URLSearchParams(request);
  params.set('exp', String(Math.floor(Date.now() / 1000) + 60));
  params.set('ba_iat', String(Date.now()));
  for (const name of [...Object.keys(request), 'exp', 'ba_iat', 'ba_param'].sort()) params.append('ba_param', name);
  params.set('sig', sig);
  return `?${params.toString()}`;
}

/** GET /oauth2/authorize answers `url` (as fetch: the provider says where to go). */
function providerAnswers(url: string): void {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => Response.json({ redirect: true, url })),
  );
}

async function handOffAt(page: RouteName, path: string, search: string) {
  const PageReadingItsAddress = defineComponent({
    setup(_, { expose }) {
      expose({ handOff: useRouteHandOff(page) });
      return () => h('div');
    },
  });
  const router = await routerAt(`${path}${search}`, { path, name: page, component: PageReadingItsAddress });
  const wrapper = mount(PageReadingItsAddress, { global: { plugins: [router] } });
  return { handOff: (wrapper.vm as unknown as { handOff: AuthorizationHandOff | null }).handOff, router };
}

describe('useRouteHandOff', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    leavePage.mockReset();
  });

  it('is null when the address carries no signed request', async () => {
    const { handOff } = await handOffAt(ROUTE_NAMES.signIn, '/sign-in', `?client_id=${CLIENT_ID}&ba_param=client_id`);
    expect(handOff).toBeNull();
  });

  it('puts a renewed request back in the page\'s address whole, so that a reload reads the same signed query', async () => {
    providerAnswers(`/oauth/consent${signedSearch('consent-sig-2')}`);
    const { handOff, router } = await handOffAt(ROUTE_NAMES.oauthConsent, '/oauth/consent', signedSearch('consent-sig-1'));
    expect(handOff?.request.clientId).toBe(CLIENT_ID);

    const renewed = await handOff!.signedQuery(true);
    await flushPromises();

    expect(new URLSearchParams(renewed).get('sig')).toBe('consent-sig-2');
    expect(leavePage).not.toHaveBeenCalled();
    const address = router.currentRoute.value;
    expect(address.name).toBe(ROUTE_NAMES.oauthConsent);
    // Every signed name, not only the last: the signature covers the list.
    expect(address.query.ba_param).toEqual(['ba_iat', 'ba_param', 'client_id', 'exp', 'redirect_uri', 'response_type', 'scope', 'state']);
    const reloaded = readOAuthRequest(new URL(address.fullPath, 'http://page.invalid').search);
    expect(reloaded?.signedQuery).toBe(renewed);
  });

  it('follows an answer for another page instead of taking it as a renewal of its own', async () => {
    const elsewhere = `/oauth/consent${signedSearch('consent-sig-2')}`;
    providerAnswers(elsewhere);
    const { handOff, router } = await handOffAt(ROUTE_NAMES.signIn, '/sign-in', signedSearch('signature-1'));

    expect(await handOff!.signedQuery(true)).toBeUndefined();

    expect(leavePage).toHaveBeenCalledWith(new URL(elsewhere, window.location.origin).href);
    expect(router.currentRoute.value.query.sig).toBe('signature-1');
  });
});
