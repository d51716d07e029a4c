import { authClient } from './auth-client';
import { type ApiResult, runAuthCall } from './api-result';

export type PasswordSignInMethod = 'username' | 'email';

export interface PasswordCredentials {
  method: PasswordSignInMethod;
  /** A username or an email address, as `method` says. */
  identifier: string;
  password: string;
}

/** Signs in with a password; the session cookie is set by the response. */
export function signInWithPassword({ method, identifier, password }: PasswordCredentials): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() =>
    method === 'username'
      ? authClient.signIn.username({ username: identifier.trim(), password })
      : authClient.signIn.email({ email: identifier.trim(), password }),
  );
}
