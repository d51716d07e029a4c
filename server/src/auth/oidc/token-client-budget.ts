import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import type { RateLimiter } from '../../rate-limit/middleware.js';
import { RATE_LIMIT_RULES } from '../../rate-limit/rules.js';
import { rateLimitClientKey } from '../../rate-limit/client-key.js';
import { basicAuthClientId, CLIENT_ID_PATTERN } from './client-id.js';
// A cycle with create-auth.ts, harmless: the constant is read only when a request comes in.
import { CLIENT_IP_HEADER } from '../create-auth.js';

const TOKEN_PATH = '/oauth2/token';

/** The client a token request names: `client_id` in the form, else the user part of HTTP Basic (RFC 6749 §2.3.1). */
export function tokenRequestClientId(body: unknown, authorization: string | null | undefined): string | null {
  const named = body && typeof body === 'object' ? (body as Record<string, unknown>).client_id : undefined;
  const clientId = typeof named === 'string' ? named : basicAuthClientId(authorization);
  return clientId !== null && CLIENT_ID_PATTERN.test(clientId) ? clientId : null;
}

/**
 * The token endpoint's second budget: per OAuth client AND client address (the address's own budget
 * is charged before better-auth, in app.ts). It runs inside better-auth because only there is the
 * form body parsed, and the client is named in it or in the Basic header. A refused request gets 429
 * with Retry-After, in better-auth's `{code, message}` shape, like the other budgets of /api/auth.
 */
export const oidcTokenClientBudget = (limiter: Pick<RateLimiter, 'take'>) =>
  ({
    id: 'oidc-token-client-budget',
    hooks: {
      before: [
        {
          matcher: (context) => context.path === TOKEN_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const headers = ctx.headers ?? ctx.request?.headers;
            const clientId = tokenRequestClientId(ctx.body, headers?.get('authorization')) ?? 'unknown';
            const address = rateLimitClientKey(headers?.get(CLIENT_IP_HEADER) || 'unknown');
            const verdict = await limiter.take(RATE_LIMIT_RULES.oidcTokenPerClient, `${clientId}:${address}`);
            if (verdict.allowed) return;
            ctx.context.logger.warn(`rate limit reached for an OAuth client's token requests (rule ${RATE_LIMIT_RULES.oidcTokenPerClient.name})`);
            throw new APIError(
              'TOO_MANY_REQUESTS',
              { code: 'RATE_LIMITED', message: 'Too many token requests from this application at your address. Try again in a moment.' },
              { 'Retry-After': String(verdict.retryAfterSeconds) },
            );
          }),
        },
      ],
    },
  }) satisfies BetterAuthPlugin;
