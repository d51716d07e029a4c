import { adminClient, usernameClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/vue';
import { wechatClient } from '@wechat-login/server/wechat-client';

// The SPA is served by the same origin as the API (the Vite proxy stands in for it in development),
// so session cookies stay first-party.
export const authClient = createAuthClient({
  baseURL: window.location.origin,
  plugins: [usernameClient(), adminClient(), wechatClient()],
});

export type AuthSession = typeof authClient.$Infer.Session;
export type SessionUser = AuthSession['user'];
export type SessionRecord = AuthSession['session'];

