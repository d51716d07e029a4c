const SAME_ORIGIN_BASE = 'http://same-origin.invalid';
// Browsers drop tabs and newlines inside URLs and read "\" as "/", so "/\evil.example" and "/\t/evil.example"
// both mean "//evil.example". Refuse any control character or backslash outright.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

/**
 * Returns `value` if it is a path on this origin (`/account?tab=1`), else null. Used for the `redirect`
 * query of the sign-in page, which anyone can put in a link: an absolute or protocol-relative URL there
 * would turn our sign-in page into an open redirect.
 */
export function safeRedirectPath(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  if (UNSAFE_CHARACTERS.test(value)) return null;
  // Belt and braces: whatever the checks above missed, the URL parser must agree it stays on this origin.
  const resolved = new URL(value, SAME_ORIGIN_BASE);
  return resolved.origin === SAME_ORIGIN_BASE ? value : null;
}
