import { describe, expect, it } from 'vitest';
import { oauthProviderOptions } from '../../src/auth/oidc/provider-options.js';
import { withoutPlaceholderEmail } from '../../src/auth/oidc/claims.js';

const settings = { issuer: 'https://id.example.com', findWechatAccount: async () => null, isPlaceholderEmail: (email: string) => email.endsWith('@wechat.placeholder') };

describe('the provider options', () => {
  it('offer dynamic client registration only when OIDC_DYNAMIC_REGISTRATION says so', () => {
    expect(oauthProviderOptions({ ...settings, dynamicRegistration: false })).toMatchObject({ allowDynamicClientRegistration: false, allowUnauthenticatedClientRegistration: false });
    expect(oauthProviderOptions({ ...settings, dynamicRegistration: true })).toMatchObject({ allowDynamicClientRegistration: true, allowUnauthenticatedClientRegistration: true });
  });

  it('let admins alone manage clients', async () => {
    const { clientPrivileges } = oauthProviderOptions({ ...settings, dynamicRegistration: false });
    const user = (role: string | undefined) => ({ id: 'u1', role }) as never;
    for (const action of ['create', 'update', 'delete', 'list', 'rotate'] as const) {
      expect(await clientPrivileges!({ headers: new Headers(), action, user: user('admin') })).toBe(true);
      expect(await clientPrivileges!({ headers: new Headers(), action, user: user('user') })).toBe(false);
      expect(await clientPrivileges!({ headers: new Headers(), action, user: user(undefined) })).toBe(false);
    }
  });
});

describe('withoutPlaceholderEmail', () => {
  const isPlaceholder = (email: string) => email.endsWith('@wechat.placeholder');
  it('drops email and email_verified for a placeholder address only', () => {
    expect(withoutPlaceholderEmail({ sub: 's', email: 'o1@wechat.placeholder', email_verified: false }, isPlaceholder)).toEqual({ sub: 's' });
    expect(withoutPlaceholderEmail({ sub: 's', email: 'a@example.com', email_verified: true }, isPlaceholder)).toEqual({ sub: 's', email: 'a@example.com', email_verified: true });
  });
});
