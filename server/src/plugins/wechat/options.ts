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
  /** Requests per minute per IP on the plugin's endpoints. Default 20. */
  rateLimitPerMinute?: number;
}
