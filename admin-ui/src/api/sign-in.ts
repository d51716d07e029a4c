import { authClient } from './auth-client';
import { type ApiResult, runAuthCall } from './api-result';

export type PasswordSignInMethod = 'username' | 'email';

export interface PasswordCredentials {
  method: PasswordSignInMethod;
  /** A username or an email address, as `method` says. */
  identifier: string;
  password: string;
}

type AuthCallResponse = Awaited<ReturnType<typeof authClient.signIn.username>> | Awaited<ReturnType<typeof authClient.signIn.email>>;

/**
 * An app's authorization continuing after the sign-in (components/oauth/authorization-hand-off.ts): it
 * makes the call with the provider's signed query, which the provider then answers with where to go.
 */
export interface OAuthQueryCarrier {
  call<R extends { data: unknown; error: unknown }>(send: (oauthQuery: string | undefined) => Promise<R>): Promise<R>;
}

/** The call itself; `oauth_query` is read by the OIDC provider's hooks, not by the sign-in endpoint. */
function passwordSignInCall({ method, identifier, password }: PasswordCredentials, oauthQuery: string | undefined): Promise<AuthCallResponse> {
  const handOff = oauthQuery ? { oauth_query: oauthQuery } : {};
  return method === 'username'
    ? authClient.signIn.username({ username: identifier.trim(), password, ...handOff } as Parameters<typeof authClient.signIn.username>[0])
    : authClient.signIn.email({ email: identifier.trim(), password, ...handOff } as Parameters<typeof authClient.signIn.email>[0]);
}

/** Signs in with a password; the session cookie is set by the response. With `handOff`, an app's authorization continues. */
export function signInWithPassword(credentials: PasswordCredentials, handOff?: OAuthQueryCarrier | null): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => (handOff ? handOff.call((oauthQuery) => passwordSignInCall(credentials, oauthQuery)) : passwordSignInCall(credentials, undefined)));
}
