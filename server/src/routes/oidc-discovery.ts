import { Router } from 'express';
import { fromNodeHeaders } from 'better-auth/node';
import type { Auth } from '../auth/create-auth.js';

/** Discovery answers are the same for everyone and change only with a deploy: a short public cache. */
const DISCOVERY_CACHE_CONTROL = 'public, max-age=300';

/**
 * Public clients (a SPA, a mobile app) authenticate with PKCE alone, and the provider accepts them;
 * its metadata leaves `none` out, so strict clients would refuse to register as public.
 */
function withPublicClients<T extends { token_endpoint_auth_methods_supported?: string[] }>(metadata: T): T {
  const methods = metadata.token_endpoint_auth_methods_supported ?? [];
  return methods.includes('none') ? metadata : { ...metadata, token_endpoint_auth_methods_supported: [...methods, 'none'] };
}

/**
 * `/.well-known/openid-configuration` and `/.well-known/oauth-authorization-server` at the issuer
 * (BETTER_AUTH_URL) itself, where OIDC clients look: the plugin serves them only under better-auth's
 * base path. Mount at the root.
 */
export function oidcDiscoveryRouter(auth: Auth): Router {
  const router = Router();
  router.get('/.well-known/openid-configuration', async (req, res) => {
    const metadata = await auth.api.getOpenIdConfig({ headers: fromNodeHeaders(req.headers) });
    res.set('Cache-Control', DISCOVERY_CACHE_CONTROL).json(withPublicClients(metadata));
  });
  router.get('/.well-known/oauth-authorization-server', async (req, res) => {
    const metadata = await auth.api.getOAuthServerConfig({ headers: fromNodeHeaders(req.headers) });
    res.set('Cache-Control', DISCOVERY_CACHE_CONTROL).json(withPublicClients(metadata));
  });
  return router;
}
