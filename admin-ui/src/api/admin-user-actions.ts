import type { UserRole } from '@wechat-login/shared';
import type { OwnSession } from './account';
import { authClient } from './auth-client';
import { type ApiResult, runAuthCall } from './api-result';

/** What an admin does to one user, through better-auth's admin plugin. */

/** A session as the admin plugin lists it: also says when an admin is impersonating the user in it. */
export interface UserSessionRow extends OwnSession {
  impersonatedBy?: string | null | undefined;
}

export function updateUserProfile(userId: string, profile: { name: string; image: string | null }): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => authClient.admin.updateUser({ userId, data: profile }));
}

/** The username plugin stores it lower-cased; the spelling as typed is kept as the display username. */
export function setUserUsername(userId: string, username: string): Promise<ApiResult<unknown>> {
  const typed = username.trim();
  return runAuthCall<unknown>(() => authClient.admin.updateUser({ userId, data: { username: typed, displayUsername: typed } }));
}

/** Also gives a WeChat-only user a password (and with it username/email sign-in). */
export function resetUserPassword(userId: string, newPassword: string): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => authClient.admin.setUserPassword({ userId, newPassword }));
}

export async function listUserSessions(userId: string): Promise<ApiResult<UserSessionRow[]>> {
  const result = await runAuthCall<{ sessions: UserSessionRow[] }>(() => authClient.admin.listUserSessions({ userId }));
  return result.ok ? { ok: true, data: result.data.sessions } : result;
}

export function revokeUserSession(sessionToken: string): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => authClient.admin.revokeUserSession({ sessionToken }));
}

/** `banExpiresInSeconds` undefined bans until an admin unbans. Banning also ends the user's sessions. */
export function banUser(userId: string, banReason: string, banExpiresInSeconds?: number): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() =>
    authClient.admin.banUser({ userId, banReason, ...(banExpiresInSeconds ? { banExpiresIn: banExpiresInSeconds } : {}) }),
  );
}

export function unbanUser(userId: string): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => authClient.admin.unbanUser({ userId }));
}

export function setUserRole(userId: string, role: UserRole): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => authClient.admin.setRole({ userId, role }));
}
