import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';

const TOKEN_PATH = '/oauth2/token';

interface OAuthErrorBody {
  error?: unknown;
  error_description?: unknown;
}

/**
 * The OAuth error a refused token request should carry, where the plugin's differs from the RFCs; null
 * when it is right already. A wrong PKCE verifier is `invalid_grant` (RFC 7636 §4.6), not
 * `invalid_request`; and 401 belongs to `invalid_client` alone (RFC 6749 §5.2): every other refusal
 * is a 400. The description is kept: it says what was wrong, never a secret.
 */
export function standardTokenError(status: number, body: OAuthErrorBody | undefined): { status: 400; error: string } | null {
  if (!body || typeof body.error !== 'string') return null;
  const error = body.error_description === 'code verification failed' ? 'invalid_grant' : body.error;
  if (error === 'invalid_client') return null;
  if (status === 401 || error !== body.error) return { status: 400, error };
  return null;
}

/**
 * Rewrites the token endpoint's refusals into the standard codes (see standardTokenError). An after
 * hook: better-auth hands it the APIError the endpoint threw and answers with whatever it throws
 * instead. Installed before the audit trail, so the trail records the code the app received.
 */
export const oidcStandardTokenErrors = () =>
  ({
    id: 'oidc-standard-token-errors',
    hooks: {
      after: [
        {
          matcher: (context) => context.path === TOKEN_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const returned = ctx.context.returned;
            if (!(returned instanceof APIError)) return;
            const fixed = standardTokenError(returned.statusCode, returned.body as OAuthErrorBody | undefined);
            if (!fixed) return;
            throw new APIError('BAD_REQUEST', { ...(returned.body as object), error: fixed.error }, returned.headers);
          }),
        },
      ],
    },
  }) satisfies BetterAuthPlugin;

/**
 * The second half of the rewrite: better-auth answers with the status the endpoint first threw, not
 * the one of the error a hook put in its place, so the last hook hands the refusal over as a finished
 * Response with the error's own status, body and headers. Installed after every other plugin, so
 * the audit trail and the rest still see an APIError.
 */
export const oidcTokenErrorStatus = () =>
  ({
    id: 'oidc-token-error-status',
    hooks: {
      after: [
        {
          matcher: (context) => context.path === TOKEN_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const returned = ctx.context.returned;
            if (!(returned instanceof APIError) || !ctx.request) return;
            const headers = new Headers(returned.headers as ConstructorParameters<typeof Headers>[0]);
            headers.set('Content-Type', 'application/json');
            return new Response(JSON.stringify(returned.body ?? {}), { status: returned.statusCode, headers });
          }),
        },
      ],
    },
  }) satisfies BetterAuthPlugin;
