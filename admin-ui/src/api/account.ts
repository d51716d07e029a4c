import { authClient } from './auth-client';
import { type ApiResult, runAuthCall } from './api-result';

/** The signed-in user's own account: better-auth's endpoints plus our set-first-password. */

export const CREDENTIAL_PROVIDER_ID = 'credential';

export interface OwnSession {
  id: string;
  token: string;
  createdAt: Date;
  expiresAt: Date;
  ipAddress?: string | null | undefined;
  userAgent?: string | null | undefined;
}

export interface OwnAccount {
  id: string;
  providerId: string;
  createdAt: Date;
}

export function updateOwnName(name: string): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => authClient.updateUser({ name: name.trim() }));
}

export function changeOwnPassword(input: {
  currentPassword: string;
  newPassword: string;
  revokeOtherSessions: boolean;
}): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => authClient.changePassword(input));
}

/** For users who signed up with WeChat and have no password yet; refused once one exists. */
export function setFirstPassword(newPassword: string): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => authClient.setFirstPassword({ newPassword }));
}

export function changeOwnEmail(newEmail: string): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => authClient.changeEmail({ newEmail: newEmail.trim() }));
}

export function listOwnAccounts(): Promise<ApiResult<OwnAccount[]>> {
  return runAuthCall<OwnAccount[]>(() => authClient.listAccounts());
}

export function listOwnSessions(): Promise<ApiResult<OwnSession[]>> {
  return runAuthCall<OwnSession[]>(() => authClient.listSessions());
}

export function revokeOwnSession(token: string): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => authClient.revokeSession({ token }));
}
