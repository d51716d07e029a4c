import type { PasswordSignInMethod } from '@/api/sign-in';

/** What a field of the password sign-in form can say is wrong with it, as a message key. */
export type SignInFieldProblem = 'signIn.usernameRequired' | 'signIn.emailRequired' | 'signIn.emailInvalid' | 'signIn.passwordRequired';

/**
 * Something, an @, something, a dot, something, with no spaces: enough to catch a slip before a request.
 * The server decides what an address is.
 */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** The username or email field, read as the request will send it: trimmed. */
export function identifierProblem(method: PasswordSignInMethod, value: string): SignInFieldProblem | null {
  const identifier = value.trim();
  if (method === 'username') return identifier ? null : 'signIn.usernameRequired';
  if (!identifier) return 'signIn.emailRequired';
  return EMAIL_SHAPE.test(identifier) ? null : 'signIn.emailInvalid';
}

/** A password is sent as typed, spaces included; it only has to be there. */
export function passwordProblem(value: string): SignInFieldProblem | null {
  return value ? null : 'signIn.passwordRequired';
}
