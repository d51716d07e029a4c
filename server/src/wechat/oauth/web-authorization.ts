import { buildAuthorizeUrl, type WechatOAuthScope } from './authorize-url.js';
import type { OAuthStateStore } from './oauth-states.js';
import type { WebAuthorizationClient } from './web-authorization-client.js';

/**
 * Web authorization (网页授权) as the sign-in endpoints and the confirmation page use it: the
 * authorization page's URL, the code exchange and profile, and the states that tie a round trip
 * to the browser that started it.
 */
export interface WebAuthorization {
  states: OAuthStateStore;
  client: WebAuthorizationClient;
  authorizeUrl(input: { redirectUri: string; scope: WechatOAuthScope; state: string }): string;
}

export function createWebAuthorization(options: { authorizeBase: string; appId: string; states: OAuthStateStore; client: WebAuthorizationClient }): WebAuthorization {
  return {
    states: options.states,
    client: options.client,
    authorizeUrl: (input) => buildAuthorizeUrl({ authorizeBase: options.authorizeBase, appId: options.appId, ...input }),
  };
}
