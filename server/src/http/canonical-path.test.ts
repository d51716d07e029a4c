import { describe, expect, it } from 'vitest';
import { nonCanonicalReason, rawPathOf, routedPathBelow, routedPathOf } from './canonical-path.js';

const CANONICAL = [
  '/',
  '/api/auth/sign-in/email',
  '/api/auth/get-session',
  '/api/auth/reset-password/AbC123xyz',
  '/api/v1/pub/mp/get-qrcode',
  '/api/v1/pub/mp/confirm/0123456789abcdef01234567',
  '/api/v1/pub/avatars/6650f0c2a1b2c3d4e5f60718',
  '/api/v1/admin/users/6650f0c2a1b2c3d4e5f60718/unbind-wechat',
  // Express routes a single trailing slash like the path without it.
  '/api/v1/pub/mp/get-qrcode/',
  // Dots inside a segment are no dot segment.
  '/api/v1/pub/avatars/a.b',
  '/api/v1/pub/...',
  // Escapes of ordinary characters decode to no path syntax.
  '/api/auth/sign-in/%65mail',
  '/api/v1/pub/%E4%BD%A0',
];

const DISGUISED: Array<[string, RegExp]> = [
  ['/api/auth/./sign-in/email', /segment/],
  ['/api/auth/x/../sign-in/email', /segment/],
  ['/api/auth/sign-in/email/.', /segment/],
  ['/api/auth/sign-in/email/..', /segment/],
  ['/api/auth/%2e/sign-in/email', /encoded "\."/],
  ['/api/auth/%2E/sign-in/email', /encoded "\."/],
  ['/api/auth/x/%2e%2e/sign-in/email', /encoded "\."/],
  ['/api/auth/x/.%2E/sign-in/email', /encoded "\."/],
  ['/api/auth/sign-in%2femail', /encoded "\/"/],
  ['/api/auth/sign-in%2Femail', /encoded "\/"/],
  ['/api/auth/x%5c../sign-in/email', /encoded "\\"/],
  ['/api/auth/x%5C../sign-in/email', /encoded "\\"/],
  ['/api/auth/%252e/sign-in/email', /double encoding/],
  ['/api/auth\\sign-in/email', /"\\"/],
  ['/api/auth/x\\..\\sign-in/email', /"\\"/],
  ['/api/auth//sign-in/email', /empty segment/],
  ['/api/auth/sign-in//email', /empty segment/],
  ['/api/auth/sign-in/email//', /empty segment/],
  ['//api/auth/sign-in/email', /one "\/"/],
  ['http://evil.example/api/auth/sign-in/email', /one "\/"/],
  ['api/auth/sign-in/email', /one "\/"/],
  ['/api/auth/sign-in/email;x=1', /";"/],
  ['/api/auth/sign-in;x/email', /";"/],
  ['/api/auth/sign-in/email%00', /control/],
  ['/api/auth/sign-in/email%0a', /control/],
  ['/api/auth/sign-in/email%7F', /control/],
  ['/api/auth/%ZZ', /malformed/],
  ['/api/auth/sign-in/%E0%A4%A', /malformed/],
  ['/api/auth/sign-in/email%', /malformed/],
  ['/api/auth/sign-in/email#x', /"#"/],
];

describe('nonCanonicalReason', () => {
  it.each(CANONICAL)('accepts %s', (path) => {
    expect(nonCanonicalReason(path)).toBeUndefined();
  });

  it.each(DISGUISED)('refuses %s', (path, reason) => {
    expect(nonCanonicalReason(path)).toMatch(reason);
  });

  it('lets through only paths that better-auth routes to exactly themselves', () => {
    // The point of the check: whatever passes means the same to Express, the limiter and better-auth.
    for (const path of CANONICAL) expect(routedPathOf(path)).toBe(path);
    const changedByRouting = DISGUISED.map(([path]) => path).filter((path) => routedPathOf(path) !== path);
    expect(changedByRouting.every((path) => nonCanonicalReason(path) !== undefined)).toBe(true);
    expect(changedByRouting.length).toBeGreaterThan(10);
  });
});

describe('rawPathOf', () => {
  it('drops the query and decodes nothing', () => {
    expect(rawPathOf('/api/auth/%2e/x?a=/../b')).toBe('/api/auth/%2e/x');
    expect(rawPathOf('/api/auth/x')).toBe('/api/auth/x');
  });
});

describe('routedPathBelow', () => {
  it('resolves the path as better-auth routes it', () => {
    expect(routedPathBelow('/api/auth', '/api/auth/x/../sign-in/email?y=1')).toBe('/sign-in/email');
    expect(routedPathBelow('/api/auth', '/api/auth/%2E/sign-in-wechat')).toBe('/sign-in-wechat');
    expect(routedPathBelow('/api/auth', '/api/auth/x\\..\\change-password')).toBe('/change-password');
    expect(routedPathBelow('/api/auth', '/api/auth/sign-in-wechat/')).toBe('/sign-in-wechat/');
  });

  it('gives "" for a path routed outside the base, or none at all', () => {
    expect(routedPathBelow('/api/auth', '/api/auth/../v1/pub/site')).toBe('');
    expect(routedPathBelow('/api/auth', '/api/authx/sign-in/email')).toBe('');
    expect(routedPathBelow('/api/auth', 'http://evil.example/api/auth/sign-in/email')).toBe('');
  });
});
