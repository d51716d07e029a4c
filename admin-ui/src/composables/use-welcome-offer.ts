import type { LocationQueryValue, RouteLocationRaw } from 'vue-router';
import { isFirstWechatSignIn } from '@/router/welcome-offer';
import { ROUTE_NAMES } from '@/router/route-names';
import { useSessionStore } from '@/stores/session';
import { useSiteStore } from '@/stores/site';

/**
 * After a sign-in: the welcome page when this was a WeChat sign-up whose profile is still incomplete,
 * else null (go straight on). The profile is only asked for in that case, so other sign-ins cost nothing.
 */
export function useWelcomeOffer() {
  const session = useSessionStore();
  const site = useSiteStore();

  async function welcomeRoute(redirect: LocationQueryValue | LocationQueryValue[] | undefined, isNewUser?: boolean): Promise<RouteLocationRaw | null> {
    const user = session.user;
    if (!user) return null;
    await site.ensureLoaded();
    if (!isFirstWechatSignIn(user, { isPlaceholderEmail: site.isPlaceholderEmail(user.email), isNewUser })) return null;
    // Loaded here, not with the sign-in page: only a first WeChat sign-in needs the profile (and its schema).
    const { fetchOwnProfile } = await import('@/api/profile');
    const profile = await fetchOwnProfile();
    // Unreadable profile: better to let the user in than to stop them at a page that cannot load.
    if (!profile.ok || profile.data.profileCompletedAt !== null) return null;
    return { name: ROUTE_NAMES.welcome, query: typeof redirect === 'string' ? { redirect } : {} };
  }

  return { welcomeRoute };
}
