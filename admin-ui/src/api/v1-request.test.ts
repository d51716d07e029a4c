import { describe, expect, it, vi } from 'vitest';
import { AdminUserSchema } from '@wechat-login/shared';
import { requestV1 } from './v1-request';

function answer(status: number, body: unknown): void {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })));
}

const USER_JSON = {
  id: 'u1', name: 'Ada', email: 'ada@example.com', emailIsPlaceholder: false, emailVerified: true, username: 'ada',
  displayUsername: 'Ada', image: null, role: 'user', banned: false, banReason: null, banExpires: null,
  signInMethods: ['username', 'email'], profileCompletedAt: null, lastSignIn: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z',
};

describe('requestV1 (our own routes)', () => {
  it('returns the data of a success envelope, checked and with dates revived', async () => {
    answer(200, { success: true, data: USER_JSON });
    const result = await requestV1('/admin/users/u1', AdminUserSchema);
    expect(result.ok && result.data.createdAt).toEqual(new Date('2026-01-01T00:00:00.000Z'));
    expect(fetch).toHaveBeenCalledWith('/api/v1/admin/users/u1', expect.objectContaining({ method: 'GET', credentials: 'same-origin' }));
  });

  it('maps an error envelope to the message key of its code', async () => {
    answer(400, { success: false, error: { code: 'WECHAT_ONLY_SIGN_IN_METHOD', message: 'WeChat is the only way in' } });
    expect(await requestV1('/admin/users/u1/unbind-wechat', AdminUserSchema, { method: 'POST' })).toEqual({
      ok: false,
      errorKey: 'errors.WECHAT_ONLY_SIGN_IN_METHOD',
    });
  });

  it('treats an answer of the wrong shape as a failure, not as data', async () => {
    answer(200, { success: true, data: { id: 'u1' } });
    expect(await requestV1('/admin/users/u1', AdminUserSchema)).toEqual({ ok: false, errorKey: 'errors.UNKNOWN' });
  });

  it('reports a request that never reached the server as a network error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    expect(await requestV1('/pub/site', AdminUserSchema)).toEqual({ ok: false, errorKey: 'errors.NETWORK_ERROR' });
  });

  it('falls back to the rate-limit message for a 429 without our envelope', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('Too Many Requests', { status: 429 })));
    expect(await requestV1('/admin/users', AdminUserSchema)).toEqual({ ok: false, errorKey: 'errors.TOO_MANY_REQUESTS' });
  });
});
