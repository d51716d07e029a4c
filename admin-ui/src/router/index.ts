import { createRouter, createWebHistory, type RouterHistory } from 'vue-router';
import { useSessionStore } from '@/stores/session';
import { decideNavigation } from './access';
import { routes } from './routes';

export function createAppRouter(history: RouterHistory = createWebHistory(import.meta.env.BASE_URL)) {
  const router = createRouter({ history, routes });

  router.beforeEach(async (to) => {
    const session = useSessionStore();
    await session.ensureLoaded();
    return decideNavigation(to, { isSignedIn: session.isSignedIn, isAdmin: session.isAdmin });
  });

  return router;
}
