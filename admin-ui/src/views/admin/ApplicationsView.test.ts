import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { ApiResult } from '@/api/api-result';
import { ROUTE_NAMES } from '@/router/route-names';
import { BACK_OFFICE, listOf, PROVIDER, SHOP_SPA } from '@/test-support/application-fixtures';
import { mountWithApp } from '@/test-support/mount-with-app';
import ApplicationsView from './ApplicationsView.vue';

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

const SECRET = 'sEcReTsEcReTsEcReTsEcReTsEcReTxy';

async function openApplications() {
  const stub = defineComponent({ render: () => h('div') });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/admin/applications', name: ROUTE_NAMES.adminApplications, component: ApplicationsView },
      { path: '/admin/applications/:clientId', name: ROUTE_NAMES.adminApplicationDetail, component: stub },
    ],
  });
  await router.push('/admin/applications');
  const view = mountWithApp(ApplicationsView, { locale: 'en', plugins: [router] });
  await flushPromises();
  return view;
}

function inPage(selector: string): DOMWrapper<HTMLElement> {
  const element = document.querySelector<HTMLElement>(selector);
  if (!element) throw new Error(`nothing matches ${selector}`);
  return new DOMWrapper(element);
}

const ok = <T>(data: T): ApiResult<T> => ({ ok: true, data });

