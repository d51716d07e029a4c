import { APIError, createAuthEndpoint, sessionMiddleware } from 'better-auth/api';
import { BASE_ERROR_CODES } from '@better-auth/core/error';
import { z } from 'zod';
import { WECHAT_AUTH_ENDPOINTS } from '@wechat-login/shared';
import type { GenericEndpointContext } from '@better-auth/core';
import { isDuplicateKeyError } from '../duplicate-key.js';

/**
 * `POST /set-first-password {newPassword}`: a user who signed up with WeChat
 * has no password, and better-auth's change-password needs the current one.
 * This gives them a first password (and with it email/username sign-in); it is
 * refused once a password exists, so it can never replace one without proof.
 */
export const setFirstPassword = () =>
  createAuthEndpoint(
    WECHAT_AUTH_ENDPOINTS.setFirstPassword,
    {
      method: 'POST',
      body: z.object({ newPassword: z.string().meta({ description: 'The password to sign in with from now on' }) }),
      use: [sessionMiddleware],
      metadata: {
        openapi: {
          operationId: 'setFirstPassword',
          summary: 'Set a first password for a user who has none (e.g. signed up with WeChat)',
          responses: {
            200: { description: 'Password set', content: { 'application/json': { schema: { type: 'object', properties: { status: { type: 'boolean' } } } } } },
            400: { description: 'PASSWORD_ALREADY_SET, PASSWORD_TOO_SHORT or PASSWORD_TOO_LONG' },
          },
        },
      },
    },
    async (ctx) => {
      const { newPassword } = ctx.body;
      const { minPasswordLength, maxPasswordLength } = ctx.context.password.config;
      if (newPassword.length < minPasswordLength) throw APIError.from('BAD_REQUEST', BASE_ERROR_CODES.PASSWORD_TOO_SHORT);
      if (newPassword.length > maxPasswordLength) throw APIError.from('BAD_REQUEST', BASE_ERROR_CODES.PASSWORD_TOO_LONG);
      const userId = ctx.context.session.user.id;
      const adapter = ctx.context.internalAdapter;
      const credential = await adapter.findCredentialAccount(userId);
      if (credential?.password) throw APIError.from('BAD_REQUEST', BASE_ERROR_CODES.PASSWORD_ALREADY_SET);
      const hash = await ctx.context.password.hash(newPassword);
      if (credential) await adapter.updatePassword(userId, hash);
      else await linkFirstPassword(ctx, userId, hash);
      return ctx.json({ status: true });
    },
  );

/** Two racing requests both see no password; the unique (userId, providerId) index lets one of them add it. */
async function linkFirstPassword(ctx: GenericEndpointContext, userId: string, hash: string): Promise<void> {
  try {
    await ctx.context.internalAdapter.linkAccount({ userId, providerId: 'credential', accountId: userId, password: hash });
  } catch (error) {
    if (isDuplicateKeyError(error)) throw APIError.from('BAD_REQUEST', BASE_ERROR_CODES.PASSWORD_ALREADY_SET);
    throw error;
  }
}
