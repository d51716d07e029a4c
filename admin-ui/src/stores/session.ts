import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { type ApiResult, runAuthCall } from '@/api/api-result';
import { authClient, type SessionRecord, type SessionUser } from '@/api/auth-client';
import { ADMIN_ROLE, hasRole } from '@/api/user-roles';

/** The signed-in user as the server sees it. The server decides access; this only shapes the UI. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<SessionUser | null>(null);
  const session = ref<SessionRecord | null>(null);
  const loading = ref(false);
  /** True once the server has answered at least once, so guards know "signed out" is real. */
  const loaded = ref(false);
  let pendingRefresh: Promise<void> | null = null;

  const isSignedIn = computed(() => user.value !== null);
  const isAdmin = computed(() => hasRole(user.value?.role, ADMIN_ROLE));

  function applySession(next: { user: SessionUser; session: SessionRecord } | null): void {
    user.value = next?.user ?? null;
    session.value = next?.session ?? null;
  }

  async function fetchSession(): Promise<void> {
    loading.value = true;
    try {
      const { data } = await authClient.getSession();
      applySession(data);
    } catch {
      // Unreachable server: treat as signed out; the sign-in page will report the real error.
      applySession(null);
    } finally {
      loading.value = false;
      loaded.value = true;
    }
  }

  /** Re-reads the session; concurrent callers share one request. */
  function refresh(): Promise<void> {
    pendingRefresh ??= fetchSession().finally(() => {
      pendingRefresh = null;
    });
    return pendingRefresh;
  }

  async function ensureLoaded(): Promise<void> {
    if (!loaded.value) await refresh();
  }

  /** Ends the session on the server; the local state is cleared only once the server agreed. */
  async function signOut(): Promise<ApiResult<unknown>> {
    const result = await runAuthCall<unknown>(() => authClient.signOut());
    if (result.ok) applySession(null);
    return result;
  }

  return { user, session, loading, loaded, isSignedIn, isAdmin, refresh, ensureLoaded, signOut };
});
