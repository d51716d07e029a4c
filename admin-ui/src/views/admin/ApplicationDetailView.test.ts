import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { AuditEvent } from '@wechat-login/shared';
import { ROUTE_NAMES } from '@/router/route-names';
import { BACK_OFFICE, PROVIDER } from '@/test-support/application-fixtures';
import { mountWithApp } from '@/test-support/mount-with-app';
import ApplicationDetailView from './ApplicationDetailView.vue';

const api = vi.hoisted(() => ({
  fetchApplications: vi.fn(),
  fetchApplication: vi.fn(),
  createApplication: vi.fn(),
  updateApplication: vi.fn(),
  deleteApplication: vi.fn(),
  rotateApplicationSecret: vi.fn(),
  fetchApplicationActivity: vi.fn(),
}));
vi.mock('@/api/applications', () => api);

const dialogs = vi.hoisted(() => ({ confirmDestructive: vi.fn(async () => true), explain: vi.fn(async () => {}) }));
vi.mock('@/composables/use-confirm', () => ({ useConfirm: () => dialogs }));

function event(id: string, type: AuditEvent['type'], outcome: AuditEvent['outcome'], details: AuditEvent['details']): AuditEvent {
  return { id, type, outcome, at: new Date('2026-02-03T04:05:06Z'), userId: null, userName: null, actorId: null, actorName: null, ip: '203.0.113.9', userAgent: null, details };
}

async function openDetail() {
  const stub = defineComponent({ render: () => h('div', 'the list') });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/admin/applications', name: ROUTE_NAMES.adminApplications, component: stub },
      { path: '/admin/applications/:clientId', name: ROUTE_NAMES.adminApplicationDetail, component: ApplicationDetailView, props: true },
      { path: '/admin/users/:id', name: ROUTE_NAMES.adminUserDetail, component: stub },
    ],
  });
  await router.push(`/admin/applications/${BACK_OFFICE.clientId}`);
  const view = mountWithApp(ApplicationDetailView, { locale: 'en', plugins: [router], props: { clientId: BACK_OFFICE.clientId } });
  await flushPromises();
  return { view, router };
}

describe("an application's page", () => {
  beforeEach(() => {
    vi.clearAllMocks();
    api.fetchApplication.mockResolvedValue({ ok: true, data: { ...BACK_OFFICE, provider: PROVIDER } });
    api.fetchApplicationActivity.mockResolvedValue({
      ok: true,
      data: {
        authorizations: [event('a1', 'oidc.token-issued', 'success', { clientId: BACK_OFFICE.clientId, grantType: 'authorization_code' })],
        failures: [event('f1', 'oidc.token-refused', 'failure', { clientId: BACK_OFFICE.clientId, oauthError: 'invalid_client' })],
      },
    });
  });

  it('shows what is registered, where the provider is, and the recent authorizations and token failures', async () => {
    const { view } = await openDetail();
    expect(api.fetchApplication).toHaveBeenCalledWith(BACK_OFFICE.clientId);
    expect(view.get('[data-testid="client-id"]').text()).toBe(BACK_OFFICE.clientId);
    expect(view.get('[data-testid="redirect-uris"]').text()).toContain('https://bo.example.com/callback');
    expect(view.text()).toContain('Skipped (first-party)');
    expect(view.get('[data-testid="issuer"]').text()).toBe(PROVIDER.issuer);
    expect(view.get('[data-testid="application-authorizations"]').text()).toContain('App received tokens');
    expect(view.get('[data-testid="application-failures"]').text()).toContain('OAuth error: invalid_client');
  });

  it('says when the activity could not be read, and reads it again on retry', async () => {
    api.fetchApplicationActivity.mockResolvedValueOnce({ ok: false, errorKey: 'errors.INTERNAL_ERROR' });
    const { view } = await openDetail();
    expect(view.text()).toContain('Could not load the activity');
    await view.get('[data-testid="application-activity"] button').trigger('click');
    await flushPromises();
    expect(view.text()).toContain('Recent token failures');
  });

  it('says an application that is gone is not found', async () => {
    api.fetchApplication.mockResolvedValue({ ok: false, errorKey: 'errors.APPLICATION_NOT_FOUND' });
    const { view } = await openDetail();
    expect(view.text()).toContain('Could not load the application');
    expect(view.text()).toContain('This application does not exist');
  });

  it('goes back to the list after a confirmed delete', async () => {
    api.deleteApplication.mockResolvedValue({ ok: true, data: true });
    const { view, router } = await openDetail();
    await view.get('[data-testid="delete-application"]').trigger('click');
    await flushPromises();
    expect(api.deleteApplication).toHaveBeenCalledWith(BACK_OFFICE.clientId);
    expect(router.currentRoute.value.name).toBe(ROUTE_NAMES.adminApplications);
  });
});
