import { describe, expect, it } from 'vitest';
import { identifierProblem, passwordProblem } from './password-sign-in-rules';

describe('the password sign-in form\'s checks', () => {
  it('asks for a username, and counts one of spaces only as none', () => {
    expect(identifierProblem('username', '')).toBe('signIn.usernameRequired');
    expect(identifierProblem('username', '   ')).toBe('signIn.usernameRequired');
    expect(identifierProblem('username', ' alice ')).toBeNull();
  });

  it('asks for an email address of the right shape, ignoring the spaces the request trims', () => {
    expect(identifierProblem('email', '\t')).toBe('signIn.emailRequired');
    expect(identifierProblem('email', ' ada@example.com ')).toBeNull();
    expect(identifierProblem('email', 'ada@mail.example.co.uk')).toBeNull();
  });

  it.each(['ada', 'ada@', '@example.com', 'ada@example', 'ada@@example.com', 'a da@example.com', 'ada@example.', 'ada@.com'])(
    'refuses %j as an email address',
    (value) => {
      expect(identifierProblem('email', value)).toBe('signIn.emailInvalid');
    },
  );

  it('asks for a password and keeps its spaces: " " is a password', () => {
    expect(passwordProblem('')).toBe('signIn.passwordRequired');
    expect(passwordProblem(' ')).toBeNull();
  });
});
