import type { GenericEndpointContext } from '@better-auth/core';
import type { InferOptionSchema, Session, User } from 'better-auth';
import type { wechatSchema } from './schema.js';

/**
 * Where the plugin consumes scanned QR scenes (the SceneStore shared with the
 * webhook). An interface, so the browser-side client can import the plugin's
 * types without pulling in server code.
 */
export interface ScannedScenes {
  consume(
    sceneId: string,
    bindingSecret: string | undefined,
    purpose: 'login' | 'bind',
    options?: { acceptUnconfirmed?: boolean },
  ): Promise<{ openid: string | null; unionid: string | null }>;
}

/** Same-origin paths the browser is sent to after a round trip through WeChat's authorization page. */
export interface OAuthRedirectPaths {
  callbackURL: string;
  newUserCallbackURL: string;
  errorCallbackURL: string;
}

export type OAuthStartPurpose = { kind: 'login'; strategy: 'base' | 'userinfo' | 'auto'; askedForProfile: boolean } | { kind: 'bind'; userId: string };

export type ConsumedOAuthStart =
  | { ok: true; state: { purpose: OAuthStartPurpose | { kind: 'confirm' }; redirects: OAuthRedirectPaths } }
  | { ok: false; code: 'WECHAT_OAUTH_STATE_INVALID' | 'WECHAT_OAUTH_STATE_EXPIRED' | 'WECHAT_OAUTH_STATE_MISMATCH'; state: { redirects: OAuthRedirectPaths } | null };

/**
 * Web authorization (网页授权) as the plugin uses it: the WeChat module's WebAuthorization, seen
 * through an interface of its own for the same reason as ScannedScenes.
 */
export interface WebAuthorizationFlow {
  states: {
    issue(input: { bindingSecret: string; purpose: OAuthStartPurpose; redirects: OAuthRedirectPaths }): Promise<string>;
    consume(state: unknown, bindingSecret: string | undefined): Promise<ConsumedOAuthStart>;
  };
  client: {
    exchangeCode(code: string): Promise<{ openid: string; unionid: string | null; scope: 'snsapi_base' | 'snsapi_userinfo'; accessToken: string }>;
    fetchProfile(grant: { openid: string; accessToken: string }): Promise<{ nickname: string; headimgurl: string | null; unionid: string | null }>;
  };
  authorizeUrl(input: { redirectUri: string; scope: 'snsapi_base' | 'snsapi_userinfo'; state: string }): string;
}

/** What became of a web authorization, for the audit trail (never the code, the state or a token). */
export interface WebAuthorizationEvent {
  purpose: 'login' | 'bind';
  outcome: 'success' | 'failure';
  /** The error code of a failure. */
  code?: string;
  userId: string | null;
  openid?: string;
  isNewUser?: boolean;
  /** The profile shared by consent was used (name and avatar filled in). */
  profileFilled?: boolean;
  ctx: GenericEndpointContext;
}

export interface WechatPluginOptions {
  /** Where scanned QR scenes are read and consumed (shared with the webhook); undefined when WeChat is not configured. */
  scenes: ScannedScenes | undefined;
  /** The HttpOnly cookie that binds a QR scene to the browser that asked for it. */
  bindingCookieName: string;
  /**
   * Sign-in and binding need the scan confirmed on the phone (the QR-jacking
   * defence: someone who shows you their QR code cannot take your account by
   * your scanning it). Default true; `WECHAT_MP_REQUIRE_CONFIRM=false` turns it
   * off for the webhook and the plugin together.
   */
  requirePhoneConfirmation?: boolean;
  /** Domain of the placeholder email given to users created by WeChat. Default `wechat.placeholder`. */
  emailDomainName?: string;
  /** Extra account fields or renamed columns, merged with mergeSchema. */
  schema?: InferOptionSchema<typeof wechatSchema>;
  onUserCreated?: (event: { user: User; openid: string; unionid: string | null; ctx: GenericEndpointContext }) => void | Promise<void>;
  onSignIn?: (event: { user: User; session: Session; isNewUser: boolean; ctx: GenericEndpointContext }) => void | Promise<void>;
  /** Web authorization inside WeChat's browser; undefined when WeChat is not configured. */
  webAuthorization?: {
    flow: WebAuthorizationFlow;
    /** WECHAT_MP_OAUTH_SCOPE: base (silent), userinfo (always ask), auto (ask once for a new or unfinished profile). */
    scopeStrategy: 'base' | 'userinfo' | 'auto';
    /** Copies a WeChat avatar into our own store (never hot-linked): the copy's URL, or null when it could not. */
    copyAvatar(userId: string, imageUrl: string): Promise<string | null>;
  };
  /** Told of every web-authorization sign-in and bind, and of every refusal. Must not throw. */
  onWebAuthorization?: (event: WebAuthorizationEvent) => void;
  /** Requests per minute per IP on the plugin's endpoints. Default 20. */
  rateLimitPerMinute?: number;
}
