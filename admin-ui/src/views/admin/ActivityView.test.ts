import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent, AuditEventPage, AuditEventsQueryInput } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { mountWithApp } from '@/test-support/mount-with-app';
import { routerAt } from '@/test-support/router-at';
import ActivityView from './ActivityView.vue';

const api = vi.hoisted(() => ({
  fetchAuditEventPage: vi.fn<(query: AuditEventsQueryInput) => Promise<ApiResult<AuditEventPage>>>(),
  fetchOwnSignIns: vi.fn(),
}));
vi.mock('@/api/audit-events', () => api);

const USER_ID = '64b7f0c2a1e4d5f6a7b8c9d0';

function signIn(id: string): AuditEvent {
  return {
    id, type: 'sign-in.succeeded', outcome: 'success', at: new Date('2025-03-04T05:06:07Z'), userId: USER_ID, userName: 'Amy',
    actorId: null, actorName: null, ip: '198.51.100.4', userAgent: null, details: { method: 'wechat' },
  };
}

function pageOf(events: AuditEvent[], total = events.length): ApiResult<AuditEventPage> {
  return { ok: true, data: { items: events, total, page: 1, pageSize: 20 } };
}

async function openActivity(path: string) {
  const router = await routerAt(path, { path: '/admin/activity', name: 'admin-activity', component: ActivityView });
  const view = mountWithApp(ActivityView, { locale: 'en', plugins: [router] });
  await flushPromises();
  return { view, router };
}

describe('the Activity page', () => {
  beforeEach(() => {
    api.fetchAuditEventPage.mockReset();
  });

  it('loads the events the URL asks for and lists them', async () => {
    api.fetchAuditEventPage.mockResolvedValue(pageOf([signIn('e1'), signIn('e2')], 42));
    const { view } = await openActivity(`/admin/activity?type=sign-in.succeeded&page=2`);
    expect(api.fetchAuditEventPage).toHaveBeenCalledWith({ type: 'sign-in.succeeded', page: 2, pageSize: 20 });
    expect(view.findAll('.el-table__body tr')).toHaveLength(2);
    expect(view.text()).toContain('Signed in');
    expect(view.text()).toContain('Method: WeChat');
    expect(view.text()).toContain('Total 42');
  });

  it('filters by a user id typed in the bar, starting again from page 1', async () => {
    api.fetchAuditEventPage.mockResolvedValue(pageOf([]));
    const { view, router } = await openActivity('/admin/activity?page=3');
    expect(view.text()).toContain('No activity yet');

    await view.get('input[name="userId"]').setValue('not-an-id');
    expect(view.text()).toContain('A user ID is 24 hexadecimal characters');
    await view.get('input[name="userId"]').setValue(USER_ID);
    await view.get('form').trigger('submit');
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ userId: USER_ID });
    expect(api.fetchAuditEventPage).toHaveBeenLastCalledWith({ userId: USER_ID, page: 1, pageSize: 20 });
    expect(view.text()).toContain('No events match these filters');
  });

  it('says when loading failed and loads again on retry', async () => {
    api.fetchAuditEventPage.mockResolvedValueOnce({ ok: false, errorKey: 'errors.NETWORK_ERROR' }).mockResolvedValueOnce(pageOf([signIn('e1')]));
    const { view } = await openActivity('/admin/activity');
    expect(view.text()).toContain('Could not load the activity');
    await view.get('.el-result button').trigger('click');
    await flushPromises();
    expect(view.findAll('.el-table__body tr')).toHaveLength(1);
  });
});
