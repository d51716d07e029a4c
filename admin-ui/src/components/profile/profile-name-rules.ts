import { PROFILE_NAME_MAX_LENGTH, ProfileNameSchema } from '@wechat-login/shared';

/** The message key under `profile.name` for a display name the server would refuse; null when it is fine. */
export type ProfileNameProblem = 'required' | 'tooLong' | 'invalid' | null;

/** The same rules as the server (one schema, from `shared`), told apart for a helpful message. */
export function checkProfileName(name: string): ProfileNameProblem {
  if (ProfileNameSchema.safeParse(name).success) return null;
  const trimmed = name.trim();
  if (!trimmed) return 'required';
  if ([...trimmed].length > PROFILE_NAME_MAX_LENGTH) return 'tooLong';
  return 'invalid';
}

/** The name a WeChat sign-up starts with until the person has one: "WeChat user" and the end of the openid (server: plugins/wechat/identity.ts). */
const WECHAT_PLACEHOLDER_NAME = /^WeChat user [\w-]{1,6}$/;

export function isWechatPlaceholderName(name: string): boolean {
  return WECHAT_PLACEHOLDER_NAME.test(name);
}

export { PROFILE_NAME_MAX_LENGTH };
