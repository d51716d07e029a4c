import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import type { GenericEndpointContext } from '@better-auth/core';
import { BASE_ERROR_CODES } from '@better-auth/core/error';
import { WECHAT_AUTH_ENDPOINTS, type LastSignInMethod } from '@wechat-login/shared';
import type { LastSignInStore } from './last-sign-in-store.js';
// A cycle with create-auth.ts, harmless: the constant is read only when a session is created.
import { CLIENT_IP_HEADER } from './create-auth.js';

/**
 * The endpoints whose new session is a sign-in, and how it is named. Sign-up by email counts (the
 * person typed their password and is signed in from then on). Not a sign-in: an admin's
 * impersonation (the admin signs in, not the user), a session better-auth renews or replaces
 * (refresh, change-password's new session), and a WeChat bind (no new session).
 */
const SIGN_IN_PATHS: ReadonlyMap<string, LastSignInMethod> = new Map([
  ['/sign-in/username', 'username'],
  ['/sign-in/email', 'email'],
  ['/sign-up/email', 'email'],
  [WECHAT_AUTH_ENDPOINTS.signInWechat, 'wechat'],
  [WECHAT_AUTH_ENDPOINTS.wechatOAuthCallback, 'wechat-oauth'],
]);

export function signInMethodOfPath(path: string | undefined): LastSignInMethod | null {
  return (path && SIGN_IN_PATHS.get(path)) || null;
}

/**
 * `input: false`: no client (nor an admin's update-user) can set them; `returned: false`: they stay
 * out of the session and user answers (a user's own IP history is the admin's business here), while
 * better-auth's adapter still reads them for the admin pages.
 */
export const LAST_SIGN_IN_USER_SCHEMA = {
  user: {
    fields: {
      lastSignInAt: { type: 'date', required: false, input: false, returned: false },
      lastSignInMethod: { type: 'string', required: false, input: false, returned: false },
      lastSignInIp: { type: 'string', required: false, input: false, returned: false },
    },
  },
} as const;

const LAST_SIGN_IN_FIELD_NAMES = Object.keys(LAST_SIGN_IN_USER_SCHEMA.user.fields);

/**
 * Keeps the user's latest successful sign-in: a database hook on session creation, so it sees
 * every path that signs in (password, the QR code, web authorization) and only once a session
 * exists (a wrong password, a banned user or a refused scan creates none). The write is queued,
 * not awaited, where the database allows it: see LastSignInStore.
 */
export const lastSignInTracking = (store: LastSignInStore) =>
  ({
    id: 'last-sign-in',
    schema: LAST_SIGN_IN_USER_SCHEMA,
    init: () => ({
      options: {
        databaseHooks: {
          session: {
            create: {
              after: async (session: { userId: string; createdAt: Date }, ctx: GenericEndpointContext | null) => {
                const method = signInMethodOfPath(ctx?.path);
                if (!method || !ctx) return;
                const headers = ctx.headers ?? ctx.request?.headers;
                await store.record({ userId: String(session.userId), at: new Date(session.createdAt), method, ip: headers?.get(CLIENT_IP_HEADER) || null });
              },
            },
          },
        },
      },
    }),
    hooks: {
      before: [
        {
          // The admin's update-user writes whatever `data` holds (its own check is for role, ban
          // and email only): the sign-in record is the server's to write, never an admin's to forge.
          matcher: (context) => context.path === '/admin/update-user',
          handler: createAuthMiddleware(async (ctx) => {
            const data = (ctx.body as { data?: unknown } | undefined)?.data;
            if (data && typeof data === 'object' && LAST_SIGN_IN_FIELD_NAMES.some((name) => Object.hasOwn(data, name))) {
              throw APIError.from('BAD_REQUEST', { ...BASE_ERROR_CODES.FIELD_NOT_ALLOWED, message: 'The last sign-in is recorded by the server and cannot be set.' });
            }
          }),
        },
      ],
    },
  }) satisfies BetterAuthPlugin;
