import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from './safe-redirect';

describe('safeRedirectPath', () => {
  it.each(['/', '/account', '/admin/users/42?tab=sessions#top', '/admin/users?search=a%2F%2Fb'])(
    'keeps the same-origin path %s',
    (path) => {
      expect(safeRedirectPath(path)).toBe(path);
    },
  );

  it.each([
    ['a protocol-relative URL', '//evil.example/phish'],
    ['an absolute URL', 'https://evil.example/'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a backslash that browsers read as a slash', '/\\evil.example'],
    ['a tab that browsers drop', '/\t/evil.example'],
    ['a newline that browsers drop', '/\n/evil.example'],
    ['a relative path', 'account'],
    ['an empty string', ''],
  ])('refuses %s', (_label, value) => {
    expect(safeRedirectPath(value)).toBeNull();
  });

  it.each([undefined, null, 42, ['/account']])('refuses the non-string query value %j', (value) => {
    expect(safeRedirectPath(value)).toBeNull();
  });
});
