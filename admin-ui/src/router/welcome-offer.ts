/** How long after an account was made a sign-in still counts as its first one. */
export const NEW_ACCOUNT_WINDOW_MS = 10 * 60 * 1000;

export interface SignedInUserFacts {
  email: string;
  createdAt: Date | string;
}

/**
 * Whether a finished sign-in should go by the welcome page first: only a WeChat sign-up (placeholder
 * email) whose account is brand new. `isNewUser` is what sign-in-wechat answered, when the caller has
 * it; without it the account's age stands in. The caller then checks the profile is still incomplete.
 */
export function isFirstWechatSignIn(
  user: SignedInUserFacts,
  facts: { isPlaceholderEmail: boolean; isNewUser?: boolean | undefined; nowMs?: number },
): boolean {
  if (!facts.isPlaceholderEmail) return false;
  if (facts.isNewUser !== undefined) return facts.isNewUser;
  const ageMs = (facts.nowMs ?? Date.now()) - new Date(user.createdAt).getTime();
  return ageMs >= 0 && ageMs < NEW_ACCOUNT_WINDOW_MS;
}
