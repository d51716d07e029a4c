/** Everything the example reads from the environment, read once. */
const issuer = new URL(process.env.OIDC_ISSUER ?? 'http://localhost:3000');
const port = Number(process.env.EXAMPLE_PORT ?? 4000);
const baseUrl = `http://localhost:${port}`;

export const config = {
  issuer,
  clientId: process.env.OIDC_CLIENT_ID ?? '',
  // No secret: a public client, which PKCE alone protects (as a single-page or mobile app would be).
  clientSecret: process.env.OIDC_CLIENT_SECRET || undefined,
  port,
  baseUrl,
  redirectUri: `${baseUrl}/callback`,
  postLogoutRedirectUri: `${baseUrl}/`,
  // `wechat` adds wechat_openid and wechat_unionid; `profile` adds name, picture and preferred_username.
  scope: 'openid profile wechat',
};

/** What to register at the provider, printed when OIDC_CLIENT_ID is missing. */
export function registrationHelp() {
  return `OIDC_CLIENT_ID is not set. Register this app at the provider first:

  1. Sign in to ${new URL('/admin/applications', config.issuer)} as an admin, "Register application":
       Name                        Example app
       Type                        Public (no secret: this app uses PKCE), or Confidential and then
                                   set OIDC_CLIENT_SECRET to the secret it shows once
       Redirect URIs               ${config.redirectUri}
       Post-logout redirect URIs   ${config.postLogoutRedirectUri}
       Allowed scopes              ${config.scope.split(' ').join(', ')}
     http:// is allowed only on localhost, 127.0.0.1 or [::1], and makes the app a native one
     (RFC 8252); an app on a real host registers https://.../callback.
  2. Start this app with the client id the page shows:
       OIDC_CLIENT_ID=<client id> npm run example
`;
}