describe('the Applications page', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    dialogs.confirmDestructive.mockResolvedValue(true);
  });

  it('says there are none yet, offers to register one, and shows the issuer and discovery URL to copy', async () => {
    api.fetchApplications.mockResolvedValue(ok(listOf([])));
    const view = await openApplications();
    expect(view.text()).toContain('No applications yet');
    expect(view.findAll('button').filter((button) => button.text() === 'Register application')).toHaveLength(2);
    expect(inPage('[data-testid="issuer"]').text()).toBe(PROVIDER.issuer);
    expect(inPage('[data-testid="discovery-url"]').text()).toBe(PROVIDER.discoveryUrl);
    expect(inPage('[data-testid="copy-discovery-url"]').attributes('aria-label')).toBe('Copy Discovery URL');
  });

  it('copies the discovery URL to the clipboard', async () => {
    api.fetchApplications.mockResolvedValue(ok(listOf([])));
    const writeText = vi.fn(async () => {});
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
    await openApplications();
    await inPage('[data-testid="copy-discovery-url"]').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith(PROVIDER.discoveryUrl);
  });

  it('lists the applications, with a secret to rotate only for confidential ones', async () => {
    api.fetchApplications.mockResolvedValue(ok(listOf([BACK_OFFICE, SHOP_SPA])));
    const view = await openApplications();
    expect(view.findAll('.el-table__body tr')).toHaveLength(2);
    expect(view.text()).toContain('Back office');
    expect(view.text()).toContain('First-party');
    expect(view.find(`[data-testid="rotate-${BACK_OFFICE.clientId}"]`).exists()).toBe(true);
    expect(view.find(`[data-testid="rotate-${SHOP_SPA.clientId}"]`).exists()).toBe(false);
  });

  it('shows why the list did not load, with a retry', async () => {
    api.fetchApplications.mockResolvedValueOnce({ ok: false, errorKey: 'errors.FORBIDDEN' });
    const view = await openApplications();
    expect(view.text()).toContain('Could not load the applications');
    api.fetchApplications.mockResolvedValue(ok(listOf([BACK_OFFICE])));
    await view.findAll('button').find((button) => button.text() === 'Retry')!.trigger('click');
    await flushPromises();
    expect(view.text()).toContain('Back office');
  });

  it('registers an application: refuses a wildcard redirect URI by line before sending, then shows the secret once with a warning', async () => {
    api.fetchApplications.mockResolvedValue(ok(listOf([])));
    api.createApplication.mockResolvedValue(ok({ application: BACK_OFFICE, clientSecret: SECRET }));
    await openApplications();
    await inPage('[data-testid="register-application"]').trigger('click');
    await flushPromises();

    await inPage('[data-testid="application-form"] input[name="name"]').setValue('Back office');
    await inPage('textarea[name="redirectUris"]').setValue('https://bo.example.com/callback\nhttps://*.example.com/callback');
    await inPage('[data-testid="application-form-submit"]').trigger('click');
    await flushPromises();
    // Element Plus shows a field's message a moment after the check (debounced): poll for it.
    await vi.waitFor(() => expect(document.body.textContent).toContain('Line 2 is not allowed: https://*.example.com/callback'));
    expect(api.createApplication).not.toHaveBeenCalled();

    await inPage('textarea[name="redirectUris"]').setValue('https://bo.example.com/callback');
    await inPage('[data-testid="application-form-submit"]').trigger('click');
    await flushPromises();
    expect(api.createApplication).toHaveBeenCalledWith(expect.objectContaining({ name: 'Back office', type: 'confidential', redirectUris: ['https://bo.example.com/callback'], scopes: ['openid', 'profile'] }));

    const dialog = inPage('[data-testid="secret-dialog"]');
    expect(inPage('[data-testid="shown-client-secret"]').text()).toBe(SECRET);
    expect(dialog.text()).toContain("You won't see it again");
    await inPage('[data-testid="secret-dialog-done"]').trigger('click');
    await flushPromises();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it('previews an https logo (without sending a referrer) and refuses an http one before sending', async () => {
    api.fetchApplications.mockResolvedValue(ok(listOf([])));
    await openApplications();
    await inPage('[data-testid="register-application"]').trigger('click');
    await flushPromises();
    const logo = inPage('[data-testid="application-form"] input[name="logoUrl"]');
    await logo.setValue('http://cdn.example.com/logo.png');
    expect(document.querySelector('[data-testid="logo-preview"]')).toBeNull();
    await inPage('[data-testid="application-form"] input[name="name"]').setValue('Shop');
    await inPage('textarea[name="redirectUris"]').setValue('https://shop.example.com/cb');
    await inPage('[data-testid="application-form-submit"]').trigger('click');
    await vi.waitFor(() => expect(document.body.textContent).toContain('The logo must be an https URL'));
    expect(api.createApplication).not.toHaveBeenCalled();

    await logo.setValue('https://cdn.example.com/logo.png');
    const preview = inPage('[data-testid="logo-preview"]');
    expect(preview.attributes('src')).toBe('https://cdn.example.com/logo.png');
    expect(preview.attributes('referrerpolicy')).toBe('no-referrer');
  });

  it('shows the server\'s refusal in the form and keeps it open', async () => {
    api.fetchApplications.mockResolvedValue(ok(listOf([])));
    api.createApplication.mockResolvedValue({ ok: false, errorKey: 'errors.INVALID_REDIRECT_URI' });
    await openApplications();
    await inPage('[data-testid="register-application"]').trigger('click');
    await flushPromises();
    await inPage('[data-testid="application-form"] input[name="name"]').setValue('Shop');
    await inPage('textarea[name="redirectUris"]').setValue('https://shop.example.com/cb');
    await inPage('[data-testid="application-form-submit"]').trigger('click');
    await flushPromises();
    expect(inPage('[data-testid="application-form"] [role="alert"]').text()).toContain('A redirect URI is not allowed');
    expect(document.querySelector('[data-testid="secret-dialog"]')).toBeNull();
  });

  it('rotates a secret only after a confirmation naming the app, and shows the new one', async () => {
    api.fetchApplications.mockResolvedValue(ok(listOf([BACK_OFFICE])));
    api.rotateApplicationSecret.mockResolvedValue(ok({ application: BACK_OFFICE, clientSecret: SECRET }));
    const view = await openApplications();

    dialogs.confirmDestructive.mockResolvedValueOnce(false);
    await view.get(`[data-testid="rotate-${BACK_OFFICE.clientId}"]`).trigger('click');
    await flushPromises();
    expect(api.rotateApplicationSecret).not.toHaveBeenCalled();

    await view.get(`[data-testid="rotate-${BACK_OFFICE.clientId}"]`).trigger('click');
    await flushPromises();
    expect(dialogs.confirmDestructive).toHaveBeenLastCalledWith(expect.objectContaining({ message: expect.stringContaining('"Back office"') }));
    expect(api.rotateApplicationSecret).toHaveBeenCalledWith(BACK_OFFICE.clientId);
    expect(inPage('[data-testid="shown-client-secret"]').text()).toBe(SECRET);
  });

  it('deletes after a confirmation and reloads the list', async () => {
    api.fetchApplications.mockResolvedValueOnce(ok(listOf([BACK_OFFICE]))).mockResolvedValue(ok(listOf([])));
    api.deleteApplication.mockResolvedValue(ok(true));
    const view = await openApplications();
    await view.get(`[data-testid="delete-${BACK_OFFICE.clientId}"]`).trigger('click');
    await flushPromises();
    expect(dialogs.confirmDestructive).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('cannot be undone') }));
    expect(api.deleteApplication).toHaveBeenCalledWith(BACK_OFFICE.clientId);
    expect(view.text()).toContain('No applications yet');
  });

  it('edits with the form filled in and the type fixed', async () => {
    api.fetchApplications.mockResolvedValue(ok(listOf([BACK_OFFICE])));
    api.updateApplication.mockResolvedValue(ok({ ...BACK_OFFICE, name: 'Renamed' }));
    const view = await openApplications();
    await view.get(`[data-testid="edit-${BACK_OFFICE.clientId}"]`).trigger('click');
    await flushPromises();
    const name = inPage('[data-testid="application-form"] input[name="name"]');
    expect((name.element as unknown as HTMLInputElement).value).toBe('Back office');
    expect(document.querySelector<HTMLInputElement>('[data-testid="type-public"] input')?.disabled).toBe(true);
    expect(document.body.textContent).toContain('The type cannot change once registered.');
    await name.setValue('Renamed');
    await inPage('[data-testid="application-form-submit"]').trigger('click');
    await flushPromises();
    expect(api.updateApplication).toHaveBeenCalledWith(BACK_OFFICE.clientId, expect.objectContaining({ name: 'Renamed', redirectUris: BACK_OFFICE.redirectUris, firstParty: true }));
    expect(api.updateApplication.mock.calls[0]![1]).not.toHaveProperty('type');
  });
});
