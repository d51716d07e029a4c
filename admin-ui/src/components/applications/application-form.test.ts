import { describe, expect, it } from 'vitest';
import type { Application } from '@wechat-login/shared';
import { applicationFormOf, createInputOf, emptyApplicationForm, isAcceptableLogoUrl, linesOf, updateInputOf, uriListProblem } from './application-form';

describe('the redirect URI list of the application form', () => {
  it('reads one URI a line, ignoring blank lines and spaces around them', () => {
    expect(linesOf('  https://a.example/cb \n\n\r\nhttp://localhost:3001/cb\n')).toEqual(['https://a.example/cb', 'http://localhost:3001/cb']);
  });

  it('names the first line the server would refuse, by the shared rules', () => {
    expect(uriListProblem('https://a.example/cb\nhttps://*.example/cb', true)).toEqual({ kind: 'invalid', line: 2, uri: 'https://*.example/cb' });
    expect(uriListProblem('https://a.example/cb#done', true)).toMatchObject({ kind: 'invalid', line: 1 });
    expect(uriListProblem('javascript:alert(1)', true)).toMatchObject({ kind: 'invalid' });
    expect(uriListProblem('http://app.example/cb', true)).toMatchObject({ kind: 'invalid' });
    expect(uriListProblem('/callback', true)).toMatchObject({ kind: 'invalid' });
    expect(uriListProblem('https://a.example/cb\nhttps://a.example/cb', true)).toEqual({ kind: 'duplicate', line: 2, uri: 'https://a.example/cb' });
    expect(uriListProblem(Array.from({ length: 21 }, (_, i) => `https://a.example/${i}`).join('\n'), true)).toEqual({ kind: 'tooMany', max: 20 });
  });

  it('requires a redirect URI but not a post-logout one', () => {
    expect(uriListProblem(' \n ', true)).toEqual({ kind: 'required' });
    expect(uriListProblem('', false)).toBeNull();
    expect(uriListProblem('https://a.example/cb\nhttp://127.0.0.1:8080/cb\ncom.example.app:/oauth', true)).toBeNull();
  });
});

describe('what the form sends', () => {
  it('never turns PKCE off for a public application, and sends no secret method for it', () => {
    const draft = { ...emptyApplicationForm(), name: ' Shop ', type: 'public' as const, requirePkce: false, redirectUrisText: 'https://shop.example/cb' };
    expect(createInputOf(draft)).toEqual({
      name: 'Shop', logoUrl: '', redirectUris: ['https://shop.example/cb'], postLogoutRedirectUris: [], firstParty: false, scopes: ['openid', 'profile'], requirePkce: true, type: 'public',
    });
  });

  it('keeps a confidential application\'s choices, and an edit never sends the type', () => {
    const draft = { ...emptyApplicationForm(), name: 'Back office', secretAuthMethod: 'client_secret_post' as const, requirePkce: false, redirectUrisText: 'https://bo.example/cb' };
    expect(createInputOf(draft)).toMatchObject({ type: 'confidential', secretAuthMethod: 'client_secret_post', requirePkce: false });
    const update = updateInputOf(draft);
    expect(update).not.toHaveProperty('type');
    expect(update).not.toHaveProperty('secretAuthMethod');
  });

  it('fills the edit form from an application, keeping only the scopes it knows', () => {
    const application = {
      clientId: 'c1', name: 'Shop', logoUrl: null, type: 'confidential', tokenEndpointAuthMethod: 'client_secret_post', kind: 'web',
      redirectUris: ['https://a.example/1', 'https://a.example/2'], postLogoutRedirectUris: [], firstParty: true, scopes: ['openid', 'email', 'legacy'],
      requirePkce: true, registeredBy: 'admin', createdAt: null, updatedAt: null,
    } satisfies Application;
    expect(applicationFormOf(application)).toMatchObject({ logoUrl: '', redirectUrisText: 'https://a.example/1\nhttps://a.example/2', secretAuthMethod: 'client_secret_post', scopes: ['openid', 'email'], firstParty: true });
  });

  it('accepts an https logo or none, nothing else', () => {
    expect(isAcceptableLogoUrl('')).toBe(true);
    expect(isAcceptableLogoUrl('https://cdn.example/logo.png')).toBe(true);
    expect(isAcceptableLogoUrl('http://cdn.example/logo.png')).toBe(false);
    expect(isAcceptableLogoUrl('javascript:alert(1)')).toBe(false);
    expect(isAcceptableLogoUrl('data:image/png;base64,AAAA')).toBe(false);
  });
});
