import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES, type AuditEvent } from '@wechat-login/shared';
import en from '@/i18n/locales/en';
import zhCN from '@/i18n/locales/zh-CN';
import { mountWithApp } from '@/test-support/mount-with-app';
import { routerAt } from '@/test-support/router-at';
import { eventTypeMessageKey, shortUserAgent } from './audit-event-display';
import AuditEventTable from './AuditEventTable.vue';

const CHROME_ON_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: 'e1', type: 'sign-in.failed', outcome: 'failure', at: new Date('2025-03-04T05:06:07Z'),
    userId: '64b7f0c2a1e4d5f6a7b8c9d0', userName: 'Amy', actorId: null, actorName: null,
    ip: '203.0.113.7', userAgent: CHROME_ON_MAC, details: { method: 'username', code: 'INVALID_USERNAME_OR_PASSWORD' },
    ...overrides,
  };
}

async function mountTable(props: { events: AuditEvent[]; showPeople?: boolean }, locale: 'en' | 'zh-CN' = 'en') {
  // Its user links go to the admin's user page.
  const router = await routerAt('/admin/users');
  const table = mountWithApp(AuditEventTable, { props: { emptyText: 'Nothing here', ...props }, locale, plugins: [router] });
  await flushPromises();
  return table;
}

describe('the audit event table', () => {
  it('has a label for every event type in both languages', () => {
    for (const type of AUDIT_EVENT_TYPES) {
      const name = eventTypeMessageKey(type).split('.').pop() as keyof typeof zhCN.activity.types;
      expect(zhCN.activity.types[name], type).toBeTruthy();
      expect(en.activity.types[name], type).toBeTruthy();
    }
  });

  it('shows the translated type, outcome, a link to the user, the device and translated details', async () => {
    const table = await mountTable({ events: [event(), event({ id: 'e2', type: 'admin.role-set', outcome: 'success', actorId: 'a'.repeat(24), actorName: 'root', details: { role: 'admin' } })] });
    const text = table.text();
    expect(text).toContain('Sign-in failed');
    expect(text).toContain('Failure');
    expect(text).toContain('Admin set role');
    expect(text).toContain('Success');
    expect(text).toContain('Method: Username');
    expect(text).toContain('Error code: INVALID_USERNAME_OR_PASSWORD');
    expect(text).toContain('203.0.113.7');
    const links = table.findAll('a').map((link) => [link.text(), link.attributes('href')]);
    expect(links).toContainEqual(['Amy', '/admin/users/64b7f0c2a1e4d5f6a7b8c9d0']);
    expect(links).toContainEqual(['root', `/admin/users/${'a'.repeat(24)}`]);
    expect(table.get('[data-testid="audit-user-agent"]').text()).toBe('Chrome · macOS');
  });

  it('shortens an unknown user agent and keeps the whole of it for the tooltip', () => {
    const long = `CustomBot/1.0 ${'x'.repeat(100)}`;
    expect(shortUserAgent(long)).toHaveLength(28);
    expect(shortUserAgent(long)!.endsWith('…')).toBe(true);
    expect(shortUserAgent(CHROME_ON_MAC)).toBe('Chrome · macOS');
    expect(shortUserAgent(null)).toBeNull();
  });

  it('leaves out the people columns for a user\'s own list, and says when there is nothing', async () => {
    const own = await mountTable({ events: [event()], showPeople: false }, 'zh-CN');
    expect(own.text()).toContain('登录失败');
    expect(own.findAll('a')).toHaveLength(0);
    const empty = await mountTable({ events: [] });
    expect(empty.text()).toContain('Nothing here');
  });
});
