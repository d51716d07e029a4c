import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { USERNAME_ERROR_CODES } from 'better-auth/plugins';

/**
 * better-auth's username plugin checks an admin's `/admin/update-user` against
 * the ADMIN's own id, so re-saving a user's unchanged username (an edit form
 * sending every field) fails as "already taken". This hook drops a username
 * equal to the target user's current one before that check runs; a real
 * change still goes through the plugin's uniqueness check, except that the
 * plugin lets through the ADMIN's own username (it looks like "yours"), which
 * the unique index then refuses with a 500: that case is answered here.
 */
export const keepUnchangedUsername = () =>
  ({
    id: 'keep-unchanged-username',
    // In a database hook, not a before hook: an error thrown here is the endpoint's answer, so
    // after hooks (the audit trail) still see the refusal.
    init: () => ({
      options: {
        databaseHooks: {
          user: {
            update: {
              before: async (data, ctx) => {
                const body = ctx?.body as { userId?: unknown } | undefined;
                if (ctx?.path !== '/admin/update-user' || typeof body?.userId !== 'string' || typeof data.username !== 'string') return;
                const owner = await ctx.context.adapter.findOne<{ id: string }>({ model: 'user', where: [{ field: 'username', value: data.username.toLowerCase() }] });
                if (owner && owner.id !== body.userId) throw APIError.from('BAD_REQUEST', USERNAME_ERROR_CODES.USERNAME_IS_ALREADY_TAKEN);
              },
            },
          },
        },
      },
    }),
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
