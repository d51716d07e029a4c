import type { AdminUserDetail } from '@wechat-login/shared';

const CREATED_AT = new Date('2026-01-01T00:00:00Z');

/** A user as the admin's user page reads them: created by a first WeChat sign-in, nothing set since. */
export const WECHAT_ONLY_USER: AdminUserDetail = {
  id: '64b7f0c2a1e4d5f6a7b8c9d0', name: 'WeChat user abc123', email: 'oabc123@wechat.placeholder', emailIsPlaceholder: true,
  emailVerified: false, username: null, displayUsername: null, image: null, role: 'user', banned: false, banReason: null,
  banExpires: null, signInMethods: ['wechat'], profileCompletedAt: null, createdAt: CREATED_AT, updatedAt: CREATED_AT,
  accounts: [{ id: 'a1', providerId: 'wechat', accountId: 'oabc123', wechatOpenid: 'oabc123', wechatUnionid: null, createdAt: CREATED_AT }],
};
