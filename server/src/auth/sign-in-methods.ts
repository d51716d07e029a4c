import type { SignInMethod } from '@wechat-login/shared';
import { WECHAT_PROVIDER_ID } from '../plugins/wechat/schema.js';

/** The account fields that decide how a user can sign in. */
export interface AccountLike {
  id: string;
  providerId: string;
  password?: string | null;
}

/** A credential account only counts once it has a password (WeChat users get one when a password is set). */
function opensSignIn(account: AccountLike): boolean {
  return account.providerId !== 'credential' || Boolean(account.password);
}

/** True when the user keeps a way to sign in after losing `removedAccountId`. */
export function hasOtherSignInMethod(accounts: AccountLike[], removedAccountId: string): boolean {
  return accounts.some((account) => account.id !== removedAccountId && opensSignIn(account));
}

/** The sign-in methods the admin table shows as tags. */
export function signInMethodsOf(user: { username?: string | null; emailIsPlaceholder: boolean }, accounts: AccountLike[]): SignInMethod[] {
  const methods: SignInMethod[] = [];
  if (accounts.some((account) => account.providerId === WECHAT_PROVIDER_ID)) methods.push('wechat');
  const hasPassword = accounts.some((account) => account.providerId === 'credential' && Boolean(account.password));
  if (hasPassword && user.username) methods.push('username');
  // A placeholder address still signs in with the password, but nobody would type it: not a method to show.
  if (hasPassword && !user.emailIsPlaceholder) methods.push('email');
  return methods;
}
