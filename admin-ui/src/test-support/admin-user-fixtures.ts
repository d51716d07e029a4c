import type { AdminUserDetail } from '@wechat-login/shared';

const CREATED_AT = new Date('2026-01-01T00:00:00Z');
const LAST_SIGN_IN_AT = new Date('2026-03-02T08:30:00Z');

/** A user as the admin's user page reads them: created by a first WeChat sign-in, nothing set since. */
export const WECHAT_ONLY_USER: AdminUserDetail = {
  id: '64b7f0c2a1e4d5f6a7b8c9d0', name: 'WeChat user abc123', email: 'oabc123@wechat.placeholder', emailIsPlaceholder: true,
  emailVerified: false, username: null, displayUsername: null, image: null, role: 'user', banned: false, banReason: null,
  banExpires: null, signInMethods: ['wechat'], profileCompletedAt: null, createdAt: CREATED_AT, updatedAt: CREATED_AT,
  lastSignIn: { at: LAST_SIGN_IN_AT, method: 'wechat', ip: '203.0.113.7' },
  accounts: [{ id: 'a1', providerId: 'wechat', accountId: 'oabc123', wechatOpenid: 'oabc123', wechatUnionid: null, createdAt: CREATED_AT }],
};

/** A user an admin created with a password, who has not signed in yet and whose real email is not verified. */
export const NEVER_SIGNED_IN_USER: AdminUserDetail = {
  id: '64b7f0c2a1e4d5f6a7b8c9d1', name: 'Grace Hopper', email: 'grace@example.com', emailIsPlaceholder: false,
  emailVerified: false, username: 'grace', displayUsername: 'Grace', image: '/api/v1/pub/avatars/64b7f0c2a1e4d5f6a7b8c9ff',
  role: 'user', banned: false, banReason: null, banExpires: null, signInMethods: ['username', 'email'], profileCompletedAt: null,
  createdAt: CREATED_AT, updatedAt: CREATED_AT, lastSignIn: null,
  accounts: [{ id: 'a2', providerId: 'credential', accountId: '64b7f0c2a1e4d5f6a7b8c9d1', wechatOpenid: null, wechatUnionid: null, createdAt: CREATED_AT }],
};
