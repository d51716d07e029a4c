import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import type { GenericEndpointContext } from '@better-auth/core';
import { defineErrorCodes } from '@better-auth/core/utils/error-codes';
import { ProfileNameSchema, WECHAT_AUTH_ENDPOINTS, type ApiErrorCode } from '@wechat-login/shared';
import { isAcceptedUserImage } from '../profile/image-url-policy.js';
import { isPlaceholderEmail } from './placeholder-email.js';

const USER_FIELD_MESSAGES = {
  PLACEHOLDER_EMAIL_DOMAIN: 'This email domain is reserved for accounts created by WeChat sign-in. Use your own email address.',
  INVALID_IMAGE_URL: 'The picture must be an avatar uploaded here or an https picture from WeChat, or nothing.',
  INVALID_NAME: 'A name has 1 to 40 characters and no control or text-direction characters.',
} as const satisfies Partial<Record<ApiErrorCode, string>>;

export const USER_FIELD_ERROR_CODES = defineErrorCodes(USER_FIELD_MESSAGES);

/** The only requests that may give a user a placeholder address: the WeChat sign-ups themselves (QR and web authorization). */
const WECHAT_SIGN_UP_PATHS: ReadonlySet<string> = new Set([WECHAT_AUTH_ENDPOINTS.signInWechat, WECHAT_AUTH_ENDPOINTS.wechatOAuthCallback]);

export interface UserFieldRulesOptions {
  /** WECHAT_MP_EMAIL_DOMAIN: the domain of the placeholder emails of WeChat sign-ups. */
  placeholderEmailDomain: string;
  /** BETTER_AUTH_URL: our own avatar URLs start with it. */
  publicBaseUrl: string;
}

/**
 * What a request may write into a user's `email`, `image` and `name`, whichever endpoint writes it
 * (sign-up, change-email, update-user, the admin's create-user and update-user, and any added
 * later): the rules sit in database hooks, so a refusal is the endpoint's own answer (400 in
 * better-auth's `{code, message}`) and the audit trail still records a refused admin update.
 * - No password account may take the placeholder domain and pass for a WeChat user.
 * - `image` is rendered by every app that shows the user: see isAcceptedUserImage.
 * - `name` follows our profile route's rule (better-auth's update-user, which the account page
 *   uses, took any string: 10 KB, line breaks, a right-to-left override that makes "resu" read "user").
 * A value equal to the one the user already has is not a change and passes, so an edit form
 * that re-sends a WeChat user's address or an older picture keeps working. Writes outside a
 * request (our own profile routes, start-up) are trusted.
 */
export function userFieldRules(options: UserFieldRulesOptions) {
  const isRefusedEmail = (email: unknown) => typeof email === 'string' && isPlaceholderEmail(email, options.placeholderEmailDomain);
  const isRefusedImage = (image: unknown) => !isAcceptedUserImage(image, options.publicBaseUrl);
  const refuseEmail = () => {
    throw APIError.from('BAD_REQUEST', USER_FIELD_ERROR_CODES.PLACEHOLDER_EMAIL_DOMAIN);
  };
  const refuseImage = () => {
    throw APIError.from('BAD_REQUEST', USER_FIELD_ERROR_CODES.INVALID_IMAGE_URL);
  };
  /** The name as stored (trimmed), or undefined when it breaks the rule of our own profile route. */
  const acceptedName = (name: unknown): string | undefined => {
    const parsed = ProfileNameSchema.safeParse(name);
    return parsed.success ? parsed.data : undefined;
  };
  const refuseName = (): never => {
    throw APIError.from('BAD_REQUEST', USER_FIELD_ERROR_CODES.INVALID_NAME);
  };

  return {
    id: 'user-field-rules',
    $ERROR_CODES: USER_FIELD_ERROR_CODES,
    init: () => ({
      options: {
        databaseHooks: {
          user: {
            create: {
              before: async (user, ctx) => {
                if (!ctx) return;
                if (!WECHAT_SIGN_UP_PATHS.has(ctx.path) && isRefusedEmail(user.email)) refuseEmail();
                if (isRefusedImage(user.image)) refuseImage();
                return { data: { ...user, name: acceptedName(user.name) ?? refuseName() } };
              },
            },
            update: {
              before: async (data, ctx) => {
                if (!ctx) return;
                const current = lazyCurrentUser(ctx);
                if (isRefusedEmail(data.email) && data.email !== (await current())?.email) refuseEmail();
                if ('image' in data && isRefusedImage(data.image) && data.image !== (await current())?.image) refuseImage();
                if (data.name === undefined) return;
                const name = acceptedName(data.name);
                if (name !== undefined) return { data: { ...data, name } };
                if (data.name !== (await current())?.name) refuseName();
              },
            },
          },
        },
      },
    }),
    hooks: {
      before: [
        {
          // Sign-up looks the address up first and answers "already exists" for a WeChat user's
          // placeholder: refuse the domain before that, so the answer never tells who exists.
          matcher: (context) => context.path === '/sign-up/email',
          handler: createAuthMiddleware(async (ctx) => {
            if (isRefusedEmail((ctx.body as { email?: unknown } | undefined)?.email)) refuseEmail();
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
}

/** The user being updated, read at most once: the admin's target, else the signed-in user. */
type CurrentUser = { email?: unknown; image?: unknown; name?: unknown } | null;

function lazyCurrentUser(ctx: GenericEndpointContext): () => Promise<CurrentUser> {
  let read: Promise<CurrentUser> | undefined;
  return () => {
    read ??= (async () => {
      const body = ctx.body as { userId?: unknown } | undefined;
      if (ctx.path === '/admin/update-user') {
        return typeof body?.userId === 'string' ? ctx.context.internalAdapter.findUserById(body.userId) : null;
      }
      return (ctx.context.session?.user as CurrentUser | undefined) ?? null;
    })();
    return read;
  };
}
