import type { BetterAuthPluginDBSchema } from '@better-auth/core/db';

/**
 * The WeChat identity lives on the `account` record (providerId `wechat`):
 * accountId is the unionid when known, else the openid; both are kept so a
 * user found by either is recognised.
 */
export const wechatSchema = {
  account: {
    fields: {
      wechatOpenid: { type: 'string', required: false, input: false },
      wechatUnionid: { type: 'string', required: false, input: false },
      /** When the person last shared their WeChat profile by web authorization (auto scope asks only once). */
      wechatProfileAt: { type: 'date', required: false, input: false },
    },
  },
} satisfies BetterAuthPluginDBSchema;

/** The provider id of WeChat accounts in better-auth's `account` collection: the one spelling of it. */
export const WECHAT_PROVIDER_ID = 'wechat';
