import type { GenericEndpointContext } from '@better-auth/core';
import type { InferOptionSchema, Session, User } from 'better-auth';
import type { SceneStore } from '../../wechat/scenes.js';
import type { wechatSchema } from './schema.js';

export interface WechatPluginOptions {
  /** Where scanned QR scenes are read and consumed (shared with the webhook); undefined when WeChat is not configured. */
  scenes: SceneStore | undefined;
  /** The HttpOnly cookie that binds a QR scene to the browser that asked for it. */
  bindingCookieName: string;
  /** Domain of the placeholder email given to users created by WeChat. Default `wechat.placeholder`. */
  emailDomainName?: string;
  /** Extra account fields or renamed columns, merged with mergeSchema. */
  schema?: InferOptionSchema<typeof wechatSchema>;
  onUserCreated?: (event: { user: User; openid: string; unionid: string | null; ctx: GenericEndpointContext }) => void | Promise<void>;
  onSignIn?: (event: { user: User; session: Session; isNewUser: boolean; ctx: GenericEndpointContext }) => void | Promise<void>;
  /** Requests per minute per IP on the plugin's endpoints. Default 20. */
  rateLimitPerMinute?: number;
}
