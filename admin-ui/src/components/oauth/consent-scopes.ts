/** The scopes the consent page and the account page explain in plain words (their texts: oauth.consent.scopes.*). */
export const EXPLAINED_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'wechat'] as const;
export type ExplainedScope = (typeof EXPLAINED_SCOPES)[number];

export function isExplainedScope(scope: string): scope is ExplainedScope {
  return (EXPLAINED_SCOPES as readonly string[]).includes(scope);
}

/** The scopes in a fixed order (who you are first), each once. */
export function orderedScopes(scopes: readonly string[]): string[] {
  const unique = [...new Set(scopes)];
  const rank = (scope: string) => (isExplainedScope(scope) ? EXPLAINED_SCOPES.indexOf(scope) : EXPLAINED_SCOPES.length);
  return unique.sort((a, b) => rank(a) - rank(b));
}
