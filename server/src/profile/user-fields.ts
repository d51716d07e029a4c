import type { BetterAuthPlugin } from 'better-auth';
import type { AvatarStore } from './avatar-store.js';

/**
 * `profileCompletedAt`: when the user chose a display name or an avatar. `input: false`, so no
 * client can set it through better-auth's update-user (400 FIELD_NOT_ALLOWED); only our
 * `/api/v1/me` routes set it. Null means "never did", which is how WeChat sign-ups start.
 */
export const PROFILE_USER_FIELDS = {
  profileCompletedAt: { type: 'date', required: false, input: false },
} as const;

/**
 * Who starts complete: everyone who typed a name when the account was made (email sign-up, an
 * admin creating a user, the bootstrap admin). Only WeChat sign-ups, recognised by their
 * placeholder email, start without: WeChat no longer tells us a nickname or avatar, so their name
 * is "WeChat user xxxx" until they choose one.
 */
export function profileCompletion(options: { placeholderEmailDomain: string | undefined; avatars: AvatarStore }): BetterAuthPlugin {
  const suffix = options.placeholderEmailDomain ? `@${options.placeholderEmailDomain.toLowerCase()}` : undefined;
  return {
    id: 'profile-completion',
    init: () => ({
      options: {
        databaseHooks: {
          user: {
            create: {
              before: async (user) => {
                const isWechatSignUp = suffix !== undefined && user.email.toLowerCase().endsWith(suffix);
                return { data: { ...user, profileCompletedAt: isWechatSignUp ? null : new Date() } };
              },
            },
            // A deleted user's pictures go with them (admin remove-user, delete-user).
            delete: { after: async (user) => void (await options.avatars.deleteAllOfUser(user.id)) },
          },
        },
      },
    }),
  };
}
