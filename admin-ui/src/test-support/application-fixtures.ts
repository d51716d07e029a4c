import type { Application, ApplicationList } from '@wechat-login/shared';

/** Applications as the admin API answers them, for the Applications pages' tests. */
export const BACK_OFFICE: Application = {
  clientId: 'aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeF',
  name: 'Back office',
  logoUrl: null,
  type: 'confidential',
  tokenEndpointAuthMethod: 'client_secret_basic',
  kind: 'web',
  redirectUris: ['https://bo.example.com/callback'],
  postLogoutRedirectUris: [],
  firstParty: true,
  scopes: ['openid', 'profile'],
  requirePkce: true,
  registeredBy: 'admin',
  createdAt: new Date('2026-01-02T03:04:05Z'),
  updatedAt: new Date('2026-01-02T03:04:05Z'),
};

export const SHOP_SPA: Application = {
  ...BACK_OFFICE,
  clientId: 'zYxWvUtSrQpOnMlKjIhGfEdCbAzYxWvU',
  name: 'Shop SPA',
  type: 'public',
  tokenEndpointAuthMethod: 'none',
  firstParty: false,
  redirectUris: ['http://localhost:3001/callback'],
  kind: 'native',
};

export const PROVIDER = { issuer: 'https://login.example.com', discoveryUrl: 'https://login.example.com/.well-known/openid-configuration' };

export function listOf(items: Application[]): ApplicationList {
  return { items, provider: PROVIDER };
}
