import type { BetterAuthPlugin } from 'better-auth';
import { createAuthMiddleware } from 'better-auth/api';

/**
 * better-auth's username plugin checks an admin's `/admin/update-user` against
 * the ADMIN's own id, so re-saving a user's unchanged username (an edit form
 * sending every field) fails as "already taken". This hook drops a username
 * equal to the target user's current one before that check runs; a real
 * change still goes through the plugin's uniqueness check.
 */
export const keepUnchangedUsername = () =>
  ({
    id: 'keep-unchanged-username',
    hooks: {
      before: [
        {
          matcher: (context) => context.path === '/admin/update-user',
          handler: createAuthMiddleware(async (ctx) => {
            const body = ctx.body as { userId?: unknown; data?: Record<string, unknown> } | undefined;
            const requested = body?.data?.username;
            if (typeof body?.userId !== 'string' || typeof requested !== 'string' || !body.data) return;
            const user = (await ctx.context.internalAdapter.findUserById(body.userId)) as { username?: string | null } | null;
            if (user?.username && user.username === requested.toLowerCase()) delete body.data.username;
          }),
        },
      ],
    },
  }) satisfies BetterAuthPlugin;
