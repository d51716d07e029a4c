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

  1. Sign in to ${new URL('/admin/applications', config.issuer)} as an admin and add an application:
       type                      native  (http:// redirect URIs are allowed only for native apps on localhost;
                                          a web app needs https)
       redirect URI              ${config.redirectUri}
       post-logout redirect URI  ${config.postLogoutRedirectUri}
       scopes                    ${config.scope}
       allow RP-initiated logout yes
     Public (no secret) is enough: this app uses PKCE. With a secret, set OIDC_CLIENT_SECRET too.
  2. Start this app with the client id it shows:
       OIDC_CLIENT_ID=<client id> npm run example
`;
}
