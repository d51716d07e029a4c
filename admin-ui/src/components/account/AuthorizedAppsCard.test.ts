import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthorizedApp, RevokedAuthorization } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { mountWithApp } from '@/test-support/mount-with-app';
import AuthorizedAppsCard from './AuthorizedAppsCard.vue';

const api = vi.hoisted(() => ({
  fetchAuthorizedApps: vi.fn<() => Promise<ApiResult<AuthorizedApp[]>>>(),
  revokeAuthorizedApp: vi.fn<(clientId: string) => Promise<ApiResult<RevokedAuthorization>>>(),
}));
vi.mock('@/api/authorized-apps', () => api);
const dialogs = vi.hoisted(() => ({ confirmDestructive: vi.fn(async () => true), explain: vi.fn(async () => {}) }));
vi.mock('@/composables/use-confirm', () => ({ useConfirm: () => dialogs }));

const SHOP: AuthorizedApp = {
  clientId: 'shopClientId',
  name: 'Shop',
  logoUrl: 'https://shop.example.test/logo.png',
  homeUrl: null,
  scopes: ['wechat', 'openid', 'profile'],
  authorizedAt: new Date('2026-03-04T05:06:07Z'),
  updatedAt: new Date('2026-03-04T05:06:07Z'),
};
const UNNAMED: AuthorizedApp = { ...SHOP, clientId: 'otherClientId', name: null, logoUrl: null, scopes: ['openid'] };

describe('authorized apps on the account page', () => {
  beforeEach(() => {
    dialogs.confirmDestructive.mockClear();
    api.revokeAuthorizedApp.mockReset();
  });

  it('lists each app with its logo, when it was allowed and what it sees, in plain words', async () => {
    api.fetchAuthorizedApps.mockResolvedValue({ ok: true, data: [SHOP, UNNAMED] });
    const card = mountWithApp(AuthorizedAppsCard, { locale: 'en' });
    await flushPromises();
    const rows = card.findAll('[data-testid="authorized-app"]');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain('Shop');
    expect(rows[0]!.text()).toContain('Authorized 03/04/2026');
    expect(rows[0]!.get('[data-testid="app-logo"]').attributes('src')).toBe(SHOP.logoUrl);
    expect(rows[0]!.findAll('[data-scope]').map((item) => item.attributes('data-scope'))).toEqual(['openid', 'profile', 'wechat']);
    expect(rows[0]!.text()).toContain('See your WeChat identifiers (openid and unionid)');
    expect(rows[1]!.text()).toContain('Unnamed app');
    expect(rows[1]!.find('[data-testid="app-logo"]').exists()).toBe(false);
    expect(rows[0]!.get('[data-testid="authorized-app-revoke"]').attributes('aria-label')).toBe('Revoke access of Shop');
  });

  it('revokes after a confirmation, then shows the list again', async () => {
    api.fetchAuthorizedApps.mockResolvedValueOnce({ ok: true, data: [SHOP] }).mockResolvedValueOnce({ ok: true, data: [] });
    api.revokeAuthorizedApp.mockResolvedValue({ ok: true, data: { clientId: SHOP.clientId, consents: 1, accessTokens: 1, refreshTokens: 1 } });
    const card = mountWithApp(AuthorizedAppsCard, { locale: 'en' });
    await flushPromises();
    await card.get('[data-testid="authorized-app-revoke"]').trigger('click');
    await flushPromises();
    expect(dialogs.confirmDestructive).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('Revoke access of Shop?') }));
    expect(api.revokeAuthorizedApp).toHaveBeenCalledWith(SHOP.clientId);
    expect(card.text()).toContain('You have not authorized any apps');
  });

  it('revokes nothing when the confirmation is declined', async () => {
    api.fetchAuthorizedApps.mockResolvedValue({ ok: true, data: [SHOP] });
    dialogs.confirmDestructive.mockResolvedValueOnce(false);
    const card = mountWithApp(AuthorizedAppsCard);
    await flushPromises();
    await card.get('[data-testid="authorized-app-revoke"]').trigger('click');
    await flushPromises();
    expect(api.revokeAuthorizedApp).not.toHaveBeenCalled();
    expect(card.findAll('[data-testid="authorized-app"]')).toHaveLength(1);
  });

  it('shows the empty state in Chinese, and a load failure with a retry', async () => {
    api.fetchAuthorizedApps.mockResolvedValueOnce({ ok: false, errorKey: 'errors.NETWORK_ERROR' }).mockResolvedValueOnce({ ok: true, data: [] });
    const card = mountWithApp(AuthorizedAppsCard);
    await flushPromises();
    expect(card.text()).toContain('已授权的应用加载失败');
    await card.get('.el-result button').trigger('click');
    await flushPromises();
    expect(card.text()).toContain('你还没有授权任何应用');
  });
});
