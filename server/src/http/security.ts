import cors from 'cors';
import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Security headers for the API and the SPA. The CSP allows what the UI needs:
 * inline styles (Element Plus), QR images from WeChat or data: URLs.
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'blob:', 'https://mp.weixin.qq.com', 'https://thirdwx.qlogo.cn', 'https://wx.qlogo.cn'],
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
