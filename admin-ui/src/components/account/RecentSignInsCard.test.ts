import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { mountWithApp } from '@/test-support/mount-with-app';
import RecentSignInsCard from './RecentSignInsCard.vue';

const api = vi.hoisted(() => ({ fetchOwnSignIns: vi.fn<() => Promise<ApiResult<AuditEvent[]>>>(), fetchAuditEventPage: vi.fn() }));
vi.mock('@/api/audit-events', () => api);

const FAILED: AuditEvent = {
  id: 'e1', type: 'sign-in.failed', outcome: 'failure', at: new Date('2025-03-04T05:06:07Z'), userId: '64b7f0c2a1e4d5f6a7b8c9d0',
  userName: null, actorId: null, actorName: null, ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) MicroMessenger/8.0',
  details: { method: 'email', code: 'INVALID_EMAIL_OR_PASSWORD' },
};

const mountCard = () => mountWithApp(RecentSignInsCard);

describe('recent sign-ins on the account page', () => {
  it('lists the user\'s own attempts, failures included, without user columns', async () => {
    api.fetchOwnSignIns.mockResolvedValue({ ok: true, data: [FAILED] });
    const card = mountCard();
    await flushPromises();
    expect(card.text()).toContain('最近登录');
    expect(card.text()).toContain('登录失败');
    expect(card.text()).toContain('203.0.113.9');
    expect(card.text()).toContain('WeChat · iOS');
    expect(card.text()).not.toContain('操作人');
  });

  it('shows an empty list and a load failure with a retry', async () => {
    api.fetchOwnSignIns.mockResolvedValueOnce({ ok: false, errorKey: 'errors.NETWORK_ERROR' }).mockResolvedValueOnce({ ok: true, data: [] });
    const card = mountCard();
    await flushPromises();
    expect(card.text()).toContain('登录记录加载失败');
    await card.get('.el-result button').trigger('click');
    await flushPromises();
    expect(card.text()).toContain('暂无登录记录');
  });
});
