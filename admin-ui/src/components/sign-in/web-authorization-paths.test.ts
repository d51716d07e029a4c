import { describe, expect, it } from 'vitest';
import { signInWebAuthorizationPaths } from './web-authorization-paths';

const PAGES = { signIn: '/sign-in', welcome: '/welcome' };

describe('the sign-in page\'s web authorization callbacks', () => {
  it('carry the page\'s redirect on, encoded, to sign-in and to the welcome page', () => {
    expect(signInWebAuthorizationPaths('/account?tab=security', PAGES)).toEqual({
      callbackURL: '/sign-in?redirect=%2Faccount%3Ftab%3Dsecurity',
      newUserCallbackURL: '/welcome?redirect=%2Faccount%3Ftab%3Dsecurity',
      errorCallbackURL: '/sign-in?redirect=%2Faccount%3Ftab%3Dsecurity',
    });
  });

  it('need no redirect', () => {
    expect(signInWebAuthorizationPaths(undefined, PAGES)).toEqual({ callbackURL: '/sign-in', newUserCallbackURL: '/welcome', errorCallbackURL: '/sign-in' });
  });

  it.each([
    ['an absolute URL', 'https://evil.example/phish'],
    ['a protocol-relative URL', '//evil.example/phish'],
    ['a backslash trick', '/\\evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a repeated parameter', ['/account', 'https://evil.example']],
  ])('drop an attacker\'s redirect: %s', (_label, redirect) => {
    const paths = signInWebAuthorizationPaths(redirect, PAGES);
    expect(paths).toEqual({ callbackURL: '/sign-in', newUserCallbackURL: '/welcome', errorCallbackURL: '/sign-in' });
    expect(JSON.stringify(paths)).not.toContain('evil');
  });
});
