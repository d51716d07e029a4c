import type { BetterAuthPlugin } from 'better-auth';
import { mergeSchema } from 'better-auth/db';
import { WECHAT_CREDENTIAL_ENDPOINTS } from '@wechat-login/shared';
import { WECHAT_ERROR_CODES } from './error-codes.js';
import type { WechatPluginOptions } from './options.js';
import { wechatSchema } from './schema.js';
import { bindWechat } from './endpoints/bind-wechat.js';
import { checkWechatBinding } from './endpoints/check-wechat-binding.js';
import { setFirstPassword } from './endpoints/set-first-password.js';
import { signInWechat } from './endpoints/sign-in-wechat.js';
import { unbindWechat } from './endpoints/unbind-wechat.js';
import { signInWechatOAuth } from './endpoints/sign-in-wechat-oauth.js';
import { bindWechatOAuth } from './endpoints/bind-wechat-oauth.js';
import { wechatOAuthCallback } from './endpoints/wechat-oauth-callback.js';
import { refuseNonStringRedirects } from './endpoints/oauth-redirects.js';

export type { WechatPluginOptions } from './options.js';
export { WECHAT_ERROR_CODES } from './error-codes.js';
export { DEFAULT_PLACEHOLDER_EMAIL_DOMAIN, WECHAT_PROVIDER_ID } from './identity.js';

/**
 * WeChat Official Account QR login as a better-auth plugin. The browser only ever sends a scene
 * id; the WeChat identity comes from the scene, which only a verified webhook push can mark
 * scanned, and only the browser holding the scene's binding cookie can consume it, once. Each
 * endpoint is its own factory (endpoints/), beside its body schema and OpenAPI metadata; errors come
 * from one table (error-codes.ts); identities are found and linked by one module (identity.ts).
 * Inside WeChat the same identity comes from web authorization (网页授权): the browser goes through
 * WeChat's authorization page and back to the callback, with a state bound to it.
 */
export const wechat = (options: WechatPluginOptions) =>
  ({
    id: 'wechat',
    schema: mergeSchema(wechatSchema, options.schema),
    $ERROR_CODES: WECHAT_ERROR_CODES,
    rateLimit: [{ pathMatcher: (path: string) => WECHAT_CREDENTIAL_ENDPOINTS.includes(path), window: 60, max: options.rateLimitPerMinute ?? 20 }],
    onRequest: refuseNonStringRedirects,
    endpoints: {
      signInWechat: signInWechat(options),
      checkWechatBinding: checkWechatBinding(),
      bindWechat: bindWechat(options),
      unbindWechat: unbindWechat(),
      setFirstPassword: setFirstPassword(),
      signInWechatOAuth: signInWechatOAuth(options),
      bindWechatOAuth: bindWechatOAuth(options),
      wechatOAuthCallback: wechatOAuthCallback(options),
    },
  }) satisfies BetterAuthPlugin;
