import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useSessionStore } from './session';

const authClient = vi.hoisted(() => ({ getSession: vi.fn(), signOut: vi.fn() }));
vi.mock('@/api/auth-client', () => ({ authClient }));

function sessionFor(role: string) {
  return {
    data: {
      user: { id: 'u1', name: 'Ada', email: 'ada@example.com', role },
      session: { id: 's1', userId: 'u1' },
    },
    error: null,
  };
}

describe('the session store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('is signed out until the server says otherwise', async () => {
    authClient.getSession.mockResolvedValue({ data: null, error: null });
    const session = useSessionStore();
    await session.ensureLoaded();
    expect(session.loaded).toBe(true);
    expect(session.isSignedIn).toBe(false);
    expect(session.isAdmin).toBe(false);
  });

  it.each([
    ['admin', true],
    ['user,admin', true],
    ['user', false],
    ['administrator', false],
  ])('treats role "%s" as admin: %s', async (role, expected) => {
    authClient.getSession.mockResolvedValue(sessionFor(role));
    const session = useSessionStore();
    await session.refresh();
    expect(session.isSignedIn).toBe(true);
    expect(session.isAdmin).toBe(expected);
  });

  it('shares one request between concurrent refreshes', async () => {
    authClient.getSession.mockResolvedValue(sessionFor('user'));
    const session = useSessionStore();
    await Promise.all([session.refresh(), session.refresh(), session.ensureLoaded()]);
    expect(authClient.getSession).toHaveBeenCalledTimes(1);
  });

  it('treats an unreachable server as signed out', async () => {
    authClient.getSession.mockRejectedValue(new TypeError('Failed to fetch'));
    const session = useSessionStore();
    await session.refresh();
    expect(session.loaded).toBe(true);
    expect(session.isSignedIn).toBe(false);
    expect(session.loading).toBe(false);
  });

  it('forgets the user once the server ended the session, and keeps them if it did not', async () => {
    authClient.getSession.mockResolvedValue(sessionFor('user'));
    const session = useSessionStore();
    await session.refresh();

    authClient.signOut.mockResolvedValueOnce({ data: null, error: { status: 500, statusText: 'Internal Server Error' } });
    expect(await session.signOut()).toEqual({ ok: false, errorKey: 'errors.UNKNOWN' });
    expect(session.isSignedIn).toBe(true);

    authClient.signOut.mockResolvedValueOnce({ data: { success: true }, error: null });
    expect((await session.signOut()).ok).toBe(true);
    expect(session.isSignedIn).toBe(false);
  });
});
