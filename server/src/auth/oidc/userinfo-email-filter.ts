import type { BetterAuthPlugin } from 'better-auth';
import { createAuthMiddleware } from 'better-auth/api';
import { isPlaceholderEmail } from '../placeholder-email.js';
import { withoutPlaceholderEmail } from './claims.js';

/**
 * Takes `email`/`email_verified` out of /oauth2/userinfo for WeChat placeholder addresses. The
 * provider's claim hooks can add claims but not remove the standard ones, so this runs after it.
 */
export function oidcUserinfoEmailFilter(placeholderDomain: string): BetterAuthPlugin {
  return {
    id: 'oidc-userinfo-email-filter',
    hooks: {
      after: [
        {
          matcher: (ctx) => ctx.path === '/oauth2/userinfo',
          handler: createAuthMiddleware(async (ctx) => {
            const returned = ctx.context.returned;
            if (!returned || typeof returned !== 'object' || returned instanceof Response) return;
            const filtered = withoutPlaceholderEmail(returned as Record<string, unknown>, (email) => isPlaceholderEmail(email, placeholderDomain));
            if (filtered !== returned) return ctx.json(filtered);
          }),
        },
      ],
    },
  };
}
