import cors from 'cors';
import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Security headers for the API and the SPA. The CSP allows what the UI needs: inline styles
 * (Element Plus), QR images from WeChat or data: URLs, and images from any https host: an OIDC
 * application's logo is an https URL an admin registered (the consent page and the Applications
 * page show it, without a referrer). Scripts, styles and requests stay on our origin, and user
 * avatars are held to our store and WeChat's hosts by the server (profile/image-url-policy.ts),
 * not by this header. Plain http images stay refused (mixed content, and the logo rule refuses them).
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'blob:', 'https:'],
        'style-src': ["'self'", "'unsafe-inline'"],
        'script-src': ["'self'"],
        'connect-src': ["'self'"],
        'upgrade-insecure-requests': options.https ? [] : null,
      },
    },
    strictTransportSecurity: options.https,
    crossOriginEmbedderPolicy: false,
  });
}

/** CORS only for the configured origins; everyone else gets no CORS headers at all. */
export function corsForTrustedOrigins(trustedOrigins: string[]): RequestHandler {
  const allowed = new Set(trustedOrigins);
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    maxAge: 600,
  });
}
