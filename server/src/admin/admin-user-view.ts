import type { Account, User } from 'better-auth';
import { LastSignInMethodSchema, type AdminUser, type LastSignIn } from '@wechat-login/shared';
import { signInMethodsOf } from '../auth/sign-in-methods.js';
import { isPlaceholderEmail } from '../auth/placeholder-email.js';

/** The fields better-auth's user has beside its core ones: ours and its plugins' (username, admin, profile, last sign-in). */
export type StoredUser = User & {
  username?: string | null;
  displayUsername?: string | null;
  role?: string | null;
  banned?: boolean | null;
  banReason?: string | null;
  banExpires?: Date | null;
  profileCompletedAt?: Date | null;
  lastSignInAt?: Date | null;
  lastSignInMethod?: string | null;
  lastSignInIp?: string | null;
};

/** The latest sign-in as stored, or null for a user who never signed in (or whose stored method is not one we know). */
function lastSignInOf(user: StoredUser): LastSignIn | null {
  if (!user.lastSignInAt) return null;
  const method = LastSignInMethodSchema.safeParse(user.lastSignInMethod);
  if (!method.success) return null;
  return { at: new Date(user.lastSignInAt), method: method.data, ip: user.lastSignInIp || null };
}

/** A user as the admin table, the detail page and the export show it. */
export function toAdminUser(user: StoredUser, accounts: Account[], placeholderEmailDomain: string): AdminUser {
  const emailIsPlaceholder = isPlaceholderEmail(user.email, placeholderEmailDomain);
  const username = user.username ?? null;
  return {
    id: user.id,
    name: user.name ?? '',
    email: user.email,
    emailIsPlaceholder,
    emailVerified: Boolean(user.emailVerified),
    username,
    displayUsername: user.displayUsername ?? null,
    image: user.image ?? null,
    role: user.role ?? 'user',
    banned: user.banned === true,
    banReason: user.banReason ?? null,
    banExpires: user.banExpires ? new Date(user.banExpires) : null,
    signInMethods: signInMethodsOf({ username, emailIsPlaceholder }, accounts),
    profileCompletedAt: user.profileCompletedAt ? new Date(user.profileCompletedAt) : null,
    lastSignIn: lastSignInOf(user),
    createdAt: new Date(user.createdAt),
    updatedAt: new Date(user.updatedAt),
  };
}
