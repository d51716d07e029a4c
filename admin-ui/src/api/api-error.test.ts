import { describe, expect, it } from 'vitest';
import { errorMessageKeyFor } from './api-error';

describe('errorMessageKeyFor', () => {
  it.each([
    ['INVALID_EMAIL_OR_PASSWORD', 401],
    ['INVALID_USERNAME_OR_PASSWORD', 401],
    ['BANNED_USER', 403],
  ])('maps the better-auth code %s to its own message', (code, status) => {
    expect(errorMessageKeyFor({ code, status })).toBe(`errors.${code}`);
  });

  it('maps a rate-limited answer without a code to the retry-later message', () => {
    expect(errorMessageKeyFor({ status: 429 })).toBe('errors.TOO_MANY_REQUESTS');
  });

  it.each([
    ['an unknown code', { code: 'SOMETHING_NEW', status: 400 }],
    ['a code that is an object key but not a message', { code: 'toString', status: 400 }],
    ['no code at all', { status: 500 }],
    ['no error object', null],
  ])('falls back to the generic message for %s', (_label, error) => {
    expect(errorMessageKeyFor(error)).toBe('errors.UNKNOWN');
  });
});
